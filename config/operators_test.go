package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// ReadOperators reads the [[operators]] of a file again, as Load reads
// them: the same list, the same refusals in the same words; the rest of
// the file is not its business unless it is no longer TOML.
func TestReadOperators(t *testing.T) {
	isolate(t)
	const good = `console_id = "shop"
[[operators]]
name = "ann"
role = "supervisor"
language = "de-at"
[[operators]]
name = "bo"
role = "cashier"
`
	c, p, err := loadFile(t, good)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := ReadOperators(p)
	if err != nil {
		t.Fatalf("ReadOperators: %v", err)
	}
	want := []Operator{{Name: "ann", Role: RoleSupervisor, Language: "de-AT"}, {Name: "bo", Role: RoleCashier}}
	if !reflect.DeepEqual(ops, want) || !reflect.DeepEqual(ops, c.Operators) {
		t.Errorf("ReadOperators = %+v, want %+v (as Load: %+v)", ops, want, c.Operators)
	}

	// Other settings are not read: a bad one elsewhere does not matter.
	other := writeFile(t, "other.toml", "tipping = \"maybe\"\n[[operators]]\nname = \"cy\"\nrole = \"tech\"\n")
	if ops, err := ReadOperators(other); err != nil || !reflect.DeepEqual(ops, []Operator{{Name: "cy", Role: RoleTech}}) {
		t.Errorf("a file with a bad setting elsewhere: %+v, %v; want cy (tech)", ops, err)
	}
	if ops, err := ReadOperators(writeFile(t, "none.toml", "console_id = \"shop\"\n")); err != nil || len(ops) != 0 {
		t.Errorf("a file without operators: %+v, %v; want none and no error", ops, err)
	}

	for _, c := range []struct{ content, want string }{
		{"[[operators]]\nname = \"ann\"\nrole = \"boss\"", `operators[0].role: "boss" is not one of cashier, supervisor, tech`},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\n[[operators]]\nname = \"ann\"\nrole = \"cashier\"", `operators[1].name: "ann" is already defined by operators[0]`},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\nlanguage = \"xx-yy-zz!\"", "operators[0].language"},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\npin = \"1234\"", "operators.pin: unknown key"},
		{"operators = \"ann\"", "operators: must be [[operators]] tables"},
		{"[[operators]]\nname = \"ann\nrole = \"tech\"", "line 2"},
	} {
		p := writeFile(t, "config.toml", c.content)
		ops, err := ReadOperators(p)
		if err == nil || ops != nil {
			t.Errorf("%q: %+v, %v; want a refusal", c.content, ops, err)
			continue
		}
		_, loadErr := Load(flagsFor(t, p))
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%q: %v; want %q naming the file", c.content, err, c.want)
		}
		if loadErr == nil || !strings.Contains(loadErr.Error(), err.Error()) {
			t.Errorf("%q: ReadOperators says %q, Load says %v", c.content, err, loadErr)
		}
	}

	gone := filepath.Join(t.TempDir(), "gone.toml")
	if _, err := ReadOperators(gone); err == nil || !strings.Contains(err.Error(), gone) {
		t.Errorf("a missing file: %v; want an error naming it", err)
	}
	if err := os.WriteFile(gone, []byte(good), 0o000); err == nil && os.Geteuid() != 0 {
		if _, err := ReadOperators(gone); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("an unreadable file: %v; want permission denied", err)
		}
	}
}

// flagsFor is Flags naming the config file p.
func flagsFor(t *testing.T, p string) *Flags {
	t.Helper()
	t.Setenv("KASSE_CONFIG", p)
	return &Flags{}
}
