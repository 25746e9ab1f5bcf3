package config

import "testing"

// language is the console's, operators may have their own; values are
// normalised, and LanguageFor picks the operator's over the console's.
func TestLanguage(t *testing.T) {
	isolate(t)
	c := mustLoad(t, `
language = "de_AT"

[[operators]]
name = "ann"
role = "cashier"
language = "en-GB"

[[operators]]
name = "bo"
role = "supervisor"
`)
	if c.Language != "de-AT" {
		t.Errorf("Language = %q, want de-AT", c.Language)
	}
	for _, tc := range []struct{ operator, want string }{
		{"ann", "en-GB"}, // her own
		{"bo", "de-AT"},  // none of his own: the console's
		{"zed", "de-AT"}, // not configured: the console's
	} {
		if got := c.LanguageFor(tc.operator); got != tc.want {
			t.Errorf("LanguageFor(%q) = %q, want %q", tc.operator, got, tc.want)
		}
	}
	if c.Origin("language") == "default" {
		t.Error("language not recorded as read from the file")
	}

	// Unset: "" everywhere, so that i18n.Resolve reads the POSIX locale.
	d := mustLoad(t, "[[operators]]\nname = \"ann\"\nrole = \"cashier\"")
	if d.Language != "" || d.LanguageFor("ann") != "" {
		t.Errorf("no language configured: %q, %q", d.Language, d.LanguageFor("ann"))
	}
}

func TestLanguageErrors(t *testing.T) {
	isolate(t)
	cases := []struct{ content, want string }{
		{`language = "fr"`, `language: "fr": Kasse speaks de and en (optionally with a region, such as de-AT or en-GB)`},
		{`language = "deutsch"`, `language: "deutsch" is not a language: use de or en (optionally with a region, such as de-AT or en-GB)`},
		{`language = ""`, `language: "" is not a language: use de or en (optionally with a region, such as de-AT or en-GB)`},
		{`language = 1`, `language: must be a string, not the integer 1`},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\nlanguage = \"it\"", `operators[0].language: "it": Kasse speaks de and en (optionally with a region, such as de-AT or en-GB)`},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\nlangauge = \"de\"", `operators.langauge: unknown key; did you mean operators.language?`},
	}
	for _, tc := range cases {
		_, p, err := loadFile(t, tc.content)
		want := "config: " + p + ": " + tc.want
		if got := errorLines(err); len(got) != 1 || got[0] != want {
			t.Errorf("%q:\n got %q\nwant %q", tc.content, got, want)
		}
	}
}
