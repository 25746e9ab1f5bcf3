package sandbox

import (
	"net/http"
	"strconv"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
)

// Reader actions (stripe-api.md §1.2-1.5, §15.1-3): process_payment_intent,
// process_setup_intent, set_reader_display, cancel_action.
//
// Check order of every action (decision): parameters (validation errors),
// reader lookup (404), the intent's lookup and state (404,
// intent_invalid_state), then the reader's own state: offline
// (terminal_reader_offline), authorizing a presented card
// (terminal_reader_busy). Actions answer 200 with the reader and
// action.status in_progress; outcomes come from present_payment_method
// (test_helpers_terminal_readers.go).

const (
	actionInProgress = "in_progress"
	actionSucceeded  = "succeeded"
	actionFailed     = "failed"

	actionProcessPayment = "process_payment_intent"
	actionProcessSetup   = "process_setup_intent"
	actionSetDisplay     = "set_reader_display"
)

// readerAction is terminal_reader_reader_resource_reader_action. Exactly
// one of the per-type sub-objects is present (they are not nullable, so
// the others are omitted, as Stripe does); refund_payment is never
// produced.
type readerAction struct {
	FailureCode          *string               `json:"failure_code"`
	FailureMessage       *string               `json:"failure_message"`
	ProcessPaymentIntent *processIntentJSON    `json:"process_payment_intent,omitempty"`
	ProcessSetupIntent   *processSetupJSON     `json:"process_setup_intent,omitempty"`
	SetReaderDisplay     *setReaderDisplayJSON `json:"set_reader_display,omitempty"`
	Status               string                `json:"status"` // in_progress | succeeded | failed
	Type                 string                `json:"type"`

	// presenting is true from present_payment_method until the outcome is
	// settled: the reader is then "busy" (authorizing). Not persisted.
	presenting bool
	// tippingOffered: the reader shows a tipping screen for this payment
	// (process_config named skip_tipping=false or tipping[amount_eligible]).
	tippingOffered bool
}

type processIntentJSON struct {
	PaymentIntent ref                `json:"payment_intent"`
	ProcessConfig *processConfigJSON `json:"process_config,omitempty"`
}

// processConfigJSON is terminal_reader_reader_resource_process_config. Its
// fields are optional and not nullable. Decision: process_config is
// rendered only when the request gave one; then skip_tipping and
// enable_customer_cancellation are always there (false unless set) and
// tipping only when tipping[amount_eligible] was given.
type processConfigJSON struct {
	EnableCustomerCancellation bool         `json:"enable_customer_cancellation"`
	SkipTipping                bool         `json:"skip_tipping"`
	Tipping                    *tippingJSON `json:"tipping,omitempty"`
}

type tippingJSON struct {
	AmountEligible int64 `json:"amount_eligible"`
}

// processSetupJSON: generated_card is a non-nullable optional string, so
// it appears only once the card was read (action succeeded).
type processSetupJSON struct {
	GeneratedCard string           `json:"generated_card,omitempty"`
	ProcessConfig *setupConfigJSON `json:"process_config,omitempty"`
	SetupIntent   ref              `json:"setup_intent"`
}

type setupConfigJSON struct {
	EnableCustomerCancellation bool `json:"enable_customer_cancellation"`
}

type setReaderDisplayJSON struct {
	Cart *cartJSON `json:"cart"`
	Type string    `json:"type"`
}

type cartJSON struct {
	Currency  string         `json:"currency"`
	LineItems []lineItemJSON `json:"line_items"`
	Tax       *int64         `json:"tax"`
	Total     int64          `json:"total"`
}

