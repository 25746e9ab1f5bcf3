package sandbox

import (
	"time"

	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
)

// chargeJSON is a charge in its 2023-10-16 shape. `transfer` (declared,
// not nullable) is present only on destination charges, as in Stripe.
type chargeJSON struct {
	ID                            string              `json:"id"`
	Object                        string              `json:"object"`
	Amount                        int64               `json:"amount"`
	AmountCaptured                int64               `json:"amount_captured"`
	AmountRefunded                int64               `json:"amount_refunded"`
	Application                   any                 `json:"application"`
	ApplicationFee                any                 `json:"application_fee"`
	ApplicationFeeAmount          *int64              `json:"application_fee_amount"`
	BalanceTransaction            any                 `json:"balance_transaction"`
	BillingDetails                billingDetailsJSON  `json:"billing_details"`
	CalculatedStatementDescriptor *string             `json:"calculated_statement_descriptor"`
	Captured                      bool                `json:"captured"`
	Created                       int64               `json:"created"`
	Currency                      string              `json:"currency"`
	Customer                      any                 `json:"customer"`
	Description                   *string             `json:"description"`
	Disputed                      bool                `json:"disputed"`
	FailureBalanceTransaction     any                 `json:"failure_balance_transaction"`
	FailureCode                   *string             `json:"failure_code"`
	FailureMessage                *string             `json:"failure_message"`
	FraudDetails                  map[string]string   `json:"fraud_details"`
	Invoice                       any                 `json:"invoice"`
	Livemode                      bool                `json:"livemode"`
	Metadata                      map[string]string   `json:"metadata"`
	OnBehalfOf                    any                 `json:"on_behalf_of"`
	Outcome                       *outcomeJSON        `json:"outcome"`
	Paid                          bool                `json:"paid"`
	PaymentIntent                 any                 `json:"payment_intent"`
	PaymentMethod                 *string             `json:"payment_method"`
	PaymentMethodDetails          map[string]any      `json:"payment_method_details"`
	RadarOptions                  map[string]string   `json:"radar_options"`
	ReceiptEmail                  *string             `json:"receipt_email"`
	ReceiptNumber                 *string             `json:"receipt_number"`
	ReceiptURL                    *string             `json:"receipt_url"`
	Refunded                      bool                `json:"refunded"`
	Refunds                       *list.Envelope      `json:"refunds"`
	Review                        any                 `json:"review"`
	Shipping                      any                 `json:"shipping"`
	SourceTransfer                any                 `json:"source_transfer"`
	StatementDescriptor           *string             `json:"statement_descriptor"`
	StatementDescriptorSuffix     *string             `json:"statement_descriptor_suffix"`
	Status                        string              `json:"status"`
	Transfer                      string              `json:"transfer,omitempty"`
	TransferData                  *chargeTransferJSON `json:"transfer_data"`
	TransferGroup                 *string             `json:"transfer_group"`
}

type billingDetailsJSON struct {
	Address addressJSON `json:"address"`
	Email   *string     `json:"email"`
	Name    *string     `json:"name"`
	Phone   *string     `json:"phone"`
}

// outcomeJSON is charge.outcome. card_present payments are not scored by
// Radar: risk_level "not_assessed" and no risk_score or rule.
type outcomeJSON struct {
	NetworkStatus *string `json:"network_status"`
	Reason        *string `json:"reason"`
	RiskLevel     string  `json:"risk_level"`
	SellerMessage *string `json:"seller_message"`
	Type          string  `json:"type"`
}

type chargeTransferJSON struct {
	Amount      *int64 `json:"amount"`
	Destination string `json:"destination"`
}

// cardPresentJSON is payment_method_details.card_present: every declared
// property (capture_before, not nullable, only while capturable).
type cardPresentJSON struct {
	AmountAuthorized                  *int64       `json:"amount_authorized"`
	Brand                             string       `json:"brand"`
	CaptureBefore                     int64        `json:"capture_before,omitempty"`
	CardholderName                    *string      `json:"cardholder_name"`
	Country                           string       `json:"country"`
	EmvAuthData                       string       `json:"emv_auth_data"`
	ExpMonth                          int          `json:"exp_month"`
	ExpYear                           int          `json:"exp_year"`
	Fingerprint                       string       `json:"fingerprint"`
	Funding                           string       `json:"funding"`
	GeneratedCard                     *string      `json:"generated_card"`
	IncrementalAuthorizationSupported bool         `json:"incremental_authorization_supported"`
	Last4                             string       `json:"last4"`
	Network                           string       `json:"network"`
	Offline                           *struct{}    `json:"offline"`
	OvercaptureSupported              bool         `json:"overcapture_supported"`
	ReadMethod                        string       `json:"read_method"`
	Receipt                           *receiptJSON `json:"receipt"`
}

