package i18n

import (
	"strings"
	"testing"
)

func TestParseLanguage(t *testing.T) {
	ok := []struct{ in, want string }{
		{"de", "de"},
		{"en", "en"},
		{" de ", "de"},
		{"DE", "de"},
		{"de-AT", "de-AT"},
		{"de_AT", "de-AT"},
		{"de-CH", "de-CH"},
		{"en-GB", "en-GB"},
		{"en-US", "en-US"},
		{"de-Latn-DE", "de-DE"},      // the script is dropped, the region kept
		{"en-US-u-nu-arab", "en-US"}, // extensions are dropped
	}
	for _, c := range ok {
		got, err := ParseLanguage(c.in)
		if err != nil || got.String() != c.want {
			t.Errorf("ParseLanguage(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "is not a language"},
		{"deutsch", "is not a language"},
		{"fr", "Kasse speaks de and en"},
		{"fr-CH", "Kasse speaks de and en"},
		{"ja", "Kasse speaks de and en"},
	}
	for _, c := range bad {
		_, err := ParseLanguage(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "de-AT or en-GB") {
			t.Errorf("ParseLanguage(%q) error = %v, want one containing %q and the accepted forms", c.in, err, c.msg)
		}
	}
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// POSIX: LC_ALL wins over LC_MESSAGES, which wins over LANG; the first
// non-empty one decides even when Kasse has no catalog for it.
func TestFromEnvPOSIXPrecedence(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
		ok   bool
	}{
		{"nothing set", nil, "en", false},
		{"all empty", map[string]string{"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}, "en", false},
		{"LANG de_DE.UTF-8", map[string]string{"LANG": "de_DE.UTF-8"}, "de-DE", true},
		{"LANG de", map[string]string{"LANG": "de"}, "de", true},
		{"LANG de_AT@euro", map[string]string{"LANG": "de_AT@euro"}, "de-AT", true},
		{"LANG de_CH.ISO-8859-1", map[string]string{"LANG": "de_CH.ISO-8859-1"}, "de-CH", true},
		{"LANG en_GB.UTF-8", map[string]string{"LANG": "en_GB.UTF-8"}, "en-GB", true},
		{"LANG C", map[string]string{"LANG": "C"}, "en", true},
		{"LANG C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, "en", true},
		{"LANG POSIX", map[string]string{"LANG": "POSIX"}, "en", true},
		{"LANG fr_FR.UTF-8: no catalog", map[string]string{"LANG": "fr_FR.UTF-8"}, "en", true},
		{"LANG garbage", map[string]string{"LANG": "!!"}, "en", true},
		{"LC_MESSAGES over LANG", map[string]string{"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "de-DE", true},
		{"LC_ALL over LC_MESSAGES and LANG", map[string]string{"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}, "en-US", true},
		{"LC_ALL=C over a German LANG", map[string]string{"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en", true},
		{"LC_ALL French does not fall through to a German LANG", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}, "en", true},
		{"empty LC_ALL is unset", map[string]string{"LC_ALL": "", "LANG": "de_DE.UTF-8"}, "de-DE", true},
		{"LC_NUMERIC and LC_MONETARY are not messages", map[string]string{"LC_NUMERIC": "de_DE.UTF-8", "LC_MONETARY": "de_DE.UTF-8"}, "en", false},
	}
	for _, c := range tests {
		got, ok := FromEnv(env(c.env))
		if got.String() != c.want || ok != c.ok {
			t.Errorf("%s: FromEnv = %s, %v; want %s, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestResolve(t *testing.T) {
	german := map[string]string{"LANG": "de_DE.UTF-8"}
	tests := []struct {
		name, configured string
		env              map[string]string
		want             string
	}{
		{"config wins over the environment", "en", german, "en"},
		{"config with region", "de-AT", map[string]string{"LANG": "en_US.UTF-8"}, "de-AT"},
		{"no config: the environment", "", german, "de-DE"},
		{"an invalid config value falls to the environment", "klingon", german, "de-DE"},
		{"nothing at all: English", "", nil, "en"},
	}
	for _, c := range tests {
		if got := Resolve(c.configured, env(c.env)); got.String() != c.want {
			t.Errorf("%s: Resolve(%q) = %s, want %s", c.name, c.configured, got, c.want)
		}
	}
	// NewFor is New(Resolve(…)): the words follow.
	if got := NewFor("", env(german)).T("word.reader"); got != "Lesegerät" {
		t.Errorf("NewFor with LANG=de_DE.UTF-8: word.reader = %q", got)
	}
}
