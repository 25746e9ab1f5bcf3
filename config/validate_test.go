package config

import (
	"kasse/i18n"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFileValidationMessages checks the exact message for every kind of bad
// value in the file: each names the file, the key and the problem.
func TestFileValidationMessages(t *testing.T) {
	isolate(t)
	qk := func(body string) string { return "[[quick_keys]]\n" + body }
	cases := []struct{ content, want string }{
		{`api_key = "pk_test_abc123"`, "api_key: publishable keys (pk_…) cannot be used: Kasse needs a secret key (sk_test_…, sk_live_…) or a restricted key (rk_test_…, rk_live_…)"},
		{`api_key = "sk_tst_abc123"`, "api_key: not a Stripe secret key: it must start with sk_test_, sk_live_, rk_test_ or rk_live_"},
		{`api_key = "sk_test_"`, "api_key: malformed key: only letters and digits may follow sk_test_"},
		{`api_key = "sk_live_abc 123"`, "api_key: malformed key: only letters and digits may follow sk_live_"},
		{`api_key = 42`, "api_key: must be a string, not an integer"},
		{`api_base = "https://evil.example.com"`, `api_base: "https://evil.example.com" is not allowed: use https://api.stripe.com or a loopback address (http or https on 127.0.0.1, localhost or [::1], with an optional port)`},
		{`api_base = 1`, "api_base: must be a string, not the integer 1"},
		{`console_id = "till/1"`, `console_id: "till/1" must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`},
		{`console_id = "-till"`, `console_id: "-till" must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`},
		{`operator = ""`, "operator: must not be empty"},
		{`operator = " bob"`, `operator: " bob" must not start or end with white space`},
		{`operator = "a` + strings.Repeat("x", 64) + `"`, `operator: "a` + strings.Repeat("x", 64) + `" is longer than 64 characters`},
		{`operator = "bo\u0007b"`, `operator: "bo\ab" contains control characters`},
		{`capture_method = "later"`, `capture_method: "later" is not one of automatic, manual`},
		{`capture_method = 1`, "capture_method: must be a string, not the integer 1"},
		{`tipping = "yes"`, `tipping: must be true or false, not the string "yes"`},
		{`customer_cancellation = 0`, "customer_cancellation: must be true or false, not the integer 0"},
		{`idle_cancel = "soon"`, `idle_cancel: "soon" is not a duration like "2m" or "90s"`},
		{`idle_cancel = "-1m"`, `idle_cancel: "-1m" must not be negative`},
		{`idle_cancel = 120`, "idle_cancel: must be a string, not the integer 120"},
		{`pin_lockout = "soon"`, `pin_lockout: "soon" is not a duration like "2m" or "90s"`},
		{`pin_lockout = "-1m"`, `pin_lockout: "-1m" must not be negative`},
		{`pin_lockout = "0s"`, `pin_lockout: "0s" must be more than zero: the lockout cannot be switched off`},
		{`pin_lockout = "25h"`, `pin_lockout: "25h" is longer than 24h`},
		{`pin_lockout = 300`, "pin_lockout: must be a string, not the integer 300"},
		{`tax_rate = 101`, `tax_rate: "101" is more than 100 percent`},
		{`tax_rate = "100.001"`, `tax_rate: "100.001" is more than 100 percent`},
		{`tax_rate = -1`, `tax_rate: "-1" is not a percentage between 0 and 100, like 8.875`},
		{`tax_rate = "8.8751"`, `tax_rate: "8.8751" has more than 3 decimal places`},
		{`tax_rate = "eight"`, `tax_rate: "eight" is not a percentage between 0 and 100, like 8.875`},
		{`tax_rate = true`, "tax_rate: must be a percentage such as 8.875, not the boolean true"},
		{`data_dir = ""`, "data_dir: must not be empty"},
		{`receipts_dir = 5`, "receipts_dir: must be a string, not the integer 5"},
		{`log_file = []`, "log_file: must be a string, not an array"},
		{qk(`key = "10"` + "\ndescription = \"Tea\"\nprices = {usd = \"2\"}"), `quick_keys[0].key: "10" must be a single character, 1-9 or a-z`},
		{qk(`key = "0"` + "\ndescription = \"Tea\"\nprices = {usd = \"2\"}"), `quick_keys[0].key: "0" must be a single character, 1-9 or a-z`},
		{qk(`key = "A"` + "\ndescription = \"Tea\"\nprices = {usd = \"2\"}"), `quick_keys[0].key: "A" must be a single character, 1-9 or a-z`},
		{qk("key = \"1\"\ndescription = \"Tea\""), `quick_keys[0].prices: must be set, e.g. prices = { usd = "3.50", eur = "3.20" }: one price per currency the key is sold in`},
		{qk("key = \"1\"\nprices = {usd = \"2\"}"), "quick_keys[0].description: must be set"},
		{qk("description = \"Tea\"\nprices = {usd = \"2\"}"), "quick_keys[0].key: must be set"},
		{qk("key = \"1\"\ndescription = \" \"\nprices = {usd = \"2\"}"), "quick_keys[0].description: must not be empty"},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"0.00\"}"), `quick_keys[0].prices.usd: "0.00" must be more than zero`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"-1\"}"), `quick_keys[0].prices.usd: "-1" is not a decimal amount such as "3.50" (at most 9 digits before and 3 after the point)`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"3.5.0\"}"), `quick_keys[0].prices.usd: "3.5.0" is not a decimal amount such as "3.50" (at most 9 digits before and 3 after the point)`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = 3.5}"), `quick_keys[0].prices.usd: must be a quoted decimal amount such as "3.50", not the number 3.5`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {jpy = \"4.50\"}"), `quick_keys[0].prices.jpy: JPY has no decimals: type whole units, like 1980`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"3.505\"}"), `quick_keys[0].prices.usd: “3.505”: USD has 2 decimals`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {xyz = \"3\"}"), `quick_keys[0].prices.xyz: “xyz” is not a currency code (such as EUR, USD or JPY)`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"3\", USD = \"4\"}"), `quick_keys[0].prices.usd: USD is priced twice`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {}"), `quick_keys[0].prices: must name at least one currency, e.g. { usd = "3.50" }`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = \"3.50\""), `quick_keys[0].prices: must be a table such as { usd = "3.50", eur = "3.20" }, not the string "3.50"`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprice = \"5\""), `quick_keys[0].price: "5" names no currency, and a price is never carried from one currency to another: write prices = { usd = "5" }, one entry per currency the key is sold in (or add currency = "usd")`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprice = \"5\"\ncurrency = \"yen\""), `quick_keys[0].currency: “yen” is not a currency code (such as EUR, USD or JPY)`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprice = \"5.5\"\ncurrency = \"JPY\""), `quick_keys[0].price: JPY has no decimals: type whole units, like 1980`},
		{qk("key = \"1\"\ndescription = \"Tea\"\ncurrency = \"usd\""), `quick_keys[0].currency: only goes with price; prices = { usd = "…" } names the currency of each price`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprice = \"5\"\nprices = {usd = \"5\"}"), `quick_keys[0].price: give either prices = { … } or price with currency, not both`},
		{qk("key = \"1\"\ndescription = \"Tea\"\nprices = {usd = \"2\"}\n") + qk("key = \"1\"\ndescription = \"Cake\"\nprices = {usd = \"3\"}"), `quick_keys[1].key: "1" is already bound by quick_keys[0]`},
		{"[sandbox]\nauto_present = \"x\"", `sandbox.auto_present: "x" is not a duration like "2m" or "90s"`},
		{"[sandbox]\nseed = \"full\"", `sandbox.seed: "full" is not one of demo, none`},
		{"[[operators]]\nname = \"ann\"\nrole = \"boss\"", `operators[0].role: "boss" is not one of cashier, supervisor, tech`},
		{"[[operators]]\nname = \"ann\"", "operators[0].role: must be set"},
		{"[[operators]]\nrole = \"tech\"", "operators[0].name: must be set"},
		{"[[operators]]\nname = \"ann\"\nrole = \"tech\"\n[[operators]]\nname = \"ann\"\nrole = \"cashier\"", `operators[1].name: "ann" is already defined by operators[0]`},
		{"[pins]\nann = \"$h$\"", "pins: unknown key"}, // PIN hashes live in the journal now
		{"pins = {ann = \"h\"}", "pins: unknown key"},
		{"quick_keys = 5", "quick_keys: must be [[quick_keys]] tables"},
		{"quick_keys = [1]", "quick_keys: must be [[quick_keys]] tables"},
		{"[quick_keys]\nkey = \"1\"", "quick_keys: must be [[quick_keys]] tables"},
		{"operators = \"ann\"", "operators: must be [[operators]] tables"},
		{"sandbox = 1", "sandbox: must be a [sandbox] table"},
		{"[[sandbox]]\nseed = \"demo\"", "sandbox: must be a [sandbox] table"},
		{"api_key = {x = 1}", "api_key: must be a string, not a table"},
	}
	for _, tc := range cases {
		_, p, err := loadFile(t, tc.content)
		want := "config: " + p + ": " + tc.want
		if got := errorLines(err); len(got) != 1 || got[0] != want {
			t.Errorf("%q:\n got %q\nwant %q", tc.content, got, want)
		}
	}
}

