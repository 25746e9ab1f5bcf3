package sandbox

import (
	"net/http"
	"net/mail"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
)

// Creating and updating a PaymentIntent: the parameters each route takes
// and their checks. The object and its rendering are in payment_intents.go.
//
// Decision (UNVERIFIED status): an object named in a parameter that does
// not exist, or belongs to another account, is the same 404
// resource_missing "No such <type>: '<id>'" as a missing path object,
// with param naming the parameter — as the terminal part answers for
// process_payment_intent.

// pmTypesAccepted are the payment_method_types the sandbox can collect.
var pmTypesAccepted = []string{"card_present", "interac_present", "card"}

func (s *Server) createIntent(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, intentExpandable); err != nil {
		return nil, err
	}
	amount, has, err := form.Int(p, "amount", "amount")
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
	pi := &paymentIntent{Object: "payment_intent", Amount: amount, Currency: currency, Status: "requires_payment_method",
		CaptureMethod: "automatic", ConfirmationMethod: "automatic"}
	if p.Has("payment_method_types") {
		types, err := parsePMTypes(p, currency)
		if err != nil {
			return nil, err
		}
		pi.setPMTypes(types)
	} else {
		// 2023-10-16 enables automatic payment methods when no types are
		// named; the sandbox's only online type is card.
		pi.setPMTypes([]string{"card"})
		pi.AutomaticPaymentMethods = &automaticPMJSON{AllowRedirects: "always", Enabled: true}
	}
	if err := s.checkCardCapability(rq.Account, pi.PaymentMethodTypes); err != nil {
		return nil, err
	}
	if err := applyIntentFields(p, pi, true); err != nil {
		return nil, err
	}
	pay, err := s.readIntentPayment(rq, pi) // customer, payment_method, confirm (payment_intents_customers.go)
	if err != nil {
		return nil, err
	}
	if err := s.applyConnectFields(rq, pi); err != nil {
		return nil, err
	}
	if err := applyPMOptions(p, pi); err != nil {
		return nil, err
	}
	pi.Meta = s.newMeta("pi", rq.Account)
	pi.Created = rq.Now.Unix()
	pi.ClientSecret = nullString(pi.ID + "_secret_" + randomString(25))
	put(s, s.st.intents, pi)
	s.emit(rq, pi.Account, "payment_intent.created", pi, nil)
	if pay.confirm {
		return s.confirmCard(rq, pi, pay.pm, pay.fresh, pay.offSession, pay.cus)
	}
	s.storeUnconfirmed(pay)
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
func applyIntentFields(p *form.Params, pi *paymentIntent, create bool) *apierr.Error {
	if p.Has("capture_method") {
		v, err := form.Enum(p, "capture_method", "capture_method", "automatic", "automatic_async", "manual")
		if err != nil {
			return err
		}
		pi.CaptureMethod = v
	}
	if v, ok, err := form.String(p, "description", "description", 1000); err != nil {
		return err
	} else if ok {
		pi.Description = nullString(v)
	}
	md, err := form.Metadata(p, pi.Metadata)
	if err != nil {
		return err
	}
	pi.Metadata = md
	if v, ok, err := receiptEmail(p, "receipt_email"); err != nil {
		return err
	} else if ok {
		pi.ReceiptEmail = nullString(v)
	}
	for _, f := range []struct {
		name string
		dst  **string
	}{{"statement_descriptor", &pi.StatementDescriptor}, {"statement_descriptor_suffix", &pi.StatementDescriptorSuffix}} {
		if v, ok, err := form.String(p, f.name, f.name, 22); err != nil {
			return err
		} else if ok {
			*f.dst = nullString(v)
		}
	}
	if create {
		if v, ok, err := form.String(p, "transfer_group", "transfer_group", 5000); err != nil {
			return err
		} else if ok {
			pi.TransferGroup = nullString(v)
		}
		if p.Has("setup_future_usage") {
			v, err := form.Enum(p, "setup_future_usage", "setup_future_usage", "off_session", "on_session")
			if err != nil {
				return err
			}
			pi.SetupFutureUsage = nullString(v)
		}
	}
	return nil
}

