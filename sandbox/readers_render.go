package sandbox

import "kasse/sandbox/internal/expand"

// Rendering of terminal.reader and its action, exactly as the 2023-10-16
// spec declares them.

type readerJSON struct {
	ID              string            `json:"id"`
	Object          string            `json:"object"`
	Action          *actionJSON       `json:"action"`
	DeviceSwVersion *string           `json:"device_sw_version"`
	DeviceType      string            `json:"device_type"`
	IPAddress       *string           `json:"ip_address"`
	Label           string            `json:"label"`
	Livemode        bool              `json:"livemode"`
	Location        any               `json:"location"`
	Metadata        map[string]string `json:"metadata"`
	SerialNumber    string            `json:"serial_number"`
	Status          *string           `json:"status"`
}

// actionJSON is terminal_reader_reader_resource_reader_action. Exactly one
// of the per-type sub-objects is present (they are not nullable, so the
// others are omitted, as Stripe does); refund_payment is never produced.
type actionJSON struct {
	FailureCode          *string               `json:"failure_code"`
	FailureMessage       *string               `json:"failure_message"`
	ProcessPaymentIntent *processIntentJSON    `json:"process_payment_intent,omitempty"`
	ProcessSetupIntent   *processSetupJSON     `json:"process_setup_intent,omitempty"`
	SetReaderDisplay     *setReaderDisplayJSON `json:"set_reader_display,omitempty"`
	Status               string                `json:"status"`
	Type                 string                `json:"type"`
}

type processIntentJSON struct {
	PaymentIntent any                `json:"payment_intent"`
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
	SetupIntent   any              `json:"setup_intent"`
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

// readerExpandable are the expand[] paths of a reader response: the
// location, the action's intent, and below the PaymentIntent whatever
// renderIntent expands (intentExpandable; Stripe's depth limit of 4 leaves
// room for one level, e.g. ...payment_intent.latest_charge).
var readerExpandable = func() []string {
	out := []string{"location", "action.process_payment_intent.payment_intent", "action.process_setup_intent.setup_intent"}
	for _, p := range intentExpandable {
		out = append(out, "action.process_payment_intent.payment_intent."+p)
	}
	return out
}()

// readerListExpandable is readerExpandable under "data." for lists.
var readerListExpandable = func() []string {
	out := make([]string, len(readerExpandable))
	for i, p := range readerExpandable {
		out[i] = "data." + p
	}
	return out
}()

// renderReader renders r with the expansions of exp (nil: ids only); a
// deleted reader renders as its stub.
func (s *Server) renderReader(r *reader, exp *expand.Tree) any {
	if r.deleted {
		return termDeletedJSON{ID: r.id, Object: "terminal.reader", Deleted: true}
	}
	md := r.metadata
	if md == nil {
		md = map[string]string{}
	}
	status := r.status
	out := readerJSON{ID: r.id, Object: "terminal.reader", DeviceSwVersion: nullString(r.softwareVersion),
		DeviceType: r.deviceType, IPAddress: nullString(r.ipAddress), Label: r.label, Livemode: livemode,
		Metadata: md, SerialNumber: r.serialNumber, Status: &status}
	if r.locationID != "" {
		out.Location = r.locationID
		if exp.Has("location") {
			if l, ok := s.st.locations[r.locationID]; ok {
				out.Location = s.renderLocation(l)
			}
		}
	}
	if r.action != nil {
		out.Action = s.renderAction(r.action, exp.Sub("action"))
	}
	return out
}

func (s *Server) renderAction(a *readerAction, exp *expand.Tree) *actionJSON {
	out := &actionJSON{Status: a.status, Type: a.typ}
	if a.status == "failed" {
		out.FailureCode, out.FailureMessage = nullString(a.failureCode), nullString(a.failureMessage)
	}
	switch a.typ {
	case "process_payment_intent":
		pe := exp.Sub("process_payment_intent").Sub("payment_intent")
		p := &processIntentJSON{PaymentIntent: a.paymentIntent}
		if pi, ok := s.st.intents[a.paymentIntent]; ok && pe != nil {
			p.PaymentIntent = s.renderIntent(pi, pe)
		}
		if a.hasConfig {
			p.ProcessConfig = &processConfigJSON{EnableCustomerCancellation: termTrue(a.enableCancel), SkipTipping: termTrue(a.skipTipping)}
			if a.tipEligible != nil {
				p.ProcessConfig.Tipping = &tippingJSON{AmountEligible: *a.tipEligible}
			}
		}
		out.ProcessPaymentIntent = p
	case "process_setup_intent":
		p := &processSetupJSON{SetupIntent: a.setupIntent, GeneratedCard: a.generatedCard}
		if si, ok := s.st.setups[a.setupIntent]; ok && exp.Sub("process_setup_intent").Has("setup_intent") {
			p.SetupIntent = s.renderSetupIntent(si)
		}
		if a.hasConfig {
			p.ProcessConfig = &setupConfigJSON{EnableCustomerCancellation: termTrue(a.enableCancel)}
		}
		out.ProcessSetupIntent = p
	case "set_reader_display":
		d := &setReaderDisplayJSON{Type: "cart"}
		if c := a.cart; c != nil {
			cj := &cartJSON{Currency: c.currency, Tax: c.tax, Total: c.total, LineItems: make([]lineItemJSON, 0, len(c.lineItems))}
			for _, li := range c.lineItems {
				cj.LineItems = append(cj.LineItems, lineItemJSON{Amount: li.amount, Description: li.description, Quantity: li.quantity})
			}
			d.Cart = cj
		}
		out.SetReaderDisplay = d
	}
	return out
}

func termTrue(b *bool) bool { return b != nil && *b }