// interacPresentJSON is payment_method_details.interac_present.
type interacPresentJSON struct {
	Brand            string       `json:"brand"`
	CardholderName   *string      `json:"cardholder_name"`
	Country          string       `json:"country"`
	EmvAuthData      string       `json:"emv_auth_data"`
	ExpMonth         int          `json:"exp_month"`
	ExpYear          int          `json:"exp_year"`
	Fingerprint      string       `json:"fingerprint"`
	Funding          string       `json:"funding"`
	GeneratedCard    *string      `json:"generated_card"`
	Last4            string       `json:"last4"`
	Network          string       `json:"network"`
	PreferredLocales []string     `json:"preferred_locales"`
	ReadMethod       string       `json:"read_method"`
	Receipt          *receiptJSON `json:"receipt"`
}

type receiptJSON struct {
	AccountType                  string  `json:"account_type"`
	ApplicationCryptogram        string  `json:"application_cryptogram"`
	ApplicationPreferredName     string  `json:"application_preferred_name"`
	AuthorizationCode            *string `json:"authorization_code"`
	AuthorizationResponseCode    string  `json:"authorization_response_code"`
	CardholderVerificationMethod string  `json:"cardholder_verification_method"`
	DedicatedFileName            string  `json:"dedicated_file_name"`
	TerminalVerificationResults  string  `json:"terminal_verification_results"`
	TransactionStatusInformation string  `json:"transaction_status_information"`
}

// Card expiry of the simulated test cards: December, three years on.
const testCardExpMonth = 12

