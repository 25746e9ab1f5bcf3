package readers

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"kasse/pos"
)

// MaxBundleRequests is how many of the matching requests a bundle keeps
// (the most recent ones).
const MaxBundleRequests = 50

// RequestRecord is one HTTP attempt Kasse made to Stripe: the adapter
// records them (stripeapi.Client.RecentRequests), a bundle redacts and
// keeps them. The one type is pos.RequestRecord; this name is kept for the
// fleet's callers.
type RequestRecord = pos.RequestRecord

// Bundle is a reader's diagnostics: its facts, its health, and the last
// requests Kasse made about it. Every string in it has been redacted.
type Bundle struct {
	GeneratedAt time.Time     `json:"generated_at"`
	Mode        string        `json:"mode"`
	Owner       string        `json:"owner"`
	Reader      ReaderFacts   `json:"reader"`
	ReadError   string        `json:"read_error,omitempty"` // the reader could not be read
	Health      *HealthReport `json:"health,omitempty"`
	Requests    []RequestLine `json:"requests"`
}

// ReaderFacts are a reader's fields as Stripe reported them.
type ReaderFacts struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	DeviceType string `json:"device_type"`
	// Device is the device type as Kasse names it (DeviceType): a
	// simulated S700 is simulated_stripe_s700 though 2023-10-16 reports
	// simulated_wisepos_e.
	Device          string            `json:"device"`
	Status          string            `json:"status"`
	SerialNumber    string            `json:"serial_number"`
	SoftwareVersion string            `json:"device_sw_version"`
	IPAddress       string            `json:"ip_address"`
	LocationID      string            `json:"location"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Action          *ActionFacts      `json:"action"`
	RequestID       string            `json:"request_id,omitempty"`
}

// ActionFacts is the reader's current (most recent) action.
type ActionFacts struct {
	Type            string `json:"type"`
	Status          string `json:"status"`
	FailureCode     string `json:"failure_code,omitempty"`
	FailureMessage  string `json:"failure_message,omitempty"`
	PaymentIntentID string `json:"payment_intent,omitempty"`
	IntentStatus    string `json:"payment_intent_status,omitempty"`
	IntentAmount    int64  `json:"payment_intent_amount,omitempty"`
	IntentCurrency  string `json:"payment_intent_currency,omitempty"`
}

// RequestLine is a RequestRecord as the bundle shows it.
type RequestLine struct {
	Time       time.Time `json:"time"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Account    string    `json:"account,omitempty"`
	RequestID  string    `json:"request_id,omitempty"`
	Status     int       `json:"status"`
	ErrorCode  string    `json:"error_code,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

// BuildDiagnostics reads the reader and assembles its bundle from it and
// from recent, keeping the requests whose path names the reader or the
// PaymentIntent of its action (the last MaxBundleRequests of them). When
// the reader cannot be read the bundle is still built — that is when it is
// needed most — with ReadError set, and the error is returned too.
func (f *Fleet) BuildDiagnostics(ctx context.Context, owner pos.Account, readerID string, recent []RequestRecord) (Bundle, error) {
	if err := checkReaderID(readerID); err != nil {
		return Bundle{}, err
	}
	b := Bundle{GeneratedAt: f.now().UTC(), Mode: f.Mode.String(), Owner: owner.String(), Reader: ReaderFacts{ID: readerID}}
	r, readErr := f.Terminal.GetReader(ctx, owner, readerID)
	if readErr != nil {
		readErr = explain(readErr, subject{op: readReader(readerID), owner: owner, readerID: readerID})
		b.ReadError = readErr.Error()
	} else {
		b.Reader = facts(r)
		h := Health(r, b.GeneratedAt)
		b.Health = &h
	}
	match := []string{readerID}
	if a := b.Reader.Action; a != nil && a.PaymentIntentID != "" {
		match = append(match, a.PaymentIntentID)
	}
	for _, rec := range recent {
		for _, m := range match {
			if strings.Contains(rec.Path, m) {
				b.Requests = append(b.Requests, line(rec))
				break
			}
		}
	}
	if n := len(b.Requests); n > MaxBundleRequests {
		b.Requests = b.Requests[n-MaxBundleRequests:]
	}
	return b.redacted(), readErr
}

// Diagnostics is BuildDiagnostics rendered as indented JSON. The bytes are
// returned even when the reader could not be read (see BuildDiagnostics).
func (f *Fleet) Diagnostics(ctx context.Context, owner pos.Account, readerID string, recent []RequestRecord) ([]byte, error) {
	b, err := f.BuildDiagnostics(ctx, owner, readerID, recent)
	if b.Reader.ID == "" {
		return nil, err
	}
	out, jerr := b.JSON()
	if jerr != nil {
		return nil, jerr
	}
	return out, err
}

func facts(r pos.Reader) ReaderFacts {
	rf := ReaderFacts{ID: r.ID, Label: r.Label, DeviceType: r.DeviceType, Device: DeviceType(r), Status: r.Status, SerialNumber: r.SerialNumber,
		SoftwareVersion: r.SoftwareVersion, IPAddress: r.IPAddress, LocationID: r.LocationID, Metadata: r.Metadata, RequestID: r.RequestID}
	if a := r.Action; a != nil {
		rf.Action = &ActionFacts{Type: a.Type, Status: a.Status, FailureCode: a.FailureCode, FailureMessage: a.FailureMessage,
			PaymentIntentID: a.PaymentIntentID}
		if in := a.Intent; in != nil {
			rf.Action.IntentStatus, rf.Action.IntentAmount, rf.Action.IntentCurrency = in.Status, in.Amount, in.Currency
		}
	}
	return rf
}

func line(r RequestRecord) RequestLine {
	return RequestLine{Time: r.Time.UTC(), Method: r.Method, Path: r.Path, Account: r.Account, RequestID: r.RequestID,
		Status: r.Status, ErrorCode: r.ErrorCode, Error: r.Error, DurationMS: r.Duration.Milliseconds()}
}

// redacted passes every string of b through RedactString (metadata through
// RedactMap).
func (b Bundle) redacted() Bundle {
	rs := RedactString
	b.Owner, b.ReadError = rs(b.Owner), rs(b.ReadError)
	r := &b.Reader
	for _, p := range []*string{&r.ID, &r.Label, &r.DeviceType, &r.Status, &r.SerialNumber, &r.SoftwareVersion, &r.IPAddress, &r.LocationID, &r.RequestID} {
		*p = rs(*p)
	}
	r.Metadata = RedactMap(r.Metadata)
	if r.Action != nil {
		a := *r.Action
		for _, p := range []*string{&a.Type, &a.Status, &a.FailureCode, &a.FailureMessage, &a.PaymentIntentID, &a.IntentStatus} {
			*p = rs(*p)
		}
		r.Action = &a
	}
	if b.Health != nil {
		h := *b.Health
		h.Label, h.Summary = rs(h.Label), rs(h.Summary)
		h.Checks = append([]Check(nil), h.Checks...)
		for i := range h.Checks {
			h.Checks[i].Detail = rs(h.Checks[i].Detail)
		}
		b.Health = &h
	}
	reqs := make([]RequestLine, len(b.Requests))
	for i, q := range b.Requests {
		q.Method, q.Path, q.Account, q.RequestID, q.ErrorCode, q.Error = rs(q.Method), rs(q.Path), rs(q.Account), rs(q.RequestID), rs(q.ErrorCode), rs(q.Error)
		reqs[i] = q
	}
	b.Requests = reqs
	return b
}

// JSON renders the bundle as indented JSON, with a last pass that removes
// any key or webhook secret that could still be in it.
func (b Bundle) JSON() ([]byte, error) {
	if b.Requests == nil {
		b.Requests = []RequestLine{}
	}
	out, err := json.MarshalIndent(b.redacted(), "", "  ")
	if err != nil {
		return nil, err
	}
	return []byte(redactSecrets(string(out)) + "\n"), nil
}

// Text renders the bundle for people and support tickets, in English
// like the JSON bundle whatever the technician's language: a support
// artifact that Stripe's and the platform's support read. i18n:ok
// language-neutral by design (see above).
func (b Bundle) Text() string {
	var s strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&s, format+"\n", args...) }
	r := b.Reader
	w("Kasse reader diagnostics — %s (%s mode)", b.GeneratedAt.Format(time.RFC3339), b.Mode)
	w("reader      %s %q on %s", r.ID, r.Label, b.Owner)
	if b.ReadError != "" {
		w("read error  %s", b.ReadError)
	} else {
		w("device      %s, serial %s, software %s", deviceWords(r.Device, r.DeviceType), r.SerialNumber, orDash(r.SoftwareVersion))
		w("network     %s, ip %s, location %s", r.Status, orDash(r.IPAddress), orDash(r.LocationID))
		if a := r.Action; a != nil {
			w("action      %s %s %s %s %s", a.Type, a.Status, a.PaymentIntentID, a.FailureCode, a.FailureMessage)
		} else {
			w("action      none")
		}
		for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
			w("metadata    %s=%s", k, r.Metadata[k])
		}
	}
	if h := b.Health; h != nil {
		w("health      %s", h.Summary)
		for _, c := range h.Checks {
			w("  %-4s %-9s %s", c.Level, c.Name, c.Detail)
		}
	}
	w("requests    %d", len(b.Requests))
	for _, q := range b.Requests {
		acct := q.Account
		if acct == "" {
			acct = "platform"
		}
		w("  %s %-6s %s %d %s %dms %s %s %s", q.Time.Format("15:04:05.000"), q.Method, q.Path, q.Status, acct,
			q.DurationMS, orDash(q.RequestID), q.ErrorCode, q.Error)
	}
	return RedactString(s.String())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