// TestEnvAndFlagErrorsNameTheirSource checks that values from the
// environment and flags are validated and blamed on their source.
func TestEnvAndFlagErrorsNameTheirSource(t *testing.T) {
	cases := []struct {
		env, val string
		args     []string
		want     string
	}{
		{"STRIPE_API_KEY", "pk_live_abc123", nil, "config: env STRIPE_API_KEY: api_key: publishable keys (pk_…) cannot be used: Kasse needs a secret key (sk_test_…, sk_live_…) or a restricted key (rk_test_…, rk_live_…)"},
		{"KASSE_API_BASE", "ftp://127.0.0.1", nil, `config: env KASSE_API_BASE: api_base: "ftp://127.0.0.1" is not allowed: the scheme must be http or https`},
		{"KASSE_CONSOLE_ID", "till 1", nil, `config: env KASSE_CONSOLE_ID: console_id: "till 1" must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`},
		{"", "", []string{"--api-base", "https://evil.example.com"}, `config: flag --api-base: api_base: "https://evil.example.com" is not allowed: use https://api.stripe.com or a loopback address (http or https on 127.0.0.1, localhost or [::1], with an optional port)`},
		{"", "", []string{"--operator", "x\ty"}, `config: flag --operator: operator: "x\ty" contains control characters`},
	}
	for _, tc := range cases {
		isolate(t)
		if tc.env != "" {
			t.Setenv(tc.env, tc.val)
		}
		_, err := load(t, tc.args...)
		if got := errorLines(err); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s=%q %v:\n got %q\nwant %q", tc.env, tc.val, tc.args, got, tc.want)
		}
	}
}

