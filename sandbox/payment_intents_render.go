package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
)

// piJSON is a payment_intent in its 2023-10-16 shape: every property the
// spec declares, nulls included.
type piJSON struct {
	ID                                string            `json:"id"`
	Object                            string            `json:"object"`
	Amount                            int64             `json:"amount"`
	AmountCapturable                  int64             `json:"amount_capturable"`
	AmountDetails                     piAmountDetails   `json:"amount_details"`
	AmountReceived                    int64             `json:"amount_received"`
	Application                       any               `json:"application"`
	ApplicationFeeAmount              *int64            `json:"application_fee_amount"`
	AutomaticPaymentMethods           any               `json:"automatic_payment_methods"`
	CanceledAt                        *int64            `json:"canceled_at"`
	CancellationReason                *string           `json:"cancellation_reason"`
	CaptureMethod                     string            `json:"capture_method"`
	ClientSecret                      *string           `json:"client_secret"`
	ConfirmationMethod                string            `json:"confirmation_method"`
	Created                           int64             `json:"created"`
	Currency                          string            `json:"currency"`
	Customer                          any               `json:"customer"`
	Description                       *string           `json:"description"`
	Invoice                           any               `json:"invoice"`
	LastPaymentError                  *lastErrorJSON    `json:"last_payment_error"`
	LatestCharge                      any               `json:"latest_charge"`
	Livemode                          bool              `json:"livemode"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        any               `json:"next_action"`
	OnBehalfOf                        any               `json:"on_behalf_of"`
	PaymentMethod                     any               `json:"payment_method"`
	PaymentMethodConfigurationDetails any               `json:"payment_method_configuration_details"`
	PaymentMethodOptions              map[string]any    `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	Processing                        any               `json:"processing"`
	ReceiptEmail                      *string           `json:"receipt_email"`
	Review                            any               `json:"review"`
	SetupFutureUsage                  *string           `json:"setup_future_usage"`
	Shipping                          any               `json:"shipping"`
	StatementDescriptor               *string           `json:"statement_descriptor"`
	StatementDescriptorSuffix         *string           `json:"statement_descriptor_suffix"`
	Status                            string            `json:"status"`
	TransferData                      *transferDataJSON `json:"transfer_data"`
	TransferGroup                     *string           `json:"transfer_group"`
}

// piAmountDetails: tip.amount is absent while no tip applies. The spec
// declares it a non-nullable integer, so "no tip" is `{"tip": {}}` (what
// stripe-mock's fixture shows), never null.
type piAmountDetails struct {
	Tip struct {
		Amount *int64 `json:"amount,omitempty"`
	} `json:"tip"`
}

// lastErrorJSON is an api_errors object. payment_method is left out: the
// spec makes it a complete payment_method (not nullable), and the sandbox
// does not store PaymentMethods (decision; Stripe embeds the PM).
type lastErrorJSON struct {
	Charge      string `json:"charge,omitempty"`
	Code        string `json:"code,omitempty"`
	DeclineCode string `json:"decline_code,omitempty"`
	DocURL      string `json:"doc_url,omitempty"`
	Message     string `json:"message,omitempty"`
	Type        string `json:"type"`
}

type transferDataJSON struct {
	Amount      *int64 `json:"amount,omitempty"`
	Destination string `json:"destination"`
}

type automaticPMJSON struct {
	AllowRedirects string `json:"allow_redirects"`
	Enabled        bool   `json:"enabled"`
}

// intentExpandable lists the expand[] paths of a payment_intent. Fields
// the sandbox never fills (customer, invoice, review, application) expand
// to null. payment_method stays an id even when expanded: PaymentMethods
// are not stored (decision).
var intentExpandable = []string{
	"latest_charge", "latest_charge.payment_intent", "latest_charge.refunds",
	"latest_charge.balance_transaction", "latest_charge.customer", "latest_charge.invoice",
	"latest_charge.application", "latest_charge.review",
	"latest_charge.on_behalf_of", "on_behalf_of",
	"payment_method", "customer", "invoice", "review", "application",
}

