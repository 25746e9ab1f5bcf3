package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
)

// PaymentIntents (stripe-api.md §1.1, §6): create, retrieve, list, update.
// Capture and cancel are in payment_intents_lifecycle.go; card collection
// (present_payment_method) in testcards_collect.go.
//
// Decision (UNVERIFIED status): an object named in a parameter that does
// not exist, or belongs to another account, is the same 404
// resource_missing "No such <type>: '<id>'" as a missing path object,
// with param naming the parameter — as the terminal part answers for
// process_payment_intent.

// pmTypesAccepted are the payment_method_types the sandbox can collect.
var pmTypesAccepted = []string{"card_present", "interac_present", "card"}

// findIntent looks an intent up in the request's account.
func (s *Server) findIntent(rq *request, id string) (*paymentIntent, *apierr.Error) {
	pi, ok := s.st.intents[id]
	if !ok || !owned(&pi.meta, rq) {
		return nil, apierr.NoSuch("payment_intent", id).WithParam("intent")
	}
	return pi, nil
}

func (s *Server) createIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	amount, has, err := parseAmountParam(p, "amount")
	if err != nil {
		return nil, err
	}
	if !has {
		return nil, apierr.MissingParam("amount")
	}
	currency, err := parseCurrency(p, "currency")
	if err != nil {
		return nil, err
	}
	if err := checkChargeAmount(amount, currency, "amount"); err != nil {
		return nil, err
	}
	pi := &paymentIntent{amount: amount, currency: currency, status: "requires_payment_method", captureMethod: "automatic"}
	if p.Has("payment_method_types") {
		if pi.paymentMethodTypes, err = parsePMTypes(p, currency); err != nil {
			return nil, err
		}
	} else {
		// 2023-10-16 enables automatic payment methods when no types are
		// named; the sandbox's only online type is card.
		pi.paymentMethodTypes, pi.automaticPM = []string{"card"}, true
	}
	if err := s.checkCardCapability(rq.Account, pi.paymentMethodTypes); err != nil {
		return nil, err
	}
	if err := s.applyIntentFields(rq, pi, true); err != nil {
		return nil, err
	}
	if c := p.Child("customer"); c != nil && c.Value() != "" {
		// The sandbox has no customers: every id is unknown.
		return nil, apierr.NoSuch("customer", c.Value()).WithParam("customer")
	}
	if err := s.applyConnectFields(rq, pi); err != nil {
		return nil, err
	}
	if err := applyPMOptions(p, pi); err != nil {
		return nil, err
	}
	pi.meta = s.newMeta("pi", rq.Account, rq.Now.Unix())
	pi.clientSecret = pi.id + "_secret_" + randomString(25)
	s.st.intents[pi.id] = pi
	s.emit(rq, pi.account, "payment_intent.created", s.renderIntent(pi, nil), nil)
	return s.renderIntent(pi, rq.Expand), nil
}