func TestDefaultPathErrorNamesDefault(t *testing.T) {
	isolate(t)
	t.Setenv("HOME", "")
	t.Setenv("KASSE_LOG_FILE", "/var/log/kasse.log")
	_, err := load(t)
	want := "config: default: data_dir: cannot determine the home directory; set XDG_DATA_HOME"
	if got := errorLines(err); len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
	t.Setenv("XDG_DATA_HOME", "/var/lib")
	if c, err := load(t); err != nil || c.DataDir != "/var/lib/kasse" {
		t.Errorf("with XDG_DATA_HOME: %v", err)
	}
}

func TestAPIBaseAllowlist(t *testing.T) {
	cases := []struct {
		in, want string // want "" = rejected
	}{
		{"https://api.stripe.com", "https://api.stripe.com"},
		{"https://api.stripe.com/", "https://api.stripe.com"},
		{"https://API.Stripe.com:443", "https://api.stripe.com:443"},
		{"http://127.0.0.1:12111", "http://127.0.0.1:12111"},
		{"https://127.0.0.1:12112", "https://127.0.0.1:12112"},
		{"http://localhost", "http://localhost"},
		{"http://localhost:12111/", "http://localhost:12111"},
		{"http://[::1]:80", "http://[::1]:80"},
		{"http://[::1]", "http://[::1]"},
		{"https://evil.example.com", ""},
		{"https://api.stripe.com.evil.example.com", ""},
		{"https://api.stripe.com@evil.example.com", ""},
		{"http://api.stripe.com", ""},
		{"https://api.stripe.com:8443", ""},
		{"http://10.0.0.1", ""},
		{"http://127.0.0.2", ""},
		{"http://0.0.0.0:12111", ""},
		{"ftp://127.0.0.1", ""},
		{"http://127.0.0.1:0", ""},
		{"http://127.0.0.1:99999", ""},
		{"http://user:pw@localhost", ""},
		{"http://localhost/v1", ""},
		{"http://localhost?x=1", ""},
		{"localhost:12111", ""},
		{"", ""},
	}
	for _, tc := range cases {
		got, m := checkAPIBase(tc.in)
		msg := i18n.Neutral().Render(m)
		if tc.want == "" {
			if m.ID == "" {
				t.Errorf("%q accepted as %q, want rejected", tc.in, got)
			} else if !strings.Contains(msg, `"`+tc.in+`"`) {
				t.Errorf("%q: message %q does not quote the value", tc.in, msg)
			}
			continue
		}
		if m.ID != "" || got != tc.want {
			t.Errorf("%q = %q (%s), want %q", tc.in, got, msg, tc.want)
		}
	}
	// And through Load, from the file.
	isolate(t)
	if c := mustLoad(t, `api_base = "http://localhost:12111/"`); c.APIBase != "http://localhost:12111" {
		t.Errorf("APIBase = %q", c.APIBase)
	}
}

