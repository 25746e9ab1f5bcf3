package sandbox

import (
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
)

// Reader actions (stripe-api.md §1.2-1.5, §15.1-3): process_payment_intent,
// process_setup_intent, set_reader_display, cancel_action.
//
// Check order of every action (decision): parameters (validation errors),
// reader lookup (404), the intent's lookup and state (404,
// intent_invalid_state), then the reader's own state: offline
// (terminal_reader_offline), authorizing a presented card
// (terminal_reader_busy). Actions answer 200 with the reader and
// action.status in_progress; outcomes come from present_payment_method.

const (
	actionInProgress = "in_progress"
	actionSucceeded  = "succeeded"
	actionFailed     = "failed"
)

func errIntentInvalidState() *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "intent_invalid_state", "",
		"Payment intent must be in the requires_payment_method state to be processed by a reader.")
}

func errSetupInvalidState() *apierr.Error {
	return apierr.Invalid(http.StatusBadRequest, "intent_invalid_state", "",
		"Setup intent must be in the requires_payment_method state to be processed by a reader.")
}

// readerState refuses an action on a reader that is offline, or that is
// authorizing a presented card (busy).
func (s *Server) readerState(r *reader) *apierr.Error {
	if r.status == "offline" {
		return apierr.ReaderOffline()
	}
	if r.action != nil && r.action.status == actionInProgress && r.action.presenting {
		return apierr.ReaderBusy()
	}
	return nil
}

// termVisible reports whether an intent of owner may be processed by a
// reader called from rq's account. A seller-owned reader (Stripe-Account:
// seller) processes only the seller's intents; a platform reader (no
// header) processes the platform's intents and those of any connected
// account — the platform-owned-readers direct-charge setup (§3, §15.7).
func termVisible(owner string, rq *request) bool {
	return rq.Account == "" || owner == rq.Account
}

func termHasType(types []string, want ...string) bool {
	for _, t := range types {
		for _, w := range want {
			if t == w {
				return true
			}
		}
	}
	return false
}

// processPaymentIntent starts a payment on the reader. An action not yet
// presented (a payment, a setup, a display) is replaced (§1.5: "payments
// that have not begun processing can be replaced").
func (s *Server) processPaymentIntent(rq *request) (any, *apierr.Error) {
	piID, err := termRequired(rq.Params, "payment_intent", "payment_intent")
	if err != nil {
		return nil, err
	}
	a := &readerAction{typ: "process_payment_intent", status: actionInProgress}
	if c := rq.Params.Child("process_config"); c != nil {
		if err := termObject(c, "process_config"); err != nil {
			return nil, err
		}
		if err := termOnly(c, "process_config", "skip_tipping", "tipping", "enable_customer_cancellation"); err != nil {
			return nil, err
		}
		a.hasConfig = true
		if a.skipTipping, err = termBoolPtr(c, "skip_tipping", "process_config[skip_tipping]"); err != nil {
			return nil, err
		}
		if a.enableCancel, err = termBoolPtr(c, "enable_customer_cancellation", "process_config[enable_customer_cancellation]"); err != nil {
			return nil, err
		}
		if t := c.Child("tipping"); t != nil {
			if err := termObject(t, "process_config[tipping]"); err != nil {
				return nil, err
			}
			if err := termOnly(t, "process_config[tipping]", "amount_eligible"); err != nil {
				return nil, err
			}
			n, set, err := termInt(t, "amount_eligible", "process_config[tipping][amount_eligible]")
			if err != nil {
				return nil, err
			}
			if set && n < 0 {
				return nil, apierr.InvalidParam("process_config[tipping][amount_eligible]", "This value must be greater than or equal to 0.")
			}
			if set {
				a.tipEligible = &n
			}
		}
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	pi, ok := s.st.intents[piID]
	if !ok || !termVisible(pi.account, rq) {
		return nil, apierr.NoSuch("payment_intent", piID).WithParam("payment_intent")
	}
	// Decision (UNVERIFIED message): an intent that cannot take in-person
	// cards is refused before the reader is involved.
	if !termHasType(pi.paymentMethodTypes, "card_present", "interac_present") {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "payment_intent",
			"The PaymentIntent %s cannot be processed by a reader: its payment_method_types (%s) include neither card_present nor interac_present.",
			pi.id, strings.Join(pi.paymentMethodTypes, ", "))
	}
	if pi.status != "requires_payment_method" {
		return nil, errIntentInvalidState()
	}
	if err := s.readerState(r); err != nil {
		return nil, err
	}
	a.paymentIntent = pi.id
	r.action = a
	s.scheduleAutoPresent(rq, r, a)
	return s.renderReader(r, rq.Expand), nil
}

