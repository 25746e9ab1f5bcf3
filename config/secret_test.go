package config

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const pinHash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDEyMw$UGluSGFzaFNlY3JldA"

// leaks reports whether out contains the key or the PIN hash in any
// recognisable encoding.
func leaks(out string) bool {
	for _, raw := range []string{testKey, "Kasse0000TestKey1111", pinHash, "UGluSGFzaFNlY3JldA"} {
		if strings.Contains(out, raw) ||
			strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(raw))) {
			return true
		}
	}
	return false
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%20s", "%-40v", "%T %v"}

func TestSecretRedaction(t *testing.T) {
	s := NewSecret(testKey)
	if s.Reveal() != testKey {
		t.Fatalf("Reveal() = %q", s.Reveal())
	}
	for _, verb := range verbs {
		for _, v := range []any{s, &s, []Secret{s}, map[string]Secret{"k": s}} {
			if out := fmt.Sprintf(verb, v); leaks(out) {
				t.Errorf("Sprintf(%q, %T) leaks: %s", verb, v, out)
			}
		}
	}
	if got := s.String(); got != "sk_test_…(redacted)" {
		t.Errorf("String() = %q", got)
	}
	if got := fmt.Sprintf("%#v", s); got != `config.Secret("sk_test_…(redacted)")` {
		t.Errorf("%%#v = %q", got)
	}
	if got := NewSecret(pinHash).String(); got != "(redacted)" {
		t.Errorf("pin hash String() = %q", got)
	}
	if got := (Secret{}).String(); got != "" || !(Secret{}).IsZero() {
		t.Errorf("zero Secret = %q", got)
	}
	// Printed through an unexported field, where fmt cannot call methods.
	hidden := struct{ key Secret }{s}
	for _, verb := range verbs {
		if out := fmt.Sprintf(verb, hidden); leaks(out) {
			t.Errorf("unexported field, %q leaks: %s", verb, out)
		}
	}
}

func loadedSecrets(t *testing.T) *Config {
	t.Helper()
	isolate(t)
	return mustLoad(t, fmt.Sprintf("api_key = %q\noperator = \"ann\"\n", testKey))
}

func TestConfigRedaction(t *testing.T) {
	c := loadedSecrets(t)
	if c.APIKey.Reveal() != testKey {
		t.Fatal("secrets not loaded")
	}
	for _, verb := range verbs {
		for _, v := range []any{c, *c} {
			out := fmt.Sprintf(verb, v)
			if leaks(out) {
				t.Errorf("Sprintf(%q, %T) leaks: %s", verb, v, out)
			}
		}
	}
	if out := fmt.Sprintf("%+v", c); !strings.Contains(out, "APIKey:sk_test_…(redacted)") {
		t.Errorf("%%+v does not show the redacted key: %s", out)
	}

	j, err := json.Marshal(c)
	if err != nil || leaks(string(j)) || !strings.Contains(string(j), `"APIKey":"sk_test_…(redacted)"`) {
		t.Errorf("json: %v %s", err, j)
	}
	var tb bytes.Buffer
	if err := toml.NewEncoder(&tb).Encode(c); err != nil || leaks(tb.String()) {
		t.Errorf("toml: %v %s", err, tb.String())
	}
	var lb bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&lb, nil))
	log.Info("start", "key", c.APIKey, "config", c)
	slog.New(slog.NewTextHandler(&lb, nil)).Info("start", "key", c.APIKey, "config", *c)
	if leaks(lb.String()) {
		t.Errorf("slog leaks: %s", lb.String())
	}
}

// TestErrorsNeverContainKeys puts a key where it does not belong and in
// syntactically broken lines: the messages name the problem, not the key.
func TestErrorsNeverContainKeys(t *testing.T) {
	isolate(t)
	for _, content := range []string{
		"console_id = \"" + testKey + "/x\"",
		"operator = \"" + testKey + " \"",
		"api_key = " + testKey,
		"api_key = \"" + testKey,
		"api_key = \"" + testKey + "\" x",
		"api_key = \"" + testKey + "!\"",
		"tipping = \"" + testKey + "\"",
		"[[quick_keys]]\nkey = \"1\"\ndescription = \"x\"\nprice = \"" + testKey + "\"",
		"[[quick_keys]]\nkey = \"1\"\ndescription = \"x\"\nprices = {usd = \"" + testKey + "\"}",
		"[[quick_keys]]\nkey = \"1\"\ndescription = \"x\"\nprice = \"1\"\ncurrency = \"" + testKey + "\"",
		"[pins]\nzed = \"" + pinHash + "\"",
	} {
		_, _, err := loadFile(t, content)
		if err == nil {
			t.Errorf("%.20q: no error", content)
			continue
		}
		if leaks(err.Error()) {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
	t.Setenv("STRIPE_API_KEY", "pk_test_Kasse0000TestKey1111")
	if _, err := load(t); err == nil || strings.Contains(err.Error(), "Kasse0000TestKey1111") {
		t.Errorf("env error: %v", err)
	}
}

func TestRedactKeys(t *testing.T) {
	in := "a sk_test_abc123, rk_live_Z9 and pk_test_q; not xsk_test_y or sk_other_1"
	want := "a sk_test_…(redacted), rk_live_…(redacted) and pk_test_…(redacted); not xsk_test_y or sk_other_1"
	if got := redactKeys(in); got != want {
		t.Errorf("redactKeys:\n got %q\nwant %q", got, want)
	}
}