// chargeExpandable lists the expand[] paths of a charge.
var chargeExpandable = []string{
	"payment_intent", "payment_intent.latest_charge", "payment_intent.payment_method", "payment_intent.customer",
	"refunds", "balance_transaction", "customer", "invoice", "application", "review", "on_behalf_of",
}

// refundExpandable lists the expand[] paths of a refund.
var refundExpandable = []string{
	"charge", "charge.payment_intent", "charge.refunds", "charge.balance_transaction",
	"payment_intent", "payment_intent.latest_charge", "balance_transaction",
	"source_transfer_reversal", "transfer_reversal",
}

func i64Ptr(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

// renderIntent renders pi; exp is the expansion below it (nil: ids only).
func (s *Server) renderIntent(pi *paymentIntent, exp *expand.Tree) any {
	out := &piJSON{
		ID: pi.id, Object: "payment_intent", Amount: pi.amount, AmountCapturable: pi.amountCapturable,
		AmountReceived: pi.amountReceived, ApplicationFeeAmount: pi.applicationFee,
		CanceledAt: i64Ptr(pi.canceledAt), CancellationReason: nullString(pi.cancellationReason),
		CaptureMethod: pi.captureMethod, ClientSecret: nullString(pi.clientSecret), ConfirmationMethod: "automatic",
		Created: pi.created, Currency: pi.currency, Description: nullString(pi.description), Livemode: livemode,
		Metadata: pi.metadata, PaymentMethodTypes: pi.paymentMethodTypes, ReceiptEmail: nullString(pi.receiptEmail),
		SetupFutureUsage: nullString(pi.setupFutureUsage), StatementDescriptor: nullString(pi.statementDescriptor),
		StatementDescriptorSuffix: nullString(pi.statementDescriptorSuffix), Status: pi.status,
		TransferGroup: nullString(pi.transferGroup), PaymentMethodOptions: intentPMOptions(pi),
	}
	if out.Metadata == nil {
		out.Metadata = map[string]string{}
	}
	out.AmountDetails.Tip.Amount = pi.tip
	if pi.automaticPM {
		out.AutomaticPaymentMethods = &automaticPMJSON{AllowRedirects: "always", Enabled: true}
	}
	out.OnBehalfOf = s.accountRef(pi.onBehalfOf, exp.Sub("on_behalf_of"))
	if pi.paymentMethod != "" {
		out.PaymentMethod = pi.paymentMethod
	}
	if pi.transferDest != "" {
		out.TransferData = &transferDataJSON{Amount: pi.transferAmount, Destination: pi.transferDest}
	}
	if e := pi.lastError; e != nil {
		out.LastPaymentError = &lastErrorJSON{Charge: e.charge, Code: e.code, DeclineCode: e.declineCode,
			DocURL: apierr.DocURL(e.code), Message: e.message, Type: e.typ}
	}
	if pi.latestCharge != "" {
		out.LatestCharge = pi.latestCharge
		if sub := exp.Sub("latest_charge"); sub != nil {
			if ch, ok := s.st.charges[pi.latestCharge]; ok {
				out.LatestCharge = s.renderCharge(ch, sub)
			}
		}
	}
	return out
}

// accountRef renders an account reference: null, the id, or (expanded)
// the account object.
func (s *Server) accountRef(id string, exp *expand.Tree) any {
	if id == "" {
		return nil
	}
	if a, ok := s.st.accounts[id]; ok && exp != nil {
		return s.renderAccount(a)
	}
	return id
}

// intentPMOptions renders payment_method_options for the intent's types:
// card_present's two booleans (null unless requested), interac_present's
// empty object, card's defaults.
func intentPMOptions(pi *paymentIntent) map[string]any {
	out := map[string]any{}
	for _, t := range pi.paymentMethodTypes {
		switch t {
		case "card_present":
			out[t] = map[string]any{
				"request_extended_authorization":            pi.requestExtendedAuth,
				"request_incremental_authorization_support": pi.requestIncrementalAuth,
			}
		case "interac_present":
			out[t] = map[string]any{}
		case "card":
			out[t] = map[string]any{"installments": nil, "mandate_options": nil, "network": nil, "request_three_d_secure": "automatic"}
		}
	}
	return out
}
