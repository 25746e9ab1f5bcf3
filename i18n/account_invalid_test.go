package i18n

import (
	"strings"
	"testing"

	"kasse/pos"
)

// A seller that is not connected to the platform is said so, not called an
// authentication failure (the key itself is fine); other auth errors keep
// their word.
func TestAccountInvalidIsNamed(t *testing.T) {
	bad := &pos.Error{Kind: pos.KindAuth, Code: "account_invalid", Message: "no access to account 'acct_x'"}
	for _, c := range []struct {
		loc  *Locale
		want string
	}{
		{New(English), "not a connected account of this platform (account_invalid): no access"},
		{New(German), "kein verbundenes Konto dieser Plattform (account_invalid)"},
	} {
		if got := c.loc.Err(bad); !strings.Contains(got, c.want) {
			t.Errorf("%q lacks %q", got, c.want)
		}
	}
	key := &pos.Error{Kind: pos.KindAuth, Code: "", Message: "Invalid API Key provided"}
	if got := New(English).Err(key); !strings.HasPrefix(got, "authentication: ") {
		t.Errorf("a bad key: %q", got)
	}
}