// receiptEmail validates receipt_email like Stripe (code email_invalid).
func receiptEmail(p *form.Params, param string) (string, bool, *apierr.Error) {
	v, ok, e := form.String(p, param, param, 800)
	if e != nil || !ok || v == "" {
		return v, ok, e
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		return "", true, apierr.Validation(http.StatusBadRequest, "email_invalid", param, "Invalid email address: %s", v)
	}
	return v, true, nil
}

// errFeeNotConnect: application_fee_amount needs a direct or destination
// charge.
func errFeeNotConnect() *apierr.Error {
	return apierr.InvalidParam("application_fee_amount",
		"Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).")
}

// applyConnectFields reads on_behalf_of, transfer_data and
// application_fee_amount (create only).
func (s *Server) applyConnectFields(rq *request, pi *paymentIntent) *apierr.Error {
	p := rq.Params
	connected := func(param, id string) *apierr.Error {
		if s.accountOf(id) == nil || rq.Account != "" {
			return apierr.NoSuch("account", id).WithParam(param)
		}
		return nil
	}
	if v := p.Child("on_behalf_of").Value(); v != "" {
		if err := connected("on_behalf_of", v); err != nil {
			return err
		}
		pi.OnBehalfOf = idRef(v)
	}
	if td := p.Child("transfer_data"); td != nil {
		dest := td.Child("destination").Value()
		if dest == "" {
			return apierr.MissingParam("transfer_data[destination]")
		}
		if err := connected("transfer_data[destination]", dest); err != nil {
			return err
		}
		data := &transferDataJSON{Destination: dest}
		n, has, err := form.Int(td, "amount", "transfer_data[amount]")
		if err != nil {
			return err
		}
		if has {
			if n < 0 || n > pi.Amount {
				return apierr.InvalidParam("transfer_data[amount]", "The transfer amount must be between 0 and the PaymentIntent amount (%d).", pi.Amount)
			}
			data.Amount = &n
		}
		pi.TransferData = data
	}
	if err := s.checkConnectAccounts(pi); err != nil {
		return err
	}
	fee, has, err := form.Int(p, "application_fee_amount", "application_fee_amount")
	if err != nil {
		return err
	}
	if has {
		if rq.Account == "" && pi.TransferData == nil {
			return errFeeNotConnect()
		}
		if fee < 0 {
			return apierr.InvalidParam("application_fee_amount", "This value must be greater than or equal to 0.")
		}
		if fee > pi.Amount {
			return apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, pi.Amount)
		}
		pi.ApplicationFeeAmount = &fee
	}
	return nil
}

// checkConnectAccounts applies the capability rules of a destination
// charge (transfers.go has the transfer's): the destination needs an
// active transfers capability (Stripe's insufficient_capabilities_for_transfer);
// the on_behalf_of account, the settlement merchant, needs card_payments
// (decision, UNVERIFIED message); and a destination in another country
// than the platform needs on_behalf_of (Stripe's message).
func (s *Server) checkConnectAccounts(pi *paymentIntent) *apierr.Error {
	if obo := refID(pi.OnBehalfOf); obo != "" {
		if a := s.accountOf(obo); a != nil && a.Capabilities.CardPayments != "active" {
			return apierr.Invalid(http.StatusBadRequest, "", "on_behalf_of", "The on_behalf_of account %s does not have the card_payments capability active, so it cannot be the settlement merchant of this payment.", obo)
		}
	}
	td := pi.TransferData
	if td == nil {
		return nil
	}
	dest := s.accountOf(td.Destination)
	if dest.Capabilities.Transfers != "active" {
		return errNoTransferCapability("transfer_data[destination]")
	}
	if refID(pi.OnBehalfOf) == "" && dest.Country != s.st.platform.Country {
		return apierr.Invalid(http.StatusBadRequest, "", "transfer_data[destination]", "Cannot create a destination charge for connected accounts in %s because funds would be settled on the platform and the connected account is outside the platform's region. You may use the `on_behalf_of` parameter to have the charge settle in the connected account's country.", dest.Country)
	}
	return nil
}

