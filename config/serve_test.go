package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// [serve]: the listen address as written, the authorized keys file
// relative to the config file, KASSE_AUTHORIZED_KEYS over the file.
func TestServeTable(t *testing.T) {
	isolate(t)
	c, p, err := loadFile(t, "[serve]\nlisten = \"0.0.0.0:2222\"\nauthorized_keys = \"keys/authorized\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.Listen != "0.0.0.0:2222" {
		t.Errorf("listen = %q", c.Serve.Listen)
	}
	if want := filepath.Join(filepath.Dir(p), "keys", "authorized"); c.Serve.AuthorizedKeys != want {
		t.Errorf("authorized_keys = %q, want %q (beside the config file)", c.Serve.AuthorizedKeys, want)
	}
	env := filepath.Join(t.TempDir(), "from-env")
	t.Setenv(EnvAuthorizedKeys, env)
	c, _, err = loadFile(t, "[serve]\nauthorized_keys = \"/etc/kasse/keys\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Serve.AuthorizedKeys != env || c.Origin("serve.authorized_keys") != "env "+EnvAuthorizedKeys {
		t.Errorf("authorized_keys = %q from %q, want %q from the environment", c.Serve.AuthorizedKeys,
			c.Origin("serve.authorized_keys"), env)
	}
}

// A listen address must name its host: ":2222" would serve every network
// without anyone having said so.
func TestServeListenNeedsAHost(t *testing.T) {
	isolate(t)
	for _, bad := range []string{`":2222"`, `"2222"`, `"localhost"`, `2222`} {
		_, _, err := loadFile(t, "[serve]\nlisten = "+bad+"\n")
		if err == nil || !strings.Contains(err.Error(), "serve.listen") {
			t.Errorf("listen = %s: err = %v, want a refusal naming serve.listen", bad, err)
		}
	}
	_, _, err := loadFile(t, "[serve]\nlisten = \":2222\"\n")
	if !strings.Contains(err.Error(), "0.0.0.0:2222") {
		t.Errorf("the refusal does not say how to serve the network: %v", err)
	}
}
