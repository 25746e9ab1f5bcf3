package sandbox

import (
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Charges: GET /v1/charges, /v1/charges/{id}. Charges are created by card
// collection (card_present.go); the API only reads them.

// charge is a charge in its 2023-10-16 shape. `transfer` (declared, not
// nullable) is present only on destination charges, as in Stripe.
// `refunds` is an includable list: null unless expanded.
type charge struct {
	store.Meta
	Object                        string              `json:"object"`
	Amount                        int64               `json:"amount"`
	AmountCaptured                int64               `json:"amount_captured"`
	AmountRefunded                int64               `json:"amount_refunded"`
	Application                   any                 `json:"application"`
	ApplicationFee                *string             `json:"application_fee"` // fee_… once captured with an application fee
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
	OnBehalfOf                    ref                 `json:"on_behalf_of"`
	Outcome                       *outcomeJSON        `json:"outcome"`
	Paid                          bool                `json:"paid"`
	PaymentIntent                 ref                 `json:"payment_intent"`
	PaymentMethod                 *string             `json:"payment_method"`
	PaymentMethodDetails          *pmDetailsJSON      `json:"payment_method_details"`
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
	Status                        string              `json:"status"` // succeeded | failed | pending
	Transfer                      string              `json:"transfer,omitempty"`
	TransferData                  *chargeTransferJSON `json:"transfer_data"`
	TransferGroup                 *string             `json:"transfer_group"`
}

func (*charge) objectType() string { return "charge" }

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
	Type          string  `json:"type"` // authorized | issuer_declined | invalid
}

type chargeTransferJSON struct {
	Amount      *int64 `json:"amount"`
	Destination string `json:"destination"`
}

// pmDetailsJSON is payment_method_details: the type and its details.
type pmDetailsJSON struct {
	Card           *chargeCardJSON     `json:"card,omitempty"`
	CardPresent    *cardPresentJSON    `json:"card_present,omitempty"`
	InteracPresent *interacPresentJSON `json:"interac_present,omitempty"`
	StripeAccount  *struct{}           `json:"stripe_account,omitempty"` // a transfer's destination payment (py_…)
	Type           string              `json:"type"`
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

// pmDetails builds payment_method_details for card c presented as pmType
// (card_present | interac_present) on a charge created at created:
// approved or not, its authorization code, the verification method and,
// for a manual capture, until when it can be captured.
func pmDetails(c *testCard, pmType string, approved bool, amount, created int64, manual bool, authCode, cvm string) *pmDetailsJSON {
	d := &cardPresentJSON{
		Brand: c.brand, Country: c.country, EmvAuthData: "8A023030", ExpMonth: testCardExpMonth,
		ExpYear: time.Unix(created, 0).UTC().Year() + 3, Fingerprint: c.fingerprint(), Funding: c.funding, Last4: c.last4(),
		Network: c.network, ReadMethod: "contact_emv",
		Receipt: &receiptJSON{
			AccountType: c.accountType(), ApplicationCryptogram: "0E8B5C6E1A9F2D43", ApplicationPreferredName: aidName(c),
			AuthorizationCode: nullString(authCode), AuthorizationResponseCode: "3030", CardholderVerificationMethod: cvm,
			DedicatedFileName: aidOf(c), TerminalVerificationResults: "0000008000", TransactionStatusInformation: "6800",
		},
	}
	if !approved {
		d.EmvAuthData, d.Receipt.AuthorizationResponseCode = "8A023035", "3035" // "05": do not honour
	}
	if c.wallet != "" {
		d.ReadMethod = "contactless_emv" // a phone is tapped
	}
	if pmType == "interac_present" {
		if d.Receipt.AccountType != "checking" {
			d.Receipt.AccountType = "unknown" // interac's enum: checking | savings | unknown
		}
		return &pmDetailsJSON{Type: pmType, InteracPresent: &interacPresentJSON{
			Brand: d.Brand, Country: d.Country, EmvAuthData: d.EmvAuthData, ExpMonth: d.ExpMonth, ExpYear: d.ExpYear,
			Fingerprint: d.Fingerprint, Funding: d.Funding, Last4: d.Last4, Network: d.Network,
			PreferredLocales: []string{"en", "fr"}, ReadMethod: d.ReadMethod, Receipt: d.Receipt,
		}}
	}
	if approved {
		d.AmountAuthorized = &amount
		if manual {
			d.CaptureBefore = created + authLifetime(c)
		}
	}
	return &pmDetailsJSON{Type: pmType, CardPresent: d}
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

// chargeExpandable lists the expand[] paths of a charge.
var chargeExpandable = []string{
	"payment_intent", "payment_intent.latest_charge", "payment_intent.payment_method", "payment_intent.customer",
	"refunds", "balance_transaction", "customer", "invoice", "application", "review", "on_behalf_of",
}

// renderCharge renders ch; exp is the expansion below it.
func (s *Server) renderCharge(ch *charge, exp *expand.Tree) any {
	if exp.Empty() {
		return ch
	}
	c := *ch
	c.OnBehalfOf = s.accountRef(ch.OnBehalfOf, exp.Sub("on_behalf_of"))
	c.Customer = s.customerRef(ch.Customer, exp.Sub("customer"))
	if sub := exp.Sub("payment_intent"); sub != nil {
		if pi, ok := s.st.intents.Get(refID(ch.PaymentIntent)); ok {
			c.PaymentIntent = s.renderIntent(pi, sub)
		}
	}
	if exp.Has("refunds") {
		refunds := s.st.refundsOf[ch.ID]
		l := &list.Envelope{Object: "list", URL: "/v1/charges/" + ch.ID + "/refunds", Data: make([]any, 0, len(refunds))}
		for i := len(refunds) - 1; i >= 0; i-- { // newest first
			l.Data = append(l.Data, refunds[i])
		}
		c.Refunds = l
	}
	return &c
}

// findCharge looks a charge up in the request's account.
func (s *Server) findCharge(rq *request, id string) (*charge, *apierr.Error) {
	ch, ok := s.st.charges.Get(id)
	if !ok || !owned(ch, rq) {
		return nil, apierr.NoSuch("charge", id).WithParam("charge")
	}
	return ch, nil
}

func (s *Server) getCharge(rq *request) (any, *apierr.Error) {
	return retrieve(rq, chargeExpandable, func(rq *request, id string) (*charge, *apierr.Error) {
		ch, err := s.findCharge(rq, id)
		if err != nil {
			return nil, err.WithParam("id") // the 404 of GET names the path's id
		}
		return ch, nil
	}, s.renderCharge)
}

// listCharges lists the account's charges, newest first; filters
// payment_intent, created and customer.
func (s *Server) listCharges(rq *request) (any, *apierr.Error) {
	created, pg, err := parseList(rq, chargeExpandable)
	if err != nil {
		return nil, err
	}
	piFilter := rq.Params.Child("payment_intent")
	cus, byCustomer := rq.Params.Child("customer").Value(), rq.Params.Has("customer")
	match := func(ch *charge) bool {
		return (!byCustomer || refID(ch.Customer) == cus) && created.Match(ch.Created) && (piFilter == nil || refID(ch.PaymentIntent) == piFilter.Value())
	}
	if piFilter != nil && pg.After == "" && pg.Before == "" { // the few charges of one intent, from the index
		items, more := newestOwned(rq, s.st.chargesOf[piFilter.Value()], pg.Limit, match)
		return renderPage(s, rq, "/v1/charges", items, more, s.renderCharge), nil
	}
	return listTable(s, rq, s.st.charges, pg, match, "/v1/charges", s.renderCharge)
}