// applyPMOptions reads payment_method_options[card_present][…] (the other
// types' options are accepted and not rendered).
func applyPMOptions(p *form.Params, pi *paymentIntent) *apierr.Error {
	c := p.Child("payment_method_options").Child("card_present")
	if c == nil || c.IsLeaf() {
		return nil
	}
	const prefix = "payment_method_options[card_present]"
	ext, err := form.Bool(c, "request_extended_authorization", prefix+"[request_extended_authorization]")
	if err != nil {
		return err
	}
	inc, err := form.Bool(c, "request_incremental_authorization_support", prefix+"[request_incremental_authorization_support]")
	if err != nil {
		return err
	}
	if cp := pi.PaymentMethodOptions.CardPresent; cp != nil {
		cp.RequestExtendedAuthorization, cp.RequestIncrementalAuthorizationSupport = ext, inc
	}
	return nil
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
		if p.Has(f) && !statusIn(pi.Status, updatable) {
			return nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Code: "payment_intent_unexpected_state",
				Param: f, PaymentIntent: pi,
				Message: "This PaymentIntent's " + f + " could not be updated because it has a status of " + pi.Status +
					". You may only update the " + f + " of a PaymentIntent with one of the following statuses: " + strings.Join(updatable, ", ") + "."}
		}
	}
	next := *pi // validate everything before changing anything
	if p.Has("currency") {
		if next.Currency, err = parseCurrency(p, "currency"); err != nil {
			return nil, err
		}
	}
	if n, has, err := form.Int(p, "amount", "amount"); err != nil {
		return nil, err
	} else if has {
		next.Amount = n
	}
	if p.Has("amount") || p.Has("currency") {
		if err := checkChargeAmount(next.Amount, next.Currency, "amount"); err != nil {
			return nil, err
		}
	}
	if p.Has("payment_method_types") {
		types, err := parsePMTypes(p, next.Currency)
		if err != nil {
			return nil, err
		}
		if cp := next.PaymentMethodOptions.CardPresent; cp != nil {
			c := *cp // next must not share the stored intent's options
			next.PaymentMethodOptions.CardPresent = &c
		}
		next.setPMTypes(types)
		next.AutomaticPaymentMethods = nil
	}
	if err := applyIntentFields(p, &next, false); err != nil {
		return nil, err
	}
	if fee, has, err := form.Int(p, "application_fee_amount", "application_fee_amount"); err != nil {
		return nil, err
	} else if has {
		if rq.Account == "" && next.TransferData == nil {
			return nil, errFeeNotConnect()
		}
		if fee < 0 || fee > next.Amount {
			return nil, apierr.InvalidParam("application_fee_amount", "The application fee amount (%d) cannot be greater than the PaymentIntent amount (%d).", fee, next.Amount)
		}
		next.ApplicationFeeAmount = &fee
	}
	s.touch(pi)
	*pi = next
	return s.renderIntent(pi, rq.Expand), nil
}

// checkCardCapability refuses card payment method types on a connected
// account whose card_payments capability is not active. Stripe's exact
// answer is not documented for this case (UNVERIFIED); the sandbox uses the
// message Stripe gives for a payment method type that is not activated on
// the account, with param payment_method_types.
func (s *Server) checkCardCapability(account string, types []string) *apierr.Error {
	a := s.accountOf(account)
	if a == nil || account == "" || a.Capabilities.CardPayments == "active" {
		return nil
	}
	for _, t := range types {
		if t == "card" || t == "card_present" || t == "interac_present" {
			return apierr.Validation(http.StatusBadRequest, "", "payment_method_types",
				"The payment method type %q is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.", t)
		}
	}
	return nil
}
