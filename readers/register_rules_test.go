package readers

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeCode(t *testing.T) {
	ok := []struct{ in, want string }{
		{"apple-grape-orange", "apple-grape-orange"},
		{"  Apple-Grape-ORANGE ", "apple-grape-orange"},
		{"apple grape orange", "apple-grape-orange"},
		{"apple - grape - orange", "apple-grape-orange"},
	}
	for _, c := range ok {
		got, err := NormalizeCode(c.in, ModeLive)
		if err != nil || got != c.want {
			t.Errorf("NormalizeCode(%q, live) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, code := range []string{CodeSimulatedWisePOSE, CodeSimulatedS700, "Simulated-WPE"} {
		if got, err := NormalizeCode(code, ModeTest); err != nil || !IsSimulatedCode(got) {
			t.Errorf("NormalizeCode(%q, test) = %q, %v", code, got, err)
		}
	}
	bad := []struct {
		in       string
		mode     Mode
		sentinel error
		msg      string
	}{
		{"", ModeTest, ErrRegistrationCode, "empty"},
		{"apple-grape", ModeTest, ErrRegistrationCode, "got 2 words"},
		{"apple-grape-orange-kiwi", ModeTest, ErrRegistrationCode, "got 4 words"},
		{"apple-gr4pe-orange", ModeTest, ErrRegistrationCode, `"gr4pe" is not`},
		{"apple-g-orange", ModeTest, ErrRegistrationCode, `"g" is not`},
		{"tmr_123-abc-def", ModeTest, ErrRegistrationCode, "letters only"},
		{"simulated-wpe", ModeLive, ErrMode, "test mode only"},
		{"simulated-wpe", "", ErrMode, "live key"}, // zero Mode is live
		{"simulated-s700", ModeLive, ErrMode, "test mode only"},
		{"simulated-s710", ModeTest, ErrRegistrationCode, "newer API versions"},
		{"simulated-p400", ModeTest, ErrRegistrationCode, "not a simulated reader code"},
	}
	for _, c := range bad {
		_, err := NormalizeCode(c.in, c.mode)
		if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("NormalizeCode(%q, %q) = %v; want %v containing %q", c.in, c.mode, err, c.sentinel, c.msg)
		}
	}
}

func TestValidateLabel(t *testing.T) {
	if got, err := ValidateLabel("  Counter 2 "); err != nil || got != "Counter 2" {
		t.Errorf("ValidateLabel = %q, %v", got, err)
	}
	if _, err := ValidateLabel(strings.Repeat("é", MaxLabelLength)); err != nil {
		t.Errorf("a label of exactly %d characters (multi-byte) must pass: %v", MaxLabelLength, err)
	}
	for in, msg := range map[string]string{
		"   ":                                 "empty",
		strings.Repeat("x", MaxLabelLength+1): "5001 characters",
		"Counter\n2":                          "control characters",
		"Counter\t2":                          "control characters",
		string([]byte{'C', 0xff, 'x'}):        "UTF-8",
	} {
		if _, err := ValidateLabel(in); !errors.Is(err, ErrLabel) || !strings.Contains(err.Error(), msg) {
			t.Errorf("ValidateLabel(%.20q) = %v; want ErrLabel with %q", in, err, msg)
		}
	}
}

func TestValidateMetadata(t *testing.T) {
	if err := ValidateMetadata(map[string]string{"till": "3", "remove_me": ""}); err != nil {
		t.Errorf("valid metadata refused: %v", err)
	}
	many := map[string]string{}
	for i := range MaxMetadataKeys + 1 {
		many[strings.Repeat("k", 1+i%30)+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	for name, md := range map[string]map[string]string{
		"too many keys": many,
		"long key":      {strings.Repeat("k", MaxMetadataKeyLength+1): "v"},
		"brackets":      {"a[b]": "v"},
		"long value":    {"k": strings.Repeat("v", MaxMetadataValueLength+1)},
		"empty key":     {" ": "v"},
	} {
		if err := ValidateMetadata(md); !errors.Is(err, ErrMetadata) {
			t.Errorf("%s: ValidateMetadata = %v; want ErrMetadata", name, err)
		}
	}
}