func TestTaxRate(t *testing.T) {
	isolate(t)
	cases := []struct {
		toml    string
		want    int64
		percent string
	}{
		{"0", 0, "0"},
		{"8.875", 8875, "8.875"},
		{`"8.875"`, 8875, "8.875"},
		{`"8.875%"`, 8875, "8.875"},
		{"7", 7000, "7"},
		{"19.5", 19500, "19.5"},
		{`"0.05"`, 50, "0.05"},
		{"100", 100000, "100"},
	}
	for _, tc := range cases {
		c := mustLoad(t, "tax_rate = "+tc.toml)
		if c.TaxRate != tc.want || c.TaxRatePercent() != tc.percent {
			t.Errorf("tax_rate = %s: got %d (%s), want %d (%s)", tc.toml, c.TaxRate, c.TaxRatePercent(), tc.want, tc.percent)
		}
	}
}

func TestInlineTables(t *testing.T) {
	isolate(t)
	c := mustLoad(t, `quick_keys = [{key = "1", description = "Tea", prices = {usd = "2"}}]
operators = [{name = "ann", role = "tech"}]
sandbox = {seed = "none"}`)
	if len(c.QuickKeys) != 1 || len(c.Operators) != 1 || c.SandboxOptions.Seed != "none" {
		t.Errorf("inline tables not loaded: %+v", c)
	}
}

func TestTablesAreLoaded(t *testing.T) {
	isolate(t)
	c := mustLoad(t, `
operator = "kim"
capture_method = "manual"
tipping = true
customer_cancellation = false
idle_cancel = "90s"
pin_lockout = "15m"

[[quick_keys]]
key = "1"
description = "Espresso"
prices = { usd = "3.50", EUR = "3.20", jpy = "450" }

[[quick_keys]]
key = "z"
description = "Zucchini bread"
price = "1200"
currency = "jpy"

[sandbox]
auto_present = "3s"
seed = "none"

[[operators]]
name = "ann"
role = "supervisor"

[[operators]]
name = "bo"
role = "cashier"
`)
	if c.CaptureMethod != "manual" || !c.Tipping || c.CustomerCancellation || c.IdleCancel.String() != "1m30s" || c.PinLockout != 15*time.Minute {
		t.Errorf("scalars: %+v", c)
	}
	want := []QuickKey{
		{"1", "Espresso", map[string]int64{"usd": 350, "eur": 320, "jpy": 450}},
		{"z", "Zucchini bread", map[string]int64{"jpy": 1200}}, // price with currency, as older files wrote it
	}
	if !reflect.DeepEqual(c.QuickKeys, want) {
		t.Errorf("QuickKeys = %+v, want %+v", c.QuickKeys, want)
	}
	if c.SandboxOptions.AutoPresent.String() != "3s" || c.SandboxOptions.Seed != "none" {
		t.Errorf("SandboxOptions = %+v", c.SandboxOptions)
	}
	if len(c.Operators) != 2 || c.Operators[0] != (Operator{Name: "ann", Role: RoleSupervisor}) || c.Operators[1] != (Operator{Name: "bo", Role: RoleCashier}) {
		t.Errorf("Operators = %+v", c.Operators)
	}
	if o, ok := c.OperatorByName("bo"); !ok || o.Role != RoleCashier {
		t.Errorf("OperatorByName(bo) = %v %v", o, ok)
	}
}