// processSetupIntent starts saving a card (no payment). Decision
// (UNVERIFIED): customer_consent_collected=false is refused — the card
// cannot be saved without the customer's consent.
func (s *Server) processSetupIntent(rq *request) (any, *apierr.Error) {
	siID, err := termRequired(rq.Params, "setup_intent", "setup_intent")
	if err != nil {
		return nil, err
	}
	consent, set, err := termBool(rq.Params, "customer_consent_collected", "customer_consent_collected")
	if err != nil {
		return nil, err
	}
	if !set {
		return nil, apierr.MissingParam("customer_consent_collected")
	}
	if !consent {
		return nil, apierr.InvalidParam("customer_consent_collected",
			"customer_consent_collected must be true: collect the customer's consent to save their card before processing the SetupIntent.")
	}
	a := &readerAction{typ: "process_setup_intent", status: actionInProgress}
	if c := rq.Params.Child("process_config"); c != nil {
		if err := termObject(c, "process_config"); err != nil {
			return nil, err
		}
		if err := termOnly(c, "process_config", "enable_customer_cancellation"); err != nil {
			return nil, err
		}
		a.hasConfig = true
		if a.enableCancel, err = termBoolPtr(c, "enable_customer_cancellation", "process_config[enable_customer_cancellation]"); err != nil {
			return nil, err
		}
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	si, ok := s.st.setups[siID]
	if !ok || !termVisible(si.account, rq) {
		return nil, apierr.NoSuch("setupintent", siID).WithParam("setup_intent")
	}
	if !termHasType(si.paymentMethodTypes, "card_present") {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "setup_intent",
			"The SetupIntent %s cannot be processed by a reader: its payment_method_types (%s) do not include card_present.",
			si.id, strings.Join(si.paymentMethodTypes, ", "))
	}
	if si.status != "requires_payment_method" {
		return nil, errSetupInvalidState()
	}
	if err := s.readerState(r); err != nil {
		return nil, err
	}
	a.setupIntent = si.id
	r.action = a
	s.scheduleAutoPresent(rq, r, a)
	return s.renderReader(r, rq.Expand), nil
}

// cancelAction resets the reader: action → null. It never touches the
// intent (a PaymentIntent stays requires_payment_method; cancel it
// separately). While a presented card is authorizing: terminal_reader_busy.
// Decision (UNVERIFIED): a reader with no action, or a completed one, is
// reset too and answers 200 — cancel_action is a reset, and a retry after
// a false-negative terminal_reader_timeout must not fail. No event.
func (s *Server) cancelAction(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	if err := s.readerState(r); err != nil {
		return nil, err
	}
	r.action = nil
	return s.renderReader(r, rq.Expand), nil
}

// releaseIntent is called by the payments part when piID is canceled.
// Decision: a reader whose in-progress, not yet presented action holds the
// intent is reset (action → null, no event), as cancel_action would; the
// reader no longer waits for a card for a dead intent. An action already
// authorizing settles as failed when the authorization ends (present.go).
func (s *Server) releaseIntent(rq *request, piID string) {
	for _, r := range s.st.readers {
		a := r.action
		if a != nil && a.typ == "process_payment_intent" && a.paymentIntent == piID &&
			a.status == actionInProgress && !a.presenting {
			r.action = nil
		}
	}
}