// renderCharge renders ch; exp is the expansion below it. `refunds` is an
// includable list in 2023-10-16: null unless expanded.
func (s *Server) renderCharge(ch *charge, exp *expand.Tree) any {
	out := &chargeJSON{
		ID: ch.id, Object: "charge", Amount: ch.amount, AmountCaptured: ch.amountCaptured, AmountRefunded: ch.amountRefunded,
		ApplicationFeeAmount: ch.applicationFee, CalculatedStatementDescriptor: nullString(ch.calculatedDescriptor),
		Captured: ch.captured, Created: ch.created, Currency: ch.currency, Description: nullString(ch.description),
		FailureCode: nullString(ch.failureCode), FailureMessage: nullString(ch.failureMessage), FraudDetails: map[string]string{},
		Livemode: livemode, Metadata: ch.metadata, Paid: ch.paid, PaymentMethod: nullString(ch.paymentMethod),
		RadarOptions: map[string]string{}, ReceiptEmail: nullString(ch.receiptEmail), ReceiptURL: nullString(ch.receiptURL),
		Refunded: ch.refunded, StatementDescriptor: nullString(ch.statementDescriptor),
		StatementDescriptorSuffix: nullString(ch.statementDescriptorSuffix), Status: ch.status, TransferGroup: nullString(ch.transferGroup),
		PaymentMethodDetails: s.chargePMDetails(ch),
		Outcome: &outcomeJSON{NetworkStatus: nullString(outcomeNetwork(ch)), Reason: nullString(ch.outcomeReason),
			RiskLevel: "not_assessed", SellerMessage: nullString(ch.sellerMessage), Type: ch.outcomeType},
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	if ch.applicationFeeID != "" {
		out.ApplicationFee = ch.applicationFeeID
	}
	out.OnBehalfOf = s.accountRef(ch.onBehalfOf, exp.Sub("on_behalf_of"))
	if ch.transferDest != "" {
		out.TransferData = &chargeTransferJSON{Amount: ch.transferAmount, Destination: ch.transferDest}
	}
	if ch.paymentIntent != "" {
		out.PaymentIntent = ch.paymentIntent
		if sub := exp.Sub("payment_intent"); sub != nil {
			if pi, ok := s.st.intents[ch.paymentIntent]; ok {
				out.PaymentIntent = s.renderIntent(pi, sub)
			}
		}
	}
	if exp.Has("refunds") {
		list := &list.Envelope{Object: "list", URL: "/v1/charges/" + ch.id + "/refunds", Data: []any{}}
		for _, r := range s.refundsOf(ch.id) {
			list.Data = append(list.Data, s.renderRefund(r, nil))
		}
		out.Refunds = list
	}
	return out
}

func outcomeNetwork(ch *charge) string {
	switch ch.outcomeType {
	case "authorized":
		return "approved_by_network"
	case "issuer_declined":
		return "declined_by_network"
	}
	return "not_sent_to_network"
}

// chargePMDetails renders payment_method_details for the presented card.
func (s *Server) chargePMDetails(ch *charge) map[string]any {
	c := ch.card
	if c == nil {
		return nil
	}
	approved := ch.status == "succeeded"
	year := time.Unix(ch.created, 0).UTC().Year() + 3
	d := &cardPresentJSON{
		Brand: c.brand, Country: c.country, EmvAuthData: "8A023030", ExpMonth: testCardExpMonth, ExpYear: year,
		Fingerprint: c.fingerprint(), Funding: c.funding, Last4: c.last4(), Network: c.network, ReadMethod: "contact_emv",
		Receipt: &receiptJSON{
			AccountType: c.accountType(), ApplicationCryptogram: "0E8B5C6E1A9F2D43", ApplicationPreferredName: aidName(c),
			AuthorizationCode: nullString(ch.authCode), AuthorizationResponseCode: "3030", CardholderVerificationMethod: ch.cvm,
			DedicatedFileName: aidOf(c), TerminalVerificationResults: "0000008000", TransactionStatusInformation: "6800",
		},
	}
	if !approved {
		d.EmvAuthData, d.Receipt.AuthorizationResponseCode = "8A023035", "3035" // "05": do not honour
	}
	if ch.pmType == "interac_present" {
		if d.Receipt.AccountType != "checking" {
			d.Receipt.AccountType = "unknown" // interac's enum: checking | savings | unknown
		}
		return map[string]any{"type": ch.pmType, ch.pmType: &interacPresentJSON{
			Brand: d.Brand, Country: d.Country, EmvAuthData: d.EmvAuthData, ExpMonth: d.ExpMonth, ExpYear: d.ExpYear,
			Fingerprint: d.Fingerprint, Funding: d.Funding, Last4: d.Last4, Network: d.Network,
			PreferredLocales: []string{"en", "fr"}, ReadMethod: d.ReadMethod, Receipt: d.Receipt,
		}}
	}
	if approved {
		amt := ch.amount
		d.AmountAuthorized = &amt
		if ch.captureMethod == "manual" {
			d.CaptureBefore = ch.created + authLifetime(c)
		}
	}
	return map[string]any{"type": ch.pmType, ch.pmType: d}
}

// authLifetime is how long a card_present authorization can be captured:
// Visa 5 days (4 days 18 hours in practice), other networks 2 days.
func authLifetime(c *testCard) int64 {
	if c.network == "visa" {
		return 4*86400 + 18*3600
	}
	return 2 * 86400
}

// aidOf is the EMV application id (dedicated file name) of the network.
func aidOf(c *testCard) string {
	switch c.network {
	case "visa":
		return "A0000000031010"
	case "mastercard":
		return "A0000000041010"
	case "amex":
		return "A00000002501"
	case "discover", "diners":
		return "A0000001523010"
	case "jcb":
		return "A0000000651010"
	case "unionpay":
		return "A000000333010101"
	case "interac":
		return "A0000002771010"
	case "eftpos_au":
		return "A000000384101001"
	}
	return "A0000000000000"
}

func aidName(c *testCard) string {
	names := map[string]string{"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
		"discover": "Discover", "diners": "Diners Club", "jcb": "JCB", "unionpay": "UnionPay",
		"interac": "Interac", "eftpos_au": "eftpos"}
	n, ok := names[c.brand]
	if !ok {
		return "Card"
	}
	switch c.funding {
	case "credit":
		return n + " Credit"
	case "debit":
		return n + " Debit"
	case "prepaid":
		return n + " Prepaid"
	}
	return n
}
