package config

import (
	"regexp"
	"strings"
	"testing"

	"kasse/i18n"
)

// TestExampleLoadsAsDefaults: the example as shipped is valid and its
// active settings are the defaults.
func TestExampleLoadsAsDefaults(t *testing.T) {
	forEachLanguage(t, testExampleLoadsAsDefaults)
}

// forEachLanguage runs test on the example in English and in German.
func forEachLanguage(t *testing.T, test func(t *testing.T, ex string)) {
	for _, loc := range []*i18n.Locale{i18n.New(i18n.English), i18n.New(i18n.German)} {
		t.Run(loc.Tag().String(), func(t *testing.T) { test(t, Example(loc)) })
	}
	if Example(nil) != Example(i18n.New(i18n.English)) || Example(nil) == Example(i18n.New(i18n.German)) {
		t.Error("Example(nil) is not the English example, or the German one is not German")
	}
}

func testExampleLoadsAsDefaults(t *testing.T, ex string) {
	isolate(t)
	def, err := load(t)
	if err != nil {
		t.Fatal(err)
	}
	c, p, err := loadFile(t, ex)
	if err != nil {
		t.Fatalf("Example() does not load: %v", err)
	}
	if c.APIBase != def.APIBase || c.CaptureMethod != def.CaptureMethod || c.Tipping != def.Tipping ||
		c.CustomerCancellation != def.CustomerCancellation || c.IdleCancel != def.IdleCancel || c.PinLockout != def.PinLockout ||
		c.TaxRate != def.TaxRate || c.SandboxOptions != def.SandboxOptions || !c.Sandbox() {
		t.Errorf("example settings differ from defaults:\n%+v\n%+v", c, def)
	}
	if c.Origin("capture_method") != p {
		t.Errorf("capture_method not read from the example file")
	}
}

var commentedSetting = regexp.MustCompile(`(?m)^#([^ #\n].*|)$`)

// TestExampleCommentedSettingsAreValid uncomments every "#key = value"
// line (all but the placeholder API key) and loads the result.
func TestExampleCommentedSettingsAreValid(t *testing.T) {
	forEachLanguage(t, testExampleCommentedSettingsAreValid)
}

func testExampleCommentedSettingsAreValid(t *testing.T, ex string) {
	home := isolate(t)
	ex = commentedSetting.ReplaceAllStringFunc(ex, func(line string) string {
		if strings.HasPrefix(line, "#api_key") {
			return line
		}
		return line[1:]
	})
	c, _, err := loadFile(t, ex)
	if err != nil {
		t.Fatalf("uncommented example does not load: %v\n%s", err, ex)
	}
	if c.ConsoleID != "front-till-1" || c.Operator != "alex" || c.DataDir != home+"/.local/share/kasse" {
		t.Errorf("scalars: %+v", c)
	}
	if len(c.QuickKeys) != 2 || c.QuickKeys[0].Prices["usd"] != 350 || c.QuickKeys[0].Prices["jpy"] != 450 ||
		c.QuickKeys[1].Prices["eur"] != 280 || len(c.QuickKeys[1].Prices) != 1 || len(c.Operators) != 1 {
		t.Errorf("tables: %+v %+v", c.QuickKeys, c.Operators)
	}
}

// TestExampleDocumentsEveryKey keeps Example in step with the keys Load
// accepts.
func TestExampleDocumentsEveryKey(t *testing.T) {
	forEachLanguage(t, testExampleDocumentsEveryKey)
}

func testExampleDocumentsEveryKey(t *testing.T, ex string) {
	for _, k := range topKeys {
		if !regexp.MustCompile(`(?m)^#?(` + k + ` =|\[\[?` + k + `\]\]?)`).MatchString(ex) {
			t.Errorf("Example() does not show %s", k)
		}
	}
	for table, keys := range subKeys {
		for _, k := range keys {
			if !regexp.MustCompile(`(?m)^#?` + k + ` =`).MatchString(ex) {
				t.Errorf("Example() does not show %s.%s", table, k)
			}
		}
	}
	for _, s := range scalars {
		if s.env != "" && !strings.Contains(ex, s.env) {
			t.Errorf("Example() does not mention %s", s.env)
		}
	}
}
