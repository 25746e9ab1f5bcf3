package config

import (
	"flag"
	"reflect"
	"strings"
	"testing"

	"kasse/i18n"
)

func TestSplitFlags(t *testing.T) {
	shared, rest := SplitFlags([]string{"--data-dir", "/d", "--amount", "5", "--api-base=http://127.0.0.1:1",
		"--json", "-operator", "bea", "list"})
	if want := []string{"--data-dir", "/d", "--api-base=http://127.0.0.1:1", "-operator", "bea"}; !reflect.DeepEqual(shared, want) {
		t.Errorf("shared = %q, want %q", shared, want)
	}
	if want := []string{"--amount", "5", "--json", "list"}; !reflect.DeepEqual(rest, want) {
		t.Errorf("rest = %q, want %q", rest, want)
	}
	// "-" and "--" are not settings; a setting last on the line keeps its
	// missing value missing (the shared parse then reports it).
	shared, rest = SplitFlags([]string{"-", "--", "x", "--log-file"})
	if !reflect.DeepEqual(shared, []string{"--log-file"}) || !reflect.DeepEqual(rest, []string{"-", "--", "x"}) {
		t.Errorf("shared %q rest %q", shared, rest)
	}
}

// Every setting Register defines is split off, whatever its name: the
// splitter has no list of its own to forget one in.
func TestSplitFlagsKnowsEveryRegisteredFlag(t *testing.T) {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	new(Flags).Register(fs, nil)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		for _, args := range [][]string{{"--" + f.Name, "v"}, {"-" + f.Name + "=v"}} {
			shared, rest := SplitFlags(append(args, "--own"))
			if !reflect.DeepEqual(shared, args) || !reflect.DeepEqual(rest, []string{"--own"}) {
				t.Errorf("%q: shared %q rest %q", args, shared, rest)
			}
		}
	})
	if n != 6 {
		t.Errorf("Register defines %d flags, the test expects the 6 documented on Flags", n)
	}
}

// The help names every shared setting, in both languages; each flag has
// its help in both.
func TestFlagsHelpNamesEveryFlag(t *testing.T) {
	for _, loc := range []*i18n.Locale{i18n.New(i18n.English), i18n.New(i18n.German)} {
		fs := flag.NewFlagSet("", flag.ContinueOnError)
		new(Flags).Register(fs, loc)
		help := loc.Render(FlagsHelp)
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(help, "--"+f.Name+" ") {
				t.Errorf("%s: FlagsHelp does not name --%s", loc.Tag(), f.Name)
			}
			if f.Usage == "" || strings.HasPrefix(f.Usage, "[") {
				t.Errorf("%s: --%s has no help: %q", loc.Tag(), f.Name, f.Usage)
			}
		})
		if strings.Contains(help, "--api-key") {
			t.Errorf("%s: there is no --api-key flag", loc.Tag())
		}
	}
}
