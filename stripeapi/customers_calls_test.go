package stripeapi

import (
	"context"
	"net/http"
	"strings"

	"kasse/pos"
)

// The customers' calls (customers.go): appended to allCalls, so the wire
// format, stripe-mock's acceptance (2023-10-16), the idempotency keys and
// the redaction tests cover them like every other call.
func init() { allCalls = append(allCalls, customerCalls...) }

var customerCalls = []call{
	{
		name: "CreateCustomer", method: "POST", path: "/v1/customers", idem: "cus-create-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateCustomer(ctx, pos.Platform, pos.CustomerRequest{Name: "Mara Lindqvist", Email: "mara@example.com",
				Metadata: map[string]string{"kasse_created_by": "anna"}}, key)
			return err
		},
		form:   map[string]string{"name": "Mara Lindqvist", "email": "mara@example.com", "metadata[kasse_created_by]": "anna"},
		absent: []string{"payment_method", "phone", "source"},
	},
	{
		name: "CreateCustomer/seller-copy-with-card", method: "POST", path: "/v1/customers", account: string(seller), idem: "sale-1-copy-customer-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateCustomer(ctx, seller, pos.CustomerRequest{Name: "Mara", PaymentMethod: "pm_clone",
				Metadata: map[string]string{pos.MetaCopyOf: "cus_wallet"}}, key)
			return err
		},
		form: map[string]string{"payment_method": "pm_clone", "metadata[kasse_platform_customer]": "cus_wallet"},
	},
	{
		name: "GetCustomer", method: "GET", path: "/v1/customers/cus_1", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetCustomer(ctx, seller, "cus_1")
			return err
		},
	},
	{
		name: "SetCustomerMetadata", method: "POST", path: "/v1/customers/cus_wallet", idem: "sale-1-link-customer",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.SetCustomerMetadata(ctx, pos.Platform, "cus_wallet", map[string]string{"kasse_copy_acct_1SELLER": "cus_copy"}, key)
			return err
		},
		form: map[string]string{"metadata[kasse_copy_acct_1SELLER]": "cus_copy"},
	},
	{
		name: "ListCustomers", method: "GET", path: "/v1/customers", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListCustomers(ctx, seller, pos.CustomerFilter{Email: "mara@example.com", Limit: 20})
			return err
		},
		form: map[string]string{"email": "mara@example.com", "limit": "20"},
	},
	{
		name: "ListCards", method: "GET", path: "/v1/customers/cus_1/payment_methods", account: string(seller),
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ListCards(ctx, seller, "cus_1")
			return err
		},
		form: map[string]string{"type": "card"},
	},
	{
		name: "GetCard", method: "GET", path: "/v1/payment_methods/pm_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetCard(ctx, pos.Platform, "pm_1")
			return err
		},
	},
	{
		name: "ShareCard", method: "POST", path: "/v1/payment_methods", account: string(seller), idem: "sale-1-share-card-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ShareCard(ctx, seller, "cus_wallet", "pm_wallet", key)
			return err
		},
		form: map[string]string{"customer": "cus_wallet", "payment_method": "pm_wallet",
			"metadata[kasse_platform_payment_method]": "pm_wallet", "metadata[kasse_platform_customer]": "cus_wallet"},
		absent: []string{"type"},
	},
	{
		name: "AttachCard", method: "POST", path: "/v1/payment_methods/pm_clone/attach", account: string(seller), idem: "sale-1-attach-card-1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.AttachCard(ctx, seller, "pm_clone", "cus_copy", key)
			return err
		},
		form: map[string]string{"customer": "cus_copy"},
	},
	{
		name: "DetachCard", method: "POST", path: "/v1/payment_methods/pm_1/detach", account: string(seller), idem: "detach-pm_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.DetachCard(ctx, seller, "pm_1", key)
			return err
		},
	},
	{
		name: "CreateSetupIntent", method: "POST", path: "/v1/setup_intents", idem: "save-1-setup",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateSetupIntent(ctx, pos.Platform, pos.SetupRequest{Customer: "cus_wallet",
				Metadata: map[string]string{pos.MetaSaveConsent: "anna"}}, key)
			return err
		},
		form: map[string]string{"customer": "cus_wallet", "payment_method_types[0]": "card_present", "usage": "off_session",
			"metadata[kasse_save_consent]": "anna"},
	},
	{
		name: "GetSetupIntent", method: "GET", path: "/v1/setup_intents/seti_1",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.GetSetupIntent(ctx, pos.Platform, "seti_1")
			return err
		},
	},
	{
		name: "CancelSetupIntent", method: "POST", path: "/v1/setup_intents/seti_1/cancel", idem: "save-1-cancel",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CancelSetupIntent(ctx, pos.Platform, "seti_1", key)
			return err
		},
		form: map[string]string{"cancellation_reason": "abandoned"},
	},
	{
		name: "ProcessSetupIntent", method: "POST", path: "/v1/terminal/readers/tmr_1/process_setup_intent", idem: "save-1-process",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.ProcessSetupIntent(ctx, pos.Platform, "tmr_1", "seti_1", key)
			return err
		},
		form: map[string]string{"setup_intent": "seti_1", "customer_consent_collected": "true"},
	},
	{
		name: "CreateIntent/saved-card", method: "POST", path: "/v1/payment_intents", account: string(seller), idem: "sale-3-create",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateIntent(ctx, seller, pos.CreateIntentRequest{Amount: 1250, Currency: "eur",
				Customer: "cus_copy", SavedCard: "pm_clone", Metadata: map[string]string{pos.MetaWallet: "cus_wallet"}}, key)
			return err
		},
		form: map[string]string{"customer": "cus_copy", "payment_method": "pm_clone", "confirm": "true", "off_session": "true",
			"payment_method_types[0]": "card", "payment_method_types[1]": "card_present", "expand[0]": "latest_charge",
			"metadata[kasse_wallet_customer]": "cus_wallet"},
		absent: []string{"setup_future_usage"},
	},
	{
		name: "CreateIntent/save-card", method: "POST", path: "/v1/payment_intents", account: string(seller), idem: "sale-4-create",
		do: func(ctx context.Context, c *Client, key string) error {
			_, err := c.CreateIntent(ctx, seller, pos.CreateIntentRequest{Amount: 1250, Currency: "usd",
				Customer: "cus_1", SetupFutureUsage: "off_session", Metadata: map[string]string{pos.MetaSaveConsent: "anna"}}, key)
			return err
		},
		form: map[string]string{"customer": "cus_1", "setup_future_usage": "off_session", "payment_method_types[0]": "card_present",
			"metadata[kasse_save_consent]": "anna"},
		absent: []string{"payment_method", "confirm", "off_session", "payment_method_types[1]"},
	},
}

// Canned customer objects for the fake Stripe.
const (
	customerJSON    = `{"id":"cus_1","object":"customer","email":"mara@example.com","name":"Mara","metadata":{},"created":1700000000}`
	cardJSON        = `{"id":"pm_1","object":"payment_method","type":"card","customer":"cus_1","created":1700000000,"metadata":{},"card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2029,"funding":"credit","country":"US"}}`
	setupIntentJSON = `{"id":"seti_1","object":"setup_intent","status":"requires_payment_method","customer":"cus_1","metadata":{},"payment_method_types":["card_present"]}`
)

// cannedCustomers answers the customers' endpoints (ok false: not one).
func cannedCustomers(r *http.Request) (string, bool) {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/payment_methods") && r.Method == http.MethodGet:
		return listJSON(p, cardJSON), true
	case p == "/v1/customers" && r.Method == http.MethodGet:
		return listJSON(p, customerJSON), true
	case strings.HasPrefix(p, "/v1/customers"):
		return customerJSON, true
	case strings.HasPrefix(p, "/v1/payment_methods"):
		return cardJSON, true
	case strings.HasPrefix(p, "/v1/setup_intents"):
		return setupIntentJSON, true
	}
	return "", false
}
