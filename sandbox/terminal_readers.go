package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Terminal readers: register/list/get/update/delete. The sandbox pairs
// only simulated readers (registration codes simulated-wpe and
// simulated-s700; see simulatedCodes). Their actions are in
// terminal_reader_actions.go; the simulated card in
// test_helpers_terminal_readers.go.

// reader is terminal.reader as the 2023-10-16 spec declares it.
type reader struct {
	store.Meta
	Object          string            `json:"object"`
	Action          *readerAction     `json:"action"` // nil: no action
	DeviceSwVersion *string           `json:"device_sw_version"`
	DeviceType      string            `json:"device_type"`
	IPAddress       *string           `json:"ip_address"`
	Label           string            `json:"label"`
	Livemode        bool              `json:"livemode"`
	Location        ref               `json:"location"`
	Metadata        map[string]string `json:"metadata"`
	SerialNumber    string            `json:"serial_number"`
	Status          string            `json:"status"` // online | offline

	regCode string // the registration code: the default label (kept in the state file's "x")
}

func (*reader) objectType() string { return "terminal.reader" }

// appendJSON encodes r exactly as encoding/json encodes the struct (a
// sale writes the reader twice: its action starts and ends); the action
// goes through encoding/json.
func (r *reader) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"object":`...)
	b = appendString(b, r.Object)
	b = append(b, `,"action":`...)
	if r.Action == nil {
		b = append(b, "null"...)
	} else {
		b = appendMarshal(b, r.Action)
	}
	b = append(b, `,"device_sw_version":`...)
	b = appendNullString(b, r.DeviceSwVersion)
	b = append(b, `,"device_type":`...)
	b = appendString(b, r.DeviceType)
	b = append(b, `,"ip_address":`...)
	b = appendNullString(b, r.IPAddress)
	b = append(b, `,"label":`...)
	b = appendString(b, r.Label)
	b = append(b, `,"livemode":`...)
	b = strconv.AppendBool(b, r.Livemode)
	b = append(b, `,"location":`...)
	b = appendAny(b, r.Location)
	b = append(b, `,"metadata":`...)
	b = appendMetadata(b, r.Metadata)
	b = append(b, `,"serial_number":`...)
	b = appendString(b, r.SerialNumber)
	b = append(b, `,"status":`...)
	b = appendString(b, r.Status)
	return append(b, '}')
}

// readerExtra is the reader's state that its API object does not show.
type readerExtra struct {
	RegistrationCode string `json:"registration_code"`
	TippingOffered   bool   `json:"tipping_offered,omitempty"`
}

func (r *reader) saveExtra() []byte {
	// As encoding/json writes readerExtra.
	b := append(make([]byte, 0, 64), `{"registration_code":`...)
	b = appendString(b, r.regCode)
	if r.Action != nil && r.Action.tippingOffered {
		b = append(b, `,"tipping_offered":true`...)
	}
	return append(b, '}')
}

func (r *reader) loadExtra(raw json.RawMessage) error {
	var x readerExtra
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &x); err != nil {
			return err
		}
	}
	r.regCode = x.RegistrationCode
	if r.Action != nil {
		r.Action.tippingOffered = x.TippingOffered
	}
	return nil
}

// Simulated device types by registration code (2023-10-16 has no S700
// device type; the sandbox reports simulated-s700 readers as
// simulated_wisepos_e with an S700 serial prefix — see docs/design.md).
var simulatedCodes = map[string]string{
	"simulated-wpe":  "simulated_wisepos_e",
	"simulated-s700": "simulated_wisepos_e",
}

// newSimulatedReader stores an online simulated reader of account at
// locationID, registered with code (simulated-wpe or simulated-s700).
// Called with mu held, in a change.
func (s *Server) newSimulatedReader(account, code, label, locationID string) *reader {
	if label == "" {
		label = code
	}
	serial := "WPE-SIM-" + randomString(10)
	if code == "simulated-s700" {
		serial = "S700-SIM-" + randomString(9)
	}
	r := &reader{Meta: s.newMeta("tmr", account), Object: "terminal.reader", DeviceSwVersion: nullString("2.22.2.0"),
		DeviceType: simulatedCodes[code], IPAddress: nullString("0.0.0.0"), Label: label, Location: idRef(locationID),
		Metadata: map[string]string{}, SerialNumber: serial, Status: "online", regCode: code}
	put(s, s.st.readers, r)
	return r
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
var readerListExpandable = expand.WithPrefix("data.", readerExpandable)

// renderReader renders r with the expansions of exp (nil: ids only); a
// deleted reader renders as its stub. Expanded objects are spliced into
// the reader's JSON, in the order they appear in it: the action's intent
// (the action is the reader's third property, after id and object, and no
// key of it is named like an intent but its intent), then the location
// (no property before it holds that key).
func (s *Server) renderReader(r *reader, exp *expand.Tree) any {
	if r.Deleted {
		return deletedJSON{ID: r.ID, Object: "terminal.reader", Deleted: true}
	}
	if exp.Empty() {
		return r
	}
	var fields []splice
	if a := r.Action; a != nil {
		ae := exp.Sub("action")
		if pe := ae.Sub("process_payment_intent").Sub("payment_intent"); pe != nil && a.ProcessPaymentIntent != nil {
			if pi, ok := s.st.intents.Get(a.paymentIntentID()); ok {
				fields = append(fields, splice{"payment_intent", s.renderIntent(pi, pe)})
			}
		}
		if ae.Sub("process_setup_intent").Has("setup_intent") && a.ProcessSetupIntent != nil {
			if si, ok := s.st.setups.Get(a.setupIntentID()); ok {
				fields = append(fields, splice{"setup_intent", si})
			}
		}
	}
	if exp.Has("location") {
		if l, ok := s.st.locations.Get(refID(r.Location)); ok {
			fields = append(fields, splice{"location", renderLocation(l)})
		}
	}
	if len(fields) == 0 {
		return r
	}
	return &spliced{base: r, fields: fields}
}

// findReader returns the request account's reader. A reader of another
// account, an unknown id, or a deleted reader (unless withDeleted: GET
// answers its stub) is "No such terminal.reader", param "reader" (the
// spec's name of the path parameter, as Stripe names it in 404s).
func (s *Server) findReader(rq *request, id string, withDeleted bool) (*reader, *apierr.Error) {
	r, ok := s.st.readers.Get(id)
	if !ok || !owned(r, rq) || (r.Deleted && !withDeleted) {
		return nil, apierr.NoSuch("terminal.reader", id).WithParam("reader")
	}
	return r, nil
}

// errRegistrationCode: Stripe's answer to a bad code is UNVERIFIED; the
// sandbox answers 400 invalid_request_error, param registration_code, no
// code, with a message in the form one public app matches ("The
// registration code is invalid.") followed by the sandbox's limitation.
func errRegistrationCode(code string) *apierr.Error {
	msg := "The registration code is invalid."
	if strings.Count(code, "-") == 2 && !strings.HasPrefix(code, "simulated-") {
		msg += fmt.Sprintf(" '%s' looks like a physical reader's pairing code: the sandbox cannot pair physical readers.", code)
	}
	msg += " The sandbox pairs only simulated readers: use registration_code simulated-wpe or simulated-s700."
	return apierr.Invalid(http.StatusBadRequest, "", "registration_code", "%s", msg)
}

// registerReader: registration_code is required and must be a simulated
// code. Decision: location is required (the docs require one for smart
// readers, and every simulated reader is a smart reader): parameter_missing
// "location"; it must be a location of the request's account, else 404 No
// such terminal.location (param location). label defaults to the code.
func (s *Server) registerReader(rq *request) (any, *apierr.Error) {
	code, err := form.Required(rq.Params, "registration_code", "registration_code")
	if err != nil {
		return nil, err
	}
	label, _, err := form.String(rq.Params, "label", "label", 5000)
	if err != nil {
		return nil, err
	}
	locID, _, err := form.String(rq.Params, "location", "location", 5000)
	if err != nil {
		return nil, err
	}
	md, err := form.Metadata(rq.Params, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	if _, ok := simulatedCodes[code]; !ok {
		return nil, errRegistrationCode(code)
	}
	if locID == "" {
		return nil, apierr.MissingParam("location")
	}
	l, err := s.findLocation(rq, locID, false)
	if err != nil {
		return nil, err
	}
	r := s.newSimulatedReader(rq.Account, code, label, l.ID)
	r.Metadata = md
	return s.renderReader(r, rq.Expand), nil
}

// getReader answers the reader, or its deleted stub once deleted.
func (s *Server) getReader(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, true)
	if err != nil {
		return nil, err
	}
	return s.renderReader(r, rq.Expand), nil
}

// updateReader changes label and metadata (the route admits nothing else:
// location cannot move in 2023-10-16). label="" restores the default label
// (the registration code).
func (s *Server) updateReader(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	label := r.Label
	if v, present, err := form.String(rq.Params, "label", "label", 5000); err != nil {
		return nil, err
	} else if present {
		label = v
		if label == "" {
			label = r.regCode
		}
	}
	md, err := form.Metadata(rq.Params, r.Metadata)
	if err != nil {
		return nil, err
	}
	s.touch(r)
	r.Label, r.Metadata = label, md
	return s.renderReader(r, rq.Expand), nil
}

// deleteReader answers the deleted stub; the reader's action (if any) is
// dropped (a card already authorizing still settles its intent, without
// reader events). Deleting twice is a 404.
func (s *Server) deleteReader(rq *request) (any, *apierr.Error) {
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	s.touch(r)
	r.Deleted, r.Action = true, nil
	return s.renderReader(r, nil), nil
}

// listReaders filters by location (an id; unknown or foreign ids simply
// match nothing), status (online|offline), device_type and serial_number.
func (s *Server) listReaders(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerListExpandable); err != nil {
		return nil, err
	}
	p := rq.Params
	status := p.Child("status").Value()
	if p.Has("status") && status != "online" && status != "offline" {
		return nil, apierr.InvalidParam("status", "Invalid status: must be one of offline or online")
	}
	pg, err := list.ParsePage(p)
	if err != nil {
		return nil, err
	}
	loc, dev, serial := p.Child("location").Value(), p.Child("device_type").Value(), p.Child("serial_number").Value()
	return listTable(s, rq, s.st.readers, pg, func(r *reader) bool {
		return !r.Deleted && (!p.Has("location") || refID(r.Location) == loc) && (!p.Has("status") || r.Status == status) &&
			(!p.Has("device_type") || r.DeviceType == dev) && (!p.Has("serial_number") || r.SerialNumber == serial)
	}, "/v1/terminal/readers", s.renderReader)
}

// SetReaderOnline marks a reader online or offline (tests, demos). An
// offline reader lists with status "offline" and refuses actions with
// terminal_reader_offline; an action in progress stays as it is, as on
// Stripe when a reader drops off mid-payment.
func (s *Server) SetReaderOnline(id string, online bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.readers.Get(id)
	if !ok || r.Deleted {
		return fmt.Errorf("sandbox: no such reader %q", id)
	}
	s.change(func() {
		s.touch(r)
		r.Status = "offline"
		if online {
			r.Status = "online"
		}
	})
	return nil
}
