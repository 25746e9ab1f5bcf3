package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const (
	hookOld = "whsec_OldSecretForKasseTests0001"
	hookNew = "whsec_NewSecretForKasseTests0002"
)

func TestWebhookDefaults(t *testing.T) {
	isolate(t)
	c := mustLoad(t, "")
	w := c.Webhooks
	if len(w.Secrets) != 0 || w.Path != "/" || w.Tolerance != 5*time.Minute || w.CatchUp != time.Minute {
		t.Errorf("defaults %+v", w)
	}
}

func TestWebhookSecretsFromFileAndEnv(t *testing.T) {
	isolate(t)
	c, path, err := loadFile(t, fmt.Sprintf("[webhooks]\nsecrets = [%q, %q]\npath = \"/stripe\"\ntolerance = \"2m\"\ncatch_up = \"0s\"\n", hookOld, hookNew))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Webhooks.RevealSecrets(); len(got) != 2 || got[0] != hookOld || got[1] != hookNew {
		t.Errorf("secrets %v", len(got))
	}
	if c.Webhooks.SecretsFrom != path || c.Webhooks.Path != "/stripe" || c.Webhooks.Tolerance != 2*time.Minute || c.Webhooks.CatchUp != 0 {
		t.Errorf("options %+v", c.Webhooks)
	}
	if s := fmt.Sprintf("%v %+v %#v", c.Webhooks, c.Webhooks, c.Webhooks); strings.Contains(s, hookOld) || strings.Contains(s, hookNew) {
		t.Errorf("printing the options shows a secret: %s", s)
	}
	// The environment replaces the file's, comma-separated, trimmed.
	t.Setenv("KASSE_WEBHOOK_SECRET", " "+hookNew+" , "+hookOld)
	c, _, err = loadFile(t, fmt.Sprintf("[webhooks]\nsecrets = [%q]\n", hookOld))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Webhooks.RevealSecrets(); len(got) != 2 || got[0] != hookNew || c.Webhooks.SecretsFrom != "env KASSE_WEBHOOK_SECRET" {
		t.Errorf("from env: %d %q", len(got), c.Webhooks.SecretsFrom)
	}
}

func TestWebhookBadInput(t *testing.T) {
	isolate(t)
	cases := map[string]string{
		"[webhooks]\nsecrets = \"" + hookOld + "\"\n":                   "webhooks.secrets: must be a list of strings",
		"[webhooks]\nsecrets = [\"sk_" + "test_NotAHookSecret0000\"]\n": "webhooks.secrets: secret #1 is not a webhook signing secret",
		"[webhooks]\nsecrets = [\"\"]\n":                                "webhooks.secrets: secret #1 is empty",
		"[webhooks]\npath = \"hooks\"\n":                                "webhooks.path",
		"[webhooks]\ntolerance = \"2h\"\n":                              "webhooks.tolerance",
		"[webhooks]\ncatch_up = \"1s\"\n":                               "webhooks.catch_up",
		"[webhooks]\nsecret = \"x\"\n":                                  "webhooks.secret: unknown key; did you mean webhooks.secrets?",
		"webhooks = 3\n":                                                "webhooks: must be a [webhooks] table",
	}
	for content, want := range cases {
		_, _, err := loadFile(t, content)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", content, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "NotAHookSecret") {
			t.Errorf("the error quotes the secret: %v", err)
		}
	}
	t.Setenv("KASSE_WEBHOOK_SECRET", hookOld+",nope")
	if _, err := load(t); err == nil || !strings.Contains(err.Error(), "env KASSE_WEBHOOK_SECRET") || strings.Contains(err.Error(), hookOld) {
		t.Errorf("a bad env secret: %v", err)
	}
}
