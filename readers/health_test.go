package readers

import (
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

func healthyReader() pos.Reader {
	return pos.Reader{ID: "tmr_1", Label: "Counter 1", DeviceType: "bbpos_wisepos_e", Status: "online",
		SerialNumber: "WSC513105011295", SoftwareVersion: "2.22.2.0", IPAddress: "192.168.1.20", LocationID: "tml_1"}
}

func TestHealth(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	inProgress := &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_1"}
	cases := []struct {
		name    string
		edit    func(*pos.Reader)
		level   Level
		busy    bool
		summary string // substring
		check   string // name of the first problem ("" = none)
	}{
		{"healthy", func(*pos.Reader) {}, LevelOK, false, "Counter 1: online, idle", ""},
		{"offline", func(r *pos.Reader) { r.Status = "offline" }, LevelFail, false, "offline, idle — fail: offline: Stripe has had no signal", "status"},
		{"busy", func(r *pos.Reader) { r.Action = inProgress }, LevelOK, true, "online, busy (process_payment_intent)", ""},
		{"stale", func(r *pos.Reader) { r.Status, r.Action = "offline", inProgress }, LevelFail, true, "(+1 more)", "status"},
		{"last failed", func(r *pos.Reader) {
			r.Action = &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionFailed, FailureCode: "card_declined", FailureMessage: "Your card was declined."}
		}, LevelWarn, false, "last process_payment_intent failed (card_declined)", "action"},
		{"display done", func(r *pos.Reader) {
			r.Action = &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionSucceeded}
		}, LevelOK, false, "online, idle", ""},
		{"no software", func(r *pos.Reader) { r.SoftwareVersion = "" }, LevelWarn, false, "warn: no software version", "software"},
		{"mobile reader", func(r *pos.Reader) { r.DeviceType = "stripe_m2" }, LevelFail, false, "mobile (Bluetooth/USB) reader", "device"},
		{"no location", func(r *pos.Reader) { r.LocationID = "" }, LevelWarn, false, "not at any location", "location"},
		{"no ip", func(r *pos.Reader) { r.IPAddress = "" }, LevelWarn, false, "no IP address", "network"},
		{"simulated", func(r *pos.Reader) { r.DeviceType, r.IPAddress = "simulated_wisepos_e", "" }, LevelOK, false, "online, idle", ""},
		{"no label", func(r *pos.Reader) { r.Label = "" }, LevelOK, false, "tmr_1: online", ""},
		{"status missing", func(r *pos.Reader) { r.Status = "" }, LevelWarn, false, "status unknown", "status"},
	}
	for _, c := range cases {
		r := healthyReader()
		c.edit(&r)
		h := Health(r, now)
		if h.Level != c.level || h.Busy != c.busy || !strings.Contains(h.Summary, c.summary) || !h.CheckedAt.Equal(now) {
			t.Errorf("%s: level %v busy %v summary %q; want %v %v containing %q", c.name, h.Level, h.Busy, h.Summary, c.level, c.busy, c.summary)
		}
		probs := h.Problems()
		switch {
		case c.check == "" && len(probs) > 0:
			t.Errorf("%s: unexpected problems %+v", c.name, probs)
		case c.check != "" && (len(probs) == 0 || probs[0].Name != c.check):
			t.Errorf("%s: problems %+v; want first %q", c.name, probs, c.check)
		}
	}
}

func TestHealthStaleActionIsFlagged(t *testing.T) {
	r := healthyReader()
	r.Status = "offline"
	r.Action = &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_9"}
	h := Health(r, time.Time{})
	var action Check
	for _, c := range h.Checks {
		if c.Name == "action" {
			action = c
		}
	}
	if action.Level != LevelWarn || !strings.Contains(action.Detail, "stale action") || !strings.Contains(action.Detail, "pi_9") {
		t.Errorf("action check %+v", action)
	}
}

func TestSampleCart(t *testing.T) {
	cases := []struct {
		cur        string
		a, b, tax  int64
		totalShown string
	}{
		{"usd", 200, 300, 40, "5.40 USD"},
		{"EUR", 200, 300, 40, "5.40 EUR"},
		{"jpy", 200, 300, 40, "540 JPY"},
		{"kwd", 2000, 3000, 400, "5.400 KWD"},
		{"isk", 200, 300, 100, "6 ISK"}, // whole krónur only
	}
	for _, c := range cases {
		cart, err := SampleCart(c.cur)
		if err != nil {
			t.Fatalf("%s: %v", c.cur, err)
		}
		if len(cart.Lines) != 2 || cart.Lines[0].Amount != c.a || cart.Lines[1].Amount != c.b || cart.Lines[1].Quantity != 2 || cart.Tax != c.tax {
			t.Errorf("%s: cart %+v", c.cur, cart)
		}
		if cart.Total != cart.Lines[0].Amount+cart.Lines[1].Amount+cart.Tax || pos.Format(cart.Total, cart.Currency) != c.totalShown {
			t.Errorf("%s: total %d (%s), want %s", c.cur, cart.Total, pos.Format(cart.Total, cart.Currency), c.totalShown)
		}
	}
	if _, err := SampleCart("dollars"); err == nil {
		t.Error("a bad currency must be refused")
	}
}
