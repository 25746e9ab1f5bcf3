package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The commands speak their operator's language (issue 16): two operators
// of one configuration, one with language "de", the other with the
// console's "en", get kasse sellers in their own words, and the same
// --json; with no language configured, LANG decides, flag errors
// included.
func TestCommandsSpeakTheOperatorsLanguage(t *testing.T) {
	w := newCLIWorld(t)
	cfg := filepath.Join(w.dir, "kasse.toml")
	if err := os.WriteFile(cfg, []byte(`language = "en"

[[operators]]
name = "anna"
role = "cashier"
language = "de"

[[operators]]
name = "bea"
role = "supervisor"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	w.kasse("", "sellers", "--config", cfg, "--operator", "anna").expect(t, 0, "5 Händler, 4 können verkaufen\n", "")
	w.kasse("", "sellers", "--config", cfg, "--operator", "bea").expect(t, 0, "5 sellers, 4 can sell\n", "")
	w.kasse("", "sellers", "--config", cfg, "--operator", "anna", "--bogus").
		expect(t, 64, "", "kasse sellers: unbekannte Option: -bogus")
	de := w.kasse("", "sellers", "--json", "--config", cfg, "--operator", "anna")
	en := w.kasse("", "sellers", "--json", "--config", cfg, "--operator", "bea")
	if de.code != 0 || de.stdout == "" || de.stdout != en.stdout {
		t.Errorf("--json differs by language:\n%s\n%s", de.stdout, en.stdout)
	}

	w.kasse("", "sellers").expect(t, 0, "5 sellers, 4 can sell\n", "") // LANG=C (TestMain)
	t.Setenv("LANG", "de_DE.UTF-8")
	w.kasse("", "sellers").expect(t, 0, "5 Händler, 4 können verkaufen\n", "")
	w.kasse("", "sellers", "--bogus").expect(t, 64, "", "kasse sellers: unbekannte Option: -bogus (siehe kasse sellers --help)")
	w.kasse("", "sellers", "--config", cfg, "--operator", "bea").expect(t, 0, "5 sellers, 4 can sell\n", "") // config wins over LANG
}

// The commands issues 13, 14, 15 and 17 added speak German too, through
// kasse's own entry: their help, kasse --help's lines for them, a usage
// error and kasse serve's refusal of an address without a host.
func TestNewCommandsInGerman(t *testing.T) {
	w := newCLIWorld(t)
	t.Setenv("LANG", "de_DE.UTF-8")
	w.kasse("", "--help").expect(t, 0, "die Konsole über SSH für die Kassen dieses Rechners", "")
	w.kasse("", "--help").expect(t, 0, "die Rückbuchungen: list, show, evidence, submit, accept", "")
	w.kasse("", "customers", "--help").expect(t, 0, "Aufruf: kasse customers [gemeinsame Optionen] BEFEHL", "")
	w.kasse("", "disputes", "--help").expect(t, 0, "Aufruf: kasse disputes BEFEHL", "")
	w.kasse("", "webhooks", "serve", "--help").expect(t, 0, "Aufruf: kasse webhooks serve", "")
	w.kasse("", "events", "tail", "--help").expect(t, 0, "Aufruf: kasse events tail", "")
	w.kasse("", "serve", "--help").expect(t, 0, "Die Konsole über SSH für die Kassenplätze dieses Rechners", "")
	w.kasse("", "serve", "--help").expect(t, 0, "nur dieser Rechner", "")
	w.kasse("", "webhooks").expect(t, 64, "", "Aufruf: kasse webhooks serve … (siehe kasse webhooks serve --help)")
	w.kasse("", "disputes", "frob").expect(t, 64, "", "kasse disputes frob: unbekannter Befehl \"frob\"")
	w.kasse("", "serve", "--listen", ":2222").expect(t, 64, "", `kasse serve: --listen ":2222" nennt keinen Host: 127.0.0.1:2222 nur für diesen Rechner angeben`)
	w.kasse("", "sellers").expect(t, 0, "ÜBERWEISUNGEN", "")
}
