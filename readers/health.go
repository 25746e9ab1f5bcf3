package readers

import (
	"fmt"
	"strings"
	"time"

	"kasse/i18n"
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
	switch l { // i18n:ok the levels are codes (JSON, the HEALTH column), the same in every language
	case LevelOK:
		return "ok" // i18n:ok a level code
	case LevelWarn:
		return "warn" // i18n:ok a level code
	}
	return "fail" // i18n:ok a level code
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
		return fmt.Errorf("readers: unknown health level %q", b) // i18n:ok a decoding error of JSON Kasse wrote itself
	}
	return nil
}

// Check is one health check of a reader.
type Check struct {
	Name  string `json:"name"` // status, action, device, software, location, network
	Level Level  `json:"level"`
	// Detail is the finding in English (--json is language-neutral); Msg
	// words it in the reader's language.
	Detail string       `json:"detail"`
	Msg    i18n.Message `json:"-"`
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
	// Summary is one line in English; SummaryMsg says it in the reader's
	// language.
	Summary    string       `json:"summary"`
	SummaryMsg i18n.Message `json:"-"`
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

// code carries a code (a status, a device type, an action) through a
// message: the same in every language.
func code(s string) i18n.Message { return i18n.M("cli.readers.code", i18n.Args{"Code": s}) }

// Health grades a reader from what Stripe reports about it. It is pure:
// now only stamps the report. Stripe's status lags (a reader is "offline"
// after 2 minutes without a signal), so an online reader can still fail a
// command; TestTransaction is the real proof.
func Health(r pos.Reader, now time.Time) HealthReport {
	h := HealthReport{ReaderID: r.ID, Label: r.Label, CheckedAt: now, Online: r.Online(), Busy: r.Busy(),
		Simulated: strings.HasPrefix(r.DeviceType, "simulated_")}
	add := func(name string, l Level, m i18n.Message) {
		h.Checks = append(h.Checks, Check{Name: name, Level: l, Detail: i18n.Neutral().Render(m), Msg: m})
		h.Level = max(h.Level, l)
	}
	switch r.Status {
	case "online":
		add("status", LevelOK, code(r.Status))
	case "offline":
		add("status", LevelFail, i18n.M("cli.readers.check.offline"))
	default:
		status := any(i18n.M("cli.readers.empty"))
		if r.Status != "" {
			status = q(r.Status)
		}
		add("status", LevelWarn, i18n.M("cli.readers.check.status_unreported", i18n.Args{"Status": status}))
	}
	a := r.Action
	act := i18n.Args{"Action": ActionMessage(a)}
	switch {
	case a == nil:
		add("action", LevelOK, i18n.M("cli.readers.check.idle"))
	case a.Status == pos.ActionInProgress && r.Status == "offline":
		add("action", LevelWarn, i18n.M("cli.readers.check.stale", act))
	case a.Status == pos.ActionInProgress:
		add("action", LevelOK, i18n.M("cli.readers.check.busy", act))
	case a.Status == pos.ActionFailed && a.FailureMessage != "":
		act["Message"] = a.FailureMessage
		add("action", LevelWarn, i18n.M("cli.readers.check.failed_message", act))
	case a.Status == pos.ActionFailed:
		add("action", LevelWarn, i18n.M("cli.readers.check.failed", act))
	default:
		add("action", LevelOK, i18n.M("cli.readers.check.last", act))
	}
	switch device := DeviceType(r); {
	case device == "":
		add("device", LevelWarn, i18n.M("cli.readers.check.device_unreported"))
	case mobileReaders[device]:
		add("device", LevelFail, i18n.M("cli.readers.check.mobile", i18n.Args{"Device": device}))
	case h.Simulated:
		add("device", LevelOK, i18n.M("cli.readers.check.simulated", i18n.Args{"Device": device}))
	default:
		add("device", LevelOK, code(device))
	}
	if r.SoftwareVersion == "" {
		add("software", LevelWarn, i18n.M("cli.readers.check.no_software"))
	} else {
		add("software", LevelOK, i18n.M("cli.readers.check.software", i18n.Args{"Version": r.SoftwareVersion}))
	}
	if r.LocationID == "" {
		add("location", LevelWarn, i18n.M("cli.readers.check.no_location"))
	} else {
		add("location", LevelOK, i18n.M("cli.readers.check.location", i18n.Args{"Location": r.LocationID}))
	}
	switch {
	case r.IPAddress == "" && !h.Simulated:
		add("network", LevelWarn, i18n.M("cli.readers.check.no_ip"))
	case r.IPAddress != "":
		add("network", LevelOK, i18n.M("cli.readers.check.ip", i18n.Args{"IP": r.IPAddress}))
	}
	h.SummaryMsg = summary(r, h)
	h.Summary = i18n.Neutral().Render(h.SummaryMsg)
	return h
}

func summary(r pos.Reader, h HealthReport) i18n.Message {
	name := r.Label
	if name == "" {
		name = r.ID
	}
	a := i18n.Args{"Status": code(r.Status)}
	if r.Status == "" {
		a["Status"] = i18n.M("cli.readers.status_unknown")
	}
	var state i18n.Message
	switch act := r.Action; {
	case act == nil:
		state = i18n.M("cli.readers.state.idle", a)
	case h.Busy:
		a["Type"] = act.Type
		state = i18n.M("cli.readers.state.busy", a)
	case act.Status == pos.ActionFailed && act.FailureCode != "":
		a["Type"], a["Code"] = act.Type, act.FailureCode
		state = i18n.M("cli.readers.state.failed_code", a)
	case act.Status == pos.ActionFailed:
		a["Type"] = act.Type
		state = i18n.M("cli.readers.state.failed", a)
	default:
		state = i18n.M("cli.readers.state.idle", a)
	}
	s := i18n.M("cli.readers.summary", i18n.Args{"Name": name, "State": state})
	probs := h.Problems()
	if len(probs) > 0 {
		s = i18n.M("cli.readers.summary_problem", i18n.Args{"Summary": s, "Level": h.Level.String(), "Problem": probs[0].Msg})
		if len(probs) > 1 {
			s = i18n.MN("cli.readers.summary_more", len(probs)-1, i18n.Args{"Summary": s})
		}
	}
	return s
}