type lineItemJSON struct {
	Amount      int64  `json:"amount"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
}

// paymentIntentID is the intent a process_payment_intent action collects
// for ("" for other actions).
func (a *readerAction) paymentIntentID() string {
	if a.ProcessPaymentIntent == nil {
		return ""
	}
	return refID(a.ProcessPaymentIntent.PaymentIntent)
}

// setupIntentID is the SetupIntent of a process_setup_intent action.
func (a *readerAction) setupIntentID() string {
	if a.ProcessSetupIntent == nil {
		return ""
	}
	return refID(a.ProcessSetupIntent.SetupIntent)
}

// skipsTipping: process_config[skip_tipping]=true.
func (a *readerAction) skipsTipping() bool {
	return a.ProcessPaymentIntent != nil && a.ProcessPaymentIntent.ProcessConfig != nil && a.ProcessPaymentIntent.ProcessConfig.SkipTipping
}

// customerCanCancel: the action was started with
// process_config[enable_customer_cancellation]=true.
func (a *readerAction) customerCanCancel() bool {
	switch {
	case a.ProcessPaymentIntent != nil && a.ProcessPaymentIntent.ProcessConfig != nil:
		return a.ProcessPaymentIntent.ProcessConfig.EnableCustomerCancellation
	case a.ProcessSetupIntent != nil && a.ProcessSetupIntent.ProcessConfig != nil:
		return a.ProcessSetupIntent.ProcessConfig.EnableCustomerCancellation
	}
	return false
}

// fail ends the action as failed.
func (a *readerAction) fail(code, message string) {
	a.Status, a.FailureCode, a.FailureMessage = actionFailed, nullString(code), nullString(message)
}

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
func readerState(r *reader) *apierr.Error {
	if r.Status == "offline" {
		return apierr.ReaderOffline()
	}
	if r.Action != nil && r.Action.Status == actionInProgress && r.Action.presenting {
		return apierr.ReaderBusy()
	}
	return nil
}

// readerMayProcess reports whether an intent of owner may be processed by
// a reader called from rq's account. A seller-owned reader (Stripe-Account:
// seller) processes only the seller's intents; a platform reader (no
// header) processes the platform's intents and those of any connected
// account — the platform-owned-readers direct-charge setup (§3, §15.7).
func readerMayProcess(owner string, rq *request) bool {
	return rq.Account == "" || owner == rq.Account
}

func hasType(types []string, want ...string) bool {
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
	piID, err := form.Required(rq.Params, "payment_intent", "payment_intent")
	if err != nil {
		return nil, err
	}
	p := &processIntentJSON{PaymentIntent: idRef(piID)}
	a := &readerAction{Type: actionProcessPayment, Status: actionInProgress, ProcessPaymentIntent: p}
	if c := rq.Params.Child("process_config"); c != nil {
		if err := form.Object(c, "process_config"); err != nil {
			return nil, err
		}
		if err := form.Only(c, "process_config", "skip_tipping", "tipping", "enable_customer_cancellation"); err != nil {
			return nil, err
		}
		skip, err := form.Bool(c, "skip_tipping", "process_config[skip_tipping]")
		if err != nil {
			return nil, err
		}
		cancel, err := form.Bool(c, "enable_customer_cancellation", "process_config[enable_customer_cancellation]")
		if err != nil {
			return nil, err
		}
		p.ProcessConfig = &processConfigJSON{SkipTipping: skip != nil && *skip, EnableCustomerCancellation: cancel != nil && *cancel}
		a.tippingOffered = skip != nil && !*skip
		if t := c.Child("tipping"); t != nil {
			if err := form.Object(t, "process_config[tipping]"); err != nil {
				return nil, err
			}
			if err := form.Only(t, "process_config[tipping]", "amount_eligible"); err != nil {
				return nil, err
			}
			n, set, err := form.Int(t, "amount_eligible", "process_config[tipping][amount_eligible]")
			if err != nil {
				return nil, err
			}
			if set && n < 0 {
				return nil, apierr.InvalidParam("process_config[tipping][amount_eligible]", "This value must be greater than or equal to 0.")
			}
			if set {
				p.ProcessConfig.Tipping = &tippingJSON{AmountEligible: n}
				a.tippingOffered = true
			}
		}
		if p.ProcessConfig.SkipTipping {
			a.tippingOffered = false
		}
	}
	return s.startAction(rq, a, func() *apierr.Error {
		pi, ok := s.st.intents.Get(piID)
		if !ok || !readerMayProcess(pi.Account, rq) {
			return apierr.NoSuch("payment_intent", piID).WithParam("payment_intent")
		}
		// Decision (UNVERIFIED message): an intent that cannot take in-person
		// cards is refused before the reader is involved.
		if !hasType(pi.PaymentMethodTypes, "card_present", "interac_present") {
			return apierr.Invalid(http.StatusBadRequest, "", "payment_intent",
				"The PaymentIntent %s cannot be processed by a reader: its payment_method_types (%s) include neither card_present nor interac_present.",
				pi.ID, strings.Join(pi.PaymentMethodTypes, ", "))
		}
		if pi.Status != "requires_payment_method" {
			return errIntentInvalidState()
		}
		return nil
	})
}

// startAction starts action a on the request's reader, after the checks
// both process actions share and target's checks of the object it
// processes (in that order: expand, reader, target, reader state).
func (s *Server) startAction(rq *request, a *readerAction, target func() *apierr.Error) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	if err := target(); err != nil {
		return nil, err
	}
	if err := readerState(r); err != nil {
		return nil, err
	}
	s.touch(r)
	r.Action = a
	s.scheduleAutoPresent(rq, r, a)
	return s.renderReader(r, rq.Expand), nil
}

// processSetupIntent starts saving a card (no payment). Decision
// (UNVERIFIED): customer_consent_collected=false is refused — the card
// cannot be saved without the customer's consent.
func (s *Server) processSetupIntent(rq *request) (any, *apierr.Error) {
	siID, err := form.Required(rq.Params, "setup_intent", "setup_intent")
	if err != nil {
		return nil, err
	}
	consent, err := form.Bool(rq.Params, "customer_consent_collected", "customer_consent_collected")
	if err != nil {
		return nil, err
	}
	if consent == nil {
		return nil, apierr.MissingParam("customer_consent_collected")
	}
	if !*consent {
		return nil, apierr.InvalidParam("customer_consent_collected",
			"customer_consent_collected must be true: collect the customer's consent to save their card before processing the SetupIntent.")
	}
	p := &processSetupJSON{SetupIntent: idRef(siID)}
	a := &readerAction{Type: actionProcessSetup, Status: actionInProgress, ProcessSetupIntent: p}
	if c := rq.Params.Child("process_config"); c != nil {
		if err := form.Object(c, "process_config"); err != nil {
			return nil, err
		}
		if err := form.Only(c, "process_config", "enable_customer_cancellation"); err != nil {
			return nil, err
		}
		cancel, err := form.Bool(c, "enable_customer_cancellation", "process_config[enable_customer_cancellation]")
		if err != nil {
			return nil, err
		}
		p.ProcessConfig = &setupConfigJSON{EnableCustomerCancellation: cancel != nil && *cancel}
	}
	return s.startAction(rq, a, func() *apierr.Error {
		si, ok := s.st.setups.Get(siID)
		if !ok || !readerMayProcess(si.Account, rq) {
			return apierr.NoSuch("setupintent", siID).WithParam("setup_intent")
		}
		if !hasType(si.PaymentMethodTypes, "card_present") {
			return apierr.Invalid(http.StatusBadRequest, "", "setup_intent",
				"The SetupIntent %s cannot be processed by a reader: its payment_method_types (%s) do not include card_present.",
				si.ID, strings.Join(si.PaymentMethodTypes, ", "))
		}
		if si.Status != "requires_payment_method" {
			return errSetupInvalidState()
		}
		return nil
	})
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
	if err := readerState(r); err != nil {
		return nil, err
	}
	if r.Action != nil {
		s.touch(r)
		r.Action = nil
	}
	return s.renderReader(r, rq.Expand), nil
}

// releaseIntent is called by the payments part when piID is canceled.
// Decision: a reader whose in-progress, not yet presented action holds the
// intent is reset (action → null, no event), as cancel_action would; the
// reader no longer waits for a card for a dead intent. An action already
// authorizing settles as failed when the authorization ends.
func (s *Server) releaseIntent(piID string) {
	for r := range s.st.readers.All() {
		a := r.Action
		if a != nil && a.paymentIntentID() == piID && a.Status == actionInProgress && !a.presenting {
			s.touch(r)
			r.Action = nil
		}
	}
}

// set_reader_display: show a cart on the reader. Display only — nothing is
// computed or charged (the total is shown as given). No event.

// setReaderDisplay validates type=cart and the cart, then replaces the
// reader's action with an in-progress set_reader_display. Decision
// (UNVERIFIED, §16): while a payment or setup is in progress on the reader
// (presented or not), a display is refused with terminal_reader_busy —
// only a new payment may replace a payment; cancel_action first.
func (s *Server) setReaderDisplay(rq *request) (any, *apierr.Error) {
	typ, err := form.Required(rq.Params, "type", "type")
	if err != nil {
		return nil, err
	}
	if typ != "cart" {
		return nil, apierr.InvalidParam("type", "Invalid type: must be one of cart")
	}
	cart, err := parseDisplayCart(rq.Params.Child("cart"))
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	if err := readerState(r); err != nil {
		return nil, err
	}
	if a := r.Action; a != nil && a.Status == actionInProgress && a.Type != actionSetDisplay {
		return nil, apierr.ReaderBusy()
	}
	s.touch(r)
	r.Action = &readerAction{Type: actionSetDisplay, Status: actionInProgress, SetReaderDisplay: &setReaderDisplayJSON{Type: "cart", Cart: cart}}
	return s.renderReader(r, rq.Expand), nil
}

// parseDisplayCart reads cart[currency]*, cart[line_items][i][amount|
// description|quantity]*, cart[tax], cart[total]*.
func parseDisplayCart(c *form.Params) (*cartJSON, *apierr.Error) {
	if c == nil {
		return nil, apierr.MissingParam("cart")
	}
	if err := form.Object(c, "cart"); err != nil {
		return nil, err
	}
	if err := form.Only(c, "cart", "currency", "line_items", "tax", "total"); err != nil {
		return nil, err
	}
	cur, err := form.Required(c, "currency", "cart[currency]")
	if err != nil {
		return nil, err
	}
	if !currencyCodeOK(cur) {
		return nil, apierr.InvalidParam("cart[currency]", "Invalid currency: %s. Stripe currently supports three-letter ISO currency codes, in lowercase.", cur)
	}
	cart := &cartJSON{Currency: strings.ToLower(cur), LineItems: []lineItemJSON{}}
	items := c.Child("line_items")
	if items == nil {
		return nil, apierr.MissingParam("cart[line_items]")
	}
	if items.IsLeaf() {
		return nil, apierr.InvalidParam("cart[line_items]", "Invalid array")
	}
	for i, li := range items.List() {
		p := "cart[line_items][" + strconv.Itoa(i) + "]"
		if err := form.Object(li, p); err != nil {
			return nil, err
		}
		if err := form.Only(li, p, "amount", "description", "quantity"); err != nil {
			return nil, err
		}
		amount, set, err := form.Int(li, "amount", p+"[amount]")
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, apierr.MissingParam(p + "[amount]")
		}
		desc, err := form.Required(li, "description", p+"[description]")
		if err != nil {
			return nil, err
		}
		if len(desc) > 5000 {
			return nil, apierr.InvalidParam(p+"[description]", "Invalid string: must be at most 5000 characters")
		}
		qty, set, err := form.Int(li, "quantity", p+"[quantity]")
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, apierr.MissingParam(p + "[quantity]")
		}
		cart.LineItems = append(cart.LineItems, lineItemJSON{Amount: amount, Description: desc, Quantity: qty})
	}
	if tax, set, err := form.Int(c, "tax", "cart[tax]"); err != nil {
		return nil, err
	} else if set {
		cart.Tax = &tax
	}
	total, set, err := form.Int(c, "total", "cart[total]")
	if err != nil {
		return nil, err
	}
	if !set {
		return nil, apierr.MissingParam("cart[total]")
	}
	cart.Total = total
	return cart, nil
}

// currencyCodeOK: three ASCII letters (Stripe lowercases them).
func currencyCodeOK(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
