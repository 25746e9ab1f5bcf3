package config

import (
	"os"
	"strings"
	"time"

	"kasse/i18n"
)

// WebhookOptions configure how Kasse hears Stripe's events: `kasse webhooks
// serve` (the signing secrets, the path, the tolerance) and the Events API
// catch-up of the console and of serve. The [webhooks] table; the secrets
// also from KASSE_WEBHOOK_SECRET, never from a flag.
type WebhookOptions struct {
	// Secrets are the endpoint's signing secrets (whsec_…): one, or during
	// a rotation the old and the new. Held as Secrets: never printed.
	Secrets []Secret
	// SecretsFrom names where the secrets came from (a file path or "env
	// KASSE_WEBHOOK_SECRET"; "" when there are none).
	SecretsFrom string
	Path        string        // where deliveries come to (default "/")
	Tolerance   time.Duration // how old a signature may be (default 5m)
	// CatchUp is how often the console (and serve) read the Events API
	// for what they missed; 0 = only at start. Default 1m.
	CatchUp time.Duration
}

// Defaults of WebhookOptions.
const (
	DefaultWebhookTolerance = 5 * time.Minute
	DefaultCatchUp          = time.Minute
	webhookSecretEnv        = "KASSE_WEBHOOK_SECRET"
)

func defaultWebhooks() WebhookOptions {
	return WebhookOptions{Path: "/", Tolerance: DefaultWebhookTolerance, CatchUp: DefaultCatchUp}
}

// RevealSecrets returns the raw secrets, to hand to the verifier only.
func (w WebhookOptions) RevealSecrets() []string {
	out := make([]string, 0, len(w.Secrets))
	for _, s := range w.Secrets {
		out = append(out, s.Reveal())
	}
	return out
}

// parseWebhookSecrets checks secrets (each "whsec_…", trimmed, none empty)
// and returns them. A problem message never quotes a secret.
func parseWebhookSecrets(raw []string) ([]Secret, i18n.Message) {
	var out []Secret
	for i, s := range raw {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			return nil, i18n.M("cli.config.webhook_secret_empty", i18n.Args{"N": i + 1})
		case !strings.HasPrefix(s, "whsec_") || len(s) < len("whsec_")+8 || strings.ContainsAny(s, " \t\"'"):
			return nil, i18n.M("cli.config.webhook_secret_shape", i18n.Args{"N": i + 1})
		}
		out = append(out, NewSecret(s))
	}
	return out, none
}

// applyWebhooks reads the [webhooks] table.
func (c *Config) applyWebhooks(d *fileData, src source, el *errs) {
	w := d.Webhooks
	if w.Secrets != nil {
		list, ok := w.Secrets.([]any)
		if !ok {
			el.add(src, "webhooks.secrets", i18n.M("cli.config.want_string_list"))
		} else {
			var raw []string
			bad := false
			for _, v := range list {
				s, isStr := v.(string)
				if !isStr {
					el.add(src, "webhooks.secrets", i18n.M("cli.config.want_string_list"))
					bad = true
					break
				}
				raw = append(raw, s)
			}
			if !bad {
				if secrets, msg := parseWebhookSecrets(raw); msg.ID != "" {
					el.add(src, "webhooks.secrets", msg)
				} else {
					c.Webhooks.Secrets, c.Webhooks.SecretsFrom = secrets, src.String()
				}
			}
		}
	}
	if w.Path != nil {
		if s, msg := wantString(w.Path); msg.ID != "" {
			el.add(src, "webhooks.path", msg)
		} else if !strings.HasPrefix(s, "/") || strings.ContainsAny(s, " ?#") {
			el.add(src, "webhooks.path", i18n.M("cli.config.webhook_path", i18n.Args{"Value": q(s)}))
		} else {
			c.Webhooks.Path = s
		}
	}
	if w.Tolerance != nil {
		d, msg := checkDuration(w.Tolerance, false)
		switch {
		case msg.ID != "":
			el.add(src, "webhooks.tolerance", msg)
		case d < time.Second || d > time.Hour:
			el.add(src, "webhooks.tolerance", i18n.M("cli.config.webhook_tolerance", i18n.Args{"Value": d.String()}))
		default:
			c.Webhooks.Tolerance = d
		}
	}
	if w.CatchUp != nil {
		d, msg := checkDuration(w.CatchUp, false)
		switch {
		case msg.ID != "":
			el.add(src, "webhooks.catch_up", msg)
		case d != 0 && d < 5*time.Second:
			el.add(src, "webhooks.catch_up", i18n.M("cli.config.webhook_catch_up", i18n.Args{"Value": d.String()}))
		default:
			c.Webhooks.CatchUp = d
		}
	}
}

// applyWebhookEnv reads KASSE_WEBHOOK_SECRET (comma-separated), which
// replaces the file's secrets.
func (c *Config) applyWebhookEnv(el *errs) {
	v := os.Getenv(webhookSecretEnv)
	if strings.TrimSpace(v) == "" {
		return
	}
	src := source{kind: kindEnv, name: webhookSecretEnv}
	secrets, msg := parseWebhookSecrets(strings.Split(v, ","))
	if msg.ID != "" {
		el.add(src, "webhooks.secrets", msg)
		return
	}
	c.Webhooks.Secrets, c.Webhooks.SecretsFrom = secrets, src.String()
}
