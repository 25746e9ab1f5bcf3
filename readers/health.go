package readers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"kasse/pos"
)

// Level grades a health check.
type Level int

// Levels, worst last.
const (
	LevelOK Level = iota
	LevelWarn
	LevelFail
)

func (l Level) String() string {
	switch l {
	case LevelOK:
		return "ok"
	case LevelWarn:
		return "warn"
	}
	return "fail"
}

// MarshalText renders the level as "ok", "warn" or "fail" (JSON too).
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads "ok", "warn" or "fail".
func (l *Level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "ok":
		*l = LevelOK
	case "warn":
		*l = LevelWarn
	case "fail":
		*l = LevelFail
	default:
		return fmt.Errorf("readers: unknown health level %q", b)
	}
	return nil
}

// Check is one health check of a reader.
type Check struct {
	Name   string `json:"name"` // status, action, device, software, location, network
	Level  Level  `json:"level"`
	Detail string `json:"detail"`
}

// HealthReport is what Health concludes about one reader.
type HealthReport struct {
	ReaderID  string    `json:"reader_id"`
	Label     string    `json:"label"`
	CheckedAt time.Time `json:"checked_at"`
	Online    bool      `json:"online"`
	Busy      bool      `json:"busy"`
	Simulated bool      `json:"simulated"`
	Level     Level     `json:"level"` // the worst check
	Checks    []Check   `json:"checks"`
	Summary   string    `json:"summary"` // one line for humans
}

// Problems returns the checks that are not OK.
func (h HealthReport) Problems() []Check {
	var out []Check
	for _, c := range h.Checks {
		if c.Level != LevelOK {
			out = append(out, c)
		}
	}
	return out
}

// mobileReaders are Bluetooth/USB readers driven by a mobile SDK: they
// cannot take server-driven (process_payment_intent) payments.
var mobileReaders = map[string]bool{
	"bbpos_chipper2x": true, "bbpos_wisepad3": true, "stripe_m2": true, "mobile_phone_reader": true,
}

// Health grades a reader from what Stripe reports about it. It is pure:
// now only stamps the report. Stripe's status lags (a reader is "offline"
// after 2 minutes without a signal), so an online reader can still fail a
// command; TestTransaction is the real proof.
func Health(r pos.Reader, now time.Time) HealthReport {
	h := HealthReport{ReaderID: r.ID, Label: r.Label, CheckedAt: now, Online: r.Online(), Busy: r.Busy(),
		Simulated: strings.HasPrefix(r.DeviceType, "simulated_")}
	add := func(name string, l Level, detail string) {
		h.Checks = append(h.Checks, Check{Name: name, Level: l, Detail: detail})
		h.Level = max(h.Level, l)
	}
	switch r.Status {
	case "online":
		add("status", LevelOK, "online")
	case "offline":
		add("status", LevelFail, "offline: Stripe has had no signal for 2 minutes; check power, dock and network")
	default:
		add("status", LevelWarn, "status not reported ("+quoteOr(r.Status, "empty")+")")
	}
	a := r.Action
	switch {
	case a == nil:
		add("action", LevelOK, "idle (no action)")
	case a.Status == pos.ActionInProgress && r.Status == "offline":
		add("action", LevelWarn, "stale action: "+DescribeAction(a)+" while offline; the reader dropped mid-action, clear it (cancel_action)")
	case a.Status == pos.ActionInProgress:
		add("action", LevelOK, "busy: "+DescribeAction(a))
	case a.Status == pos.ActionFailed:
		d := "last action failed: " + DescribeAction(a)
		if a.FailureMessage != "" {
			d += " (" + a.FailureMessage + ")"
		}
		add("action", LevelWarn, d)
	default:
		add("action", LevelOK, "last action: "+DescribeAction(a))
	}
	switch device := DeviceType(r); {
	case device == "":
		add("device", LevelWarn, "device type not reported")
	case mobileReaders[device]:
		add("device", LevelFail, device+" is a mobile (Bluetooth/USB) reader: Kasse drives smart readers server-side (WisePOS E, S700, P400)")
	case h.Simulated:
		add("device", LevelOK, device+" (simulated, test mode only)")
	default:
		add("device", LevelOK, device)
	}
	if r.SoftwareVersion == "" {
		add("software", LevelWarn, "no software version reported (has the reader ever connected?)")
	} else {
		add("software", LevelOK, "version "+r.SoftwareVersion)
	}
	if r.LocationID == "" {
		add("location", LevelWarn, "not at any location: smart readers need one to take payments")
	} else {
		add("location", LevelOK, "at "+r.LocationID)
	}
	switch {
	case r.IPAddress == "" && !h.Simulated:
		add("network", LevelWarn, "no IP address reported")
	case r.IPAddress != "":
		add("network", LevelOK, "ip "+r.IPAddress)
	}
	h.Summary = summary(r, h)
	return h
}

func summary(r pos.Reader, h HealthReport) string {
	name := r.Label
	if name == "" {
		name = r.ID
	}
	state := r.Status
	if state == "" {
		state = "status unknown"
	}
	switch a := r.Action; {
	case a == nil:
		state += ", idle"
	case h.Busy:
		state += ", busy (" + a.Type + ")"
	case a.Status == pos.ActionFailed:
		state += ", last " + a.Type + " failed"
		if a.FailureCode != "" {
			state += " (" + a.FailureCode + ")"
		}
	default:
		state += ", idle"
	}
	s := name + ": " + state
	probs := h.Problems()
	if len(probs) > 0 {
		s += " — " + h.Level.String() + ": " + probs[0].Detail
		if len(probs) > 1 {
			s += " (+" + strconv.Itoa(len(probs)-1) + " more)"
		}
	}
	return s
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return "\"" + s + "\""
}
