package stripeapi

import (
	"context"

	"kasse/pos"
)

// call is one adapter method invocation with what it must put on the wire.
type call struct {
	name    string
	do      func(ctx context.Context, c *Client, key string) error // key is the idempotency key (ignored by GET/DELETE)
	method  string
	path    string
	account string            // expected Stripe-Account, "" = header absent
	idem    string            // expected Idempotency-Key, "" = header absent
	form    map[string]string // fields that must be sent (body or query)
	absent  []string          // fields that must not be sent
}

// allCalls invokes every method of the adapter once. Payments run on the
// seller; readers and locations on the platform (platform-owned hardware),
// except where a case says otherwise.
var allCalls = []call{
	{
		name: "ListSellers", method: "GET", path: "/v1/accounts",
		do: func(ctx context.Context, c *Client, key string) error { _, err := c.ListSellers(ctx); return err },
	},
	{
		name: "GetSeller", method: "GET", path: "/v1/accounts/acct_1SELLER",
		do: func(ctx context.Context, c *Client, key string) error { _, err := c.GetSeller(ctx, seller); return err },
	},
	{
		name: "CreateIntent", method: "POST", path: "/v1/payment_intents", account: string(seller), idem: "sale-1-create",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateIntent(ctx, seller, pos.CreateIntentRequest{
				Amount: 1250, Currency: "USD", CaptureMethod: "manual", Description: "Sale 1",
				Metadata: map[string]string{"order": "42"}, ApplicationFeeAmount: 30,
			}, key)
			return err
		},
		form: map[string]string{
			"amount": "1250", "currency": "usd", "capture_method": "manual", "description": "Sale 1",
			"metadata[order]": "42", "payment_method_types[0]": "card_present", "application_fee_amount": "30",
		},
		absent: []string{"payment_method_types[1]", "receipt_email"},
	},
	{
		name: "GetIntent", method: "GET", path: "/v1/payment_intents/pi_1", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetIntent(ctx, seller, "pi_1")
			return err
		},
		form: map[string]string{"expand[0]": "latest_charge"},
	},
	{
		name: "CaptureIntent", method: "POST", path: "/v1/payment_intents/pi_1/capture", account: string(seller), idem: "sale-1-capture",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CaptureIntent(ctx, seller, "pi_1", 1000, key)
			return err
		},
		form: map[string]string{"amount_to_capture": "1000"},
	},
	{
		name: "CancelIntent", method: "POST", path: "/v1/payment_intents/pi_1/cancel", account: string(seller), idem: "sale-1-cancel",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CancelIntent(ctx, seller, "pi_1", "abandoned", key)
			return err
		},
		form: map[string]string{"cancellation_reason": "abandoned"},
	},
	{
		name: "ListIntents", method: "GET", path: "/v1/payment_intents", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListIntents(ctx, seller, pos.IntentFilter{CreatedFrom: 1700000000, CreatedTo: 1700086400, Limit: 20})
			return err
		},
		form: map[string]string{"created[gte]": "1700000000", "created[lte]": "1700086400", "limit": "20",
			"expand[0]": "data.latest_charge"},
	},
	{
		name: "CreateRefund", method: "POST", path: "/v1/refunds", account: string(seller), idem: "sale-1-refund-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateRefund(ctx, seller, pos.RefundRequest{
				IntentID: "pi_1", Amount: 500, Reason: "requested_by_customer",
				RefundApplicationFee: true, Metadata: map[string]string{"by": "cashier-7"},
			}, key)
			return err
		},
		form: map[string]string{
			"payment_intent": "pi_1", "amount": "500", "reason": "requested_by_customer",
			"refund_application_fee": "true", "metadata[by]": "cashier-7",
		},
	},
	{
		name: "ListRefunds", method: "GET", path: "/v1/refunds", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListRefunds(ctx, seller, "pi_1")
			return err
		},
		form: map[string]string{"payment_intent": "pi_1"},
	},
	{
		name: "ListRefundsCreated", method: "GET", path: "/v1/refunds", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListRefundsCreated(ctx, seller, pos.RefundFilter{CreatedFrom: 1700000000, CreatedTo: 1700086399, Limit: 30})
			return err
		},
		form: map[string]string{"created[gte]": "1700000000", "created[lte]": "1700086399", "limit": "30"},
	},
	{
		name: "ListLocations", method: "GET", path: "/v1/terminal/locations",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListLocations(ctx, pos.Platform)
			return err
		},
	},
	{
		name: "CreateLocation", method: "POST", path: "/v1/terminal/locations", idem: "loc-create-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateLocation(ctx, pos.Platform, pos.LocationRequest{
				DisplayName: "Bäckerei Nord",
				Address:     pos.Address{Line1: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE"},
				Metadata:    map[string]string{"seller": "acct_1SELLER"},
			}, key)
			return err
		},
		form: map[string]string{
			"display_name": "Bäckerei Nord", "address[line1]": "Hauptstr. 1", "address[city]": "Berlin",
			"address[postal_code]": "10115", "address[country]": "DE", "metadata[seller]": "acct_1SELLER",
		},
		absent: []string{"address[state]", "address[line2]"},
	},
	{
		name: "CreateLocation/seller-owned", method: "POST", path: "/v1/terminal/locations", account: string(seller), idem: "loc-create-2",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateLocation(ctx, seller, pos.LocationRequest{
				DisplayName: "Shop", Address: pos.Address{Line1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
			}, key)
			return err
		},
	},
	{
		name: "DeleteLocation", method: "DELETE", path: "/v1/terminal/locations/tml_1",
		do: func(ctx context.Context, c *Client, key string) error {
			return c.DeleteLocation(ctx, pos.Platform, "tml_1")
		},
	},
	{
		name: "ListReaders", method: "GET", path: "/v1/terminal/readers",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListReaders(ctx, pos.Platform, pos.ReaderFilter{LocationID: "tml_1", Status: "online"})
			return err
		},
		form:   map[string]string{"location": "tml_1", "status": "online"},
		absent: []string{"device_type"},
	},
	{
		name: "ListReaders/seller-owned", method: "GET", path: "/v1/terminal/readers", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListReaders(ctx, seller, pos.ReaderFilter{DeviceType: "simulated_wisepos_e"})
			return err
		},
		form: map[string]string{"device_type": "simulated_wisepos_e"},
	},
	{
		name: "GetReader", method: "GET", path: "/v1/terminal/readers/tmr_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetReader(ctx, pos.Platform, "tmr_1")
			return err
		},
		form: map[string]string{
			"expand[0]": "action.process_payment_intent.payment_intent",
			"expand[1]": "action.process_payment_intent.payment_intent.latest_charge",
		},
	},
	{
		name: "RegisterReader", method: "POST", path: "/v1/terminal/readers", idem: "reader-reg-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.RegisterReader(ctx, pos.Platform, "simulated-wpe", "Till 1", "tml_1", key)
			return err
		},
		form: map[string]string{"registration_code": "simulated-wpe", "label": "Till 1", "location": "tml_1"},
	},
	{
		name: "UpdateReader", method: "POST", path: "/v1/terminal/readers/tmr_1", idem: "reader-upd-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.UpdateReader(ctx, pos.Platform, "tmr_1", "Till 2", map[string]string{"till": "2"}, key)
			return err
		},
		form: map[string]string{"label": "Till 2", "metadata[till]": "2"},
	},
	{
		name: "DeleteReader", method: "DELETE", path: "/v1/terminal/readers/tmr_1",
		do: func(ctx context.Context, c *Client, key string) error {
			return c.DeleteReader(ctx, pos.Platform, "tmr_1")
		},
	},
	{
		name: "ProcessIntent", method: "POST", path: "/v1/terminal/readers/tmr_1/process_payment_intent", idem: "sale-1-process-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ProcessIntent(ctx, pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{
				TippingAmountEligible: 1000, EnableCustomerCancellation: true,
			}, key)
			return err
		},
		form: map[string]string{
			"payment_intent":                               "pi_1",
			"process_config[skip_tipping]":                 "false",
			"process_config[tipping][amount_eligible]":     "1000",
			"process_config[enable_customer_cancellation]": "true",
		},
	},
	{
		name: "ProcessIntent/skip-tipping", method: "POST", path: "/v1/terminal/readers/tmr_1/process_payment_intent", idem: "sale-2-process-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ProcessIntent(ctx, pos.Platform, "tmr_1", "pi_2", pos.ProcessConfig{SkipTipping: true}, key)
			return err
		},
		form:   map[string]string{"payment_intent": "pi_2", "process_config[skip_tipping]": "true"},
		absent: []string{"process_config[tipping][amount_eligible]"},
	},
	{
		name: "CancelAction", method: "POST", path: "/v1/terminal/readers/tmr_1/cancel_action", idem: "sale-1-cancel-action",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CancelAction(ctx, pos.Platform, "tmr_1", key)
			return err
		},
	},
	{
		name: "SetDisplay", method: "POST", path: "/v1/terminal/readers/tmr_1/set_reader_display", idem: "sale-1-display-3",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.SetDisplay(ctx, pos.Platform, "tmr_1", pos.DisplayCart{
				Currency: "USD",
				Lines:    []pos.CartLine{{Description: "Coffee", Quantity: 2, Amount: 700}, {Description: "Bagel", Quantity: 1, Amount: 450}},
				Tax:      100, Total: 1250,
			}, key)
			return err
		},
		form: map[string]string{
			"type": "cart", "cart[currency]": "usd", "cart[tax]": "100", "cart[total]": "1250",
			"cart[line_items][0][description]": "Coffee", "cart[line_items][0][quantity]": "2", "cart[line_items][0][amount]": "700",
			"cart[line_items][1][description]": "Bagel", "cart[line_items][1][quantity]": "1", "cart[line_items][1][amount]": "450",
		},
	},
	{
		name: "PresentCard", method: "POST", path: "/v1/test_helpers/terminal/readers/tmr_1/present_payment_method", idem: "sale-1-present",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.PresentCard(ctx, pos.Platform, "tmr_1", "4242424242424242", 150, key)
			return err
		},
		form: map[string]string{"type": "card_present", "card_present[number]": "4242424242424242", "amount_tip": "150"},
	},
	{
		name: "ListEvents", method: "GET", path: "/v1/events", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListEvents(ctx, seller, "payment_intent.*", 5)
			return err
		},
		form: map[string]string{"type": "payment_intent.*", "limit": "5"},
	},
	{
		name: "CreateIntentDestination", method: "POST", path: "/v1/payment_intents", idem: "sale-2-create",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateIntent(ctx, pos.Platform, pos.CreateIntentRequest{
				Amount: 1250, Currency: "usd", ApplicationFeeAmount: 31, TransferDestination: seller, OnBehalfOf: seller,
				Metadata: map[string]string{"kasse_seller": string(seller)},
			}, key)
			return err
		},
		form: map[string]string{"transfer_data[destination]": string(seller), "on_behalf_of": string(seller),
			"application_fee_amount": "31", "metadata[kasse_seller]": string(seller)},
		absent: []string{"transfer_group", "transfer_data[amount]"},
	},
	{
		name: "CreateIntentSeparate", method: "POST", path: "/v1/payment_intents", idem: "sale-3-create",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateIntent(ctx, pos.Platform, pos.CreateIntentRequest{Amount: 1250, Currency: "usd", TransferGroup: "kasse-s3"}, key)
			return err
		},
		form:   map[string]string{"transfer_group": "kasse-s3"},
		absent: []string{"application_fee_amount", "on_behalf_of", "transfer_data[destination]"},
	},
	{
		name: "CreateRefundDestination", method: "POST", path: "/v1/refunds", idem: "refund-2",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateRefund(ctx, pos.Platform, pos.RefundRequest{IntentID: "pi_2", Amount: 500, ReverseTransfer: true, RefundApplicationFee: true}, key)
			return err
		},
		form: map[string]string{"payment_intent": "pi_2", "reverse_transfer": "true", "refund_application_fee": "true"},
	},
	{
		name: "CreateTransfer", method: "POST", path: "/v1/transfers", idem: "kasse-s1-transfer",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateTransfer(ctx, pos.TransferRequest{Amount: 1220, Currency: "USD", Destination: seller, Group: "kasse-s1",
				SourceCharge: "ch_1", Description: "Kasse sale s1", Metadata: map[string]string{"kasse_sale_id": "s1"}}, key)
			return err
		},
		form: map[string]string{"amount": "1220", "currency": "usd", "destination": string(seller), "transfer_group": "kasse-s1",
			"source_transaction": "ch_1", "description": "Kasse sale s1", "metadata[kasse_sale_id]": "s1"},
	},
	{
		name: "GetTransfer", method: "GET", path: "/v1/transfers/tr_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetTransfer(ctx, "tr_1")
			return err
		},
	},
	{
		name: "EventsSince", method: "GET", path: "/v1/events", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, _, err := c.EventsSince(ctx, seller, 1700000000, "evt_0", 10)
			return err
		},
		form:   map[string]string{"created[gte]": "1700000000", "limit": "100"},
		absent: []string{"type", "starting_after", "ending_before"},
	},
	// Disputes live on the seller that owns the charge (direct charges).
	{
		name: "ListDisputes", method: "GET", path: "/v1/disputes", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListDisputes(ctx, seller, pos.DisputeFilter{IntentID: "pi_1", ChargeID: "ch_1", CreatedFrom: 1700000000, Limit: 20})
			return err
		},
		form: map[string]string{"payment_intent": "pi_1", "charge": "ch_1", "created[gte]": "1700000000", "limit": "20"},
	},
	{
		name: "GetDispute", method: "GET", path: "/v1/disputes/dp_1", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetDispute(ctx, seller, "dp_1")
			return err
		},
	},
	{
		name: "ListTransfers", method: "GET", path: "/v1/transfers",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListTransfers(ctx, pos.TransferFilter{Group: "kasse-s1", Destination: seller, CreatedFrom: 1700000000})
			return err
		},
		form: map[string]string{"transfer_group": "kasse-s1", "destination": string(seller), "created[gte]": "1700000000"},
	},
	{
		name: "ReverseTransfer", method: "POST", path: "/v1/transfers/tr_1/reversals", idem: "kasse-r3-reverse",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ReverseTransfer(ctx, "tr_1", pos.ReversalRequest{Amount: 300, Metadata: map[string]string{"kasse_refund_id": "r3"}}, key)
			return err
		},
		form: map[string]string{"amount": "300", "metadata[kasse_refund_id]": "r3"},
	},
	{
		name: "GetApplicationFee", method: "GET", path: "/v1/application_fees/fee_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetApplicationFee(ctx, "fee_1")
			return err
		},
	},
	{
		name: "ListApplicationFees", method: "GET", path: "/v1/application_fees",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListApplicationFees(ctx, pos.FeeFilter{CreatedFrom: 1700000000, CreatedTo: 1700086399})
			return err
		},
		form: map[string]string{"created[gte]": "1700000000", "created[lte]": "1700086399"},
	},
	{
		name: "UpdateDispute", method: "POST", path: "/v1/disputes/dp_1", account: string(seller), idem: "dispute-dp_1-stage",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.UpdateDispute(ctx, seller, "dp_1", map[string]string{
				pos.EvidenceProductDescription: "2 × flat white", pos.EvidenceUncategorizedText: "Receipt 42",
			}, false, key)
			return err
		},
		form:   map[string]string{"evidence[product_description]": "2 × flat white", "evidence[uncategorized_text]": "Receipt 42", "submit": "false"},
		absent: []string{"evidence[customer_name]", "metadata"},
	},
	{
		name: "CloseDispute", method: "POST", path: "/v1/disputes/dp_1/close", account: string(seller), idem: "dispute-dp_1-accept",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CloseDispute(ctx, seller, "dp_1", key)
			return err
		},
		absent: []string{"submit", "evidence"},
	},
}