// parsePMTypes validates payment_method_types.
func parsePMTypes(p *form.Params, currency string) ([]string, *apierr.Error) {
	types := p.Child("payment_method_types").Strings()
	if len(types) == 0 {
		return nil, apierr.InvalidParam("payment_method_types", "Invalid array")
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range types {
		ok := false
		for _, a := range pmTypesAccepted {
			ok = ok || t == a
		}
		if !ok {
			return nil, apierr.InvalidParam("payment_method_types",
				"The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", t)
		}
		// Decision (UNVERIFIED message): Interac is Canadian dollars only.
		if t == "interac_present" && currency != "cad" {
			return nil, apierr.InvalidParam("payment_method_types",
				"The currency provided (%s) is invalid. Payment method type interac_present only supports the following currencies: cad.", currency)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// applyIntentFields reads the plain fields shared by create and update.
func (s *Server) applyIntentFields(rq *request, pi *paymentIntent, create bool) *apierr.Error {
	p := rq.Params
	var err *apierr.Error
	if pi.captureMethod, err = payEnumDefault(p, "capture_method", pi.captureMethod, "automatic", "automatic_async", "manual"); err != nil {
		return err
	}
	if v, ok, err := payString(p, "description", 1000); err != nil {
		return err
	} else if ok {
		pi.description = v
	}
	if pi.metadata, err = payMetadata(p, pi.metadata); err != nil {
		return err
	}
	if v, ok, err := payEmail(p, "receipt_email"); err != nil {
		return err
	} else if ok {
		pi.receiptEmail = v
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"statement_descriptor", &pi.statementDescriptor}, {"statement_descriptor_suffix", &pi.statementDescriptorSuffix}} {
		if v, ok, err := payString(p, f.name, 22); err != nil {
			return err
		} else if ok {
			*f.dst = v
		}
	}
	if create {
		if v, ok, err := payString(p, "transfer_group", 5000); err != nil {
			return err
		} else if ok {
			pi.transferGroup = v
		}
		if pi.setupFutureUsage, err = payEnumDefault(p, "setup_future_usage", "", "off_session", "on_session"); err != nil {
			return err
		}
	}
	return nil
}

// payEnumDefault is payEnum keeping def when the parameter is absent.
func payEnumDefault(p *form.Params, param, def string, allowed ...string) (string, *apierr.Error) {
	if !p.Has(param) {
		return def, nil
	}
	return payEnum(p, param, allowed...)
}

// applyConnectFields reads on_behalf_of, transfer_data and
// application_fee_amount (create only).
func (s *Server) applyConnectFields(rq *request, pi *paymentIntent) *apierr.Error {
	p := rq.Params
	connected := func(param, id string) *apierr.Error {
		if a, ok := s.st.accounts[id]; !ok || a.id == s.st.platformID || rq.Account != "" {
			return apierr.NoSuch("account", id).WithParam(param)
		}
		return nil
	}
	if v := p.Child("on_behalf_of").Value(); v != "" {
		if err := connected("on_behalf_of", v); err != nil {
			return err
		}
		pi.onBehalfOf = v
	}
	if td := p.Child("transfer_data"); td != nil {
		dest := td.Child("destination").Value()
		if dest == "" {
			return apierr.MissingParam("transfer_data[destination]")
		}
		if err := connected("transfer_data[destination]", dest); err != nil {
			return err
		}
		n, has, err := parseAmountParam(td, "amount")
		if err != nil {
			return err.WithParam("transfer_data[amount]")
		}
		if has {
			if n < 0 || n > pi.amount {
				return apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the PaymentIntent amount (%d).", pi.amount)
			}
			pi.transferAmount = &n
		}
		pi.transferDest = dest
	}
	fee, has, err := parseAmountParam(p, "application_fee_amount")
	if err != nil {
		return err
	}
	if has {
		if rq.Account == "" && pi.transferDest == "" {
			return apierr.InvalidParam("application_fee_amount",
				"Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).")
		}
		if fee < 0 {
			return apierr.InvalidParam("application_fee_amount", "This value must be greater than or equal to 0.")
		}
		if fee > pi.amount {
			return apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, pi.amount)
		}
		pi.applicationFee = &fee
	}
	return nil
}

// applyPMOptions reads payment_method_options[card_present][…] (the other
// types' options are accepted and not rendered).
func applyPMOptions(p *form.Params, pi *paymentIntent) *apierr.Error {
	cp := p.Child("payment_method_options").Child("card_present")
	if cp == nil || cp.IsLeaf() {
		return nil
	}
	var err *apierr.Error
	if pi.requestExtendedAuth, err = payBool(cp, "request_extended_authorization"); err != nil {
		return err.WithParam("payment_method_options[card_present][request_extended_authorization]")
	}
	if pi.requestIncrementalAuth, err = payBool(cp, "request_incremental_authorization_support"); err != nil {
		return err.WithParam("payment_method_options[card_present][request_incremental_authorization_support]")
	}
	return nil
}

func (s *Server) getIntent(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	return s.renderIntent(pi, rq.Expand), nil
}

// listIntents lists the account's intents, newest first; filters created
// and customer (the sandbox has no customers: a customer filter matches
// nothing).
func (s *Server) listIntents(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", intentExpandable)); err != nil {
		return nil, err
	}
	f, err := payCreatedFilter(rq.Params)
	if err != nil {
		return nil, err
	}
	customer := rq.Params.Has("customer")
	var items []*paymentIntent
	for _, pi := range s.st.intents {
		if owned(&pi.meta, rq) && f.match(pi.created) && !customer {
			items = append(items, pi)
		}
	}
	sub := rq.Expand.Sub("data")
	return list.Paginate(rq.Params, "/v1/payment_intents", "payment_intent", items, func(pi *paymentIntent) any { return s.renderIntent(pi, sub) })
}

// updatable are the statuses in which amount, currency, capture_method,
// payment_method_types, statement descriptors and application_fee_amount
// may change. metadata, description and receipt_email change in any
// status (decision, following Stripe's "You may only update the amount of
// a PaymentIntent with one of the following statuses" message).
var updatable = []string{"requires_payment_method", "requires_confirmation", "requires_action"}

func (s *Server) updateIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	pi, err := s.findIntent(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"amount", "currency", "capture_method", "payment_method_types",
		"statement_descriptor", "statement_descriptor_suffix", "application_fee_amount"} {
		if p.Has(f) && !statusIn(pi.status, updatable) {
			return nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
				Param: f, PaymentIntent: s.renderIntent(pi, nil),
				Message: "This PaymentIntent's " + f + " could not be updated because it has a status of " + pi.status +
					". You may only update the " + f + " of a PaymentIntent with one of the following statuses: " + strings.Join(updatable, ", ") + "."}
		}
	}
	next := *pi // validate everything before changing anything
	if p.Has("currency") {
		if next.currency, err = parseCurrency(p, "currency"); err != nil {
			return nil, err
		}
	}
	if n, has, err := parseAmountParam(p, "amount"); err != nil {
		return nil, err
	} else if has {
		next.amount = n
	}
	if p.Has("amount") || p.Has("currency") {
		if err := checkChargeAmount(next.amount, next.currency, "amount"); err != nil {
			return nil, err
		}
	}
	if p.Has("payment_method_types") {
		if next.paymentMethodTypes, err = parsePMTypes(p, next.currency); err != nil {
			return nil, err
		}
		next.automaticPM = false
	}
	if err := s.applyIntentFields(rq, &next, false); err != nil {
		return nil, err
	}
	if fee, has, err := parseAmountParam(p, "application_fee_amount"); err != nil {
		return nil, err
	} else if has {
		if rq.Account == "" && next.transferDest == "" {
			return nil, apierr.InvalidParam("application_fee_amount",
				"Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).")
		}
		if fee < 0 || fee > next.amount {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, next.amount)
		}
		next.applicationFee = &fee
	}
	*pi = next
	return s.renderIntent(pi, rq.Expand), nil
}

func statusIn(status string, set []string) bool {
	for _, s := range set {
		if s == status {
			return true
		}
	}
	return false
}

// checkCardCapability refuses card payment method types on a connected
// account whose card_payments capability is not active. Stripe's exact
// answer is not documented for this case (UNVERIFIED); the sandbox uses the
// message Stripe gives for a payment method type that is not activated on
// the account, with param payment_method_types.
func (s *Server) checkCardCapability(account string, types []string) *apierr.Error {
	a, ok := s.st.accounts[account]
	if !ok || account == "" || a.cardPayments == "active" {
		return nil
	}
	for _, t := range types {
		if t == "card" || t == "card_present" || t == "interac_present" {
			e := apierr.Invalid(http.StatusBadRequest, "", "payment_method_types",
				"The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", t)
			e.Validation = true
			return e
		}
	}
	return nil
}
