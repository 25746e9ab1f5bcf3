package serve

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/internal/sshterm"
	"kasse/sandbox"
	"kasse/supervisor"
)

// The host's Stripe key, the operators' PINs and their hashes never reach
// a counter, nor the host's log: a supervisor signs in to the readers
// area with her PIN at a counter of a host on a test key, and neither the
// bytes her terminal got, nor the log, nor the counter's remembered
// choices hold any of them.
func TestTheHostsSecretsStayOnTheHost(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{Seed: "demo"})
	must(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	apiKey := "sk_test_" + rand.Text()
	h := newHostEnv(t, map[string]string{"STRIPE_API_KEY": apiKey, "KASSE_API_BASE": ts.URL}, Options{})
	const pin = "582047"
	must(t, h.app.Guard().SetPIN(context.Background(), supervisor.SetPINRequest{Operator: "carol", New: pin}))

	c := h.dial("carol", "counter-9", sshterm.Options{})
	must(t, c.WaitFor(10*time.Second, "Choose a seller", "TEST"))
	must(t, c.Press("\x1bOS")) // f4: the readers area
	must(t, c.WaitFor(10*time.Second, "Operator", "PIN"))
	must(t, c.Press("\x15", "carol", "tab", pin, "enter"))
	must(t, c.WaitFor(10*time.Second, "Readers · opened by carol"))

	secrets := map[string]string{"the API key": apiKey, "the PIN": pin, "a PIN hash": "$argon2id$"}
	for what, s := range secrets {
		if strings.Contains(c.Raw(), s) {
			t.Errorf("the counter's terminal got %s", what)
		}
		if strings.Contains(h.logText(), s) {
			t.Errorf("the host's log holds %s", what)
		}
	}
	prefs, err := os.ReadFile(filepath.Join(h.app.Config.DataDir, "counters", "counter-9.prefs.json"))
	if err == nil && strings.Contains(string(prefs), pin) {
		t.Error("the counter's prefs hold the PIN")
	}
}
