package config

import (
	"fmt"
	"net"
	"strings"

	"kasse/i18n"
)

// scalar describes one top-level key: where it may come from and how it is
// validated and stored. set returns a problem message, or "".
type scalar struct {
	key, env, flag string
	file           func(*fileData) any
	flagValue      func(*Flags) *flagValue
	set            func(c *Config, v any, src source) i18n.Message
}

// scalars lists the top-level keys. Only string-valued keys have an
// environment variable or flag.
var scalars = []scalar{
	{key: "api_key", env: "STRIPE_API_KEY",
		file: func(d *fileData) any { return d.APIKey },
		set: func(c *Config, v any, _ source) i18n.Message {
			s, ok := v.(string)
			if !ok {
				return i18n.M("cli.config.want_string", i18n.Args{"Value": typeName(v)})
			}
			if s = strings.TrimSpace(s); s == "" {
				c.APIKey = Secret{}
				return none
			}
			if msg := checkAPIKey(s); msg.ID != "" {
				return msg
			}
			c.APIKey = NewSecret(s)
			return none
		}},
	{key: "api_base", env: "KASSE_API_BASE", flag: "api-base",
		file:      func(d *fileData) any { return d.APIBase },
		flagValue: func(f *Flags) *flagValue { return &f.apiBase },
		set: func(c *Config, v any, _ source) i18n.Message {
			s, msg := wantString(v)
			if msg.ID == "" {
				c.APIBase, msg = checkAPIBase(s)
			}
			return msg
		}},
	{key: "console_id", env: "KASSE_CONSOLE_ID", flag: "console-id",
		file:      func(d *fileData) any { return d.ConsoleID },
		flagValue: func(f *Flags) *flagValue { return &f.consoleID },
		set:       setString(checkConsoleID, func(c *Config) *string { return &c.ConsoleID })},
	{key: "operator", env: "KASSE_OPERATOR", flag: "operator",
		file:      func(d *fileData) any { return d.Operator },
		flagValue: func(f *Flags) *flagValue { return &f.operator },
		set:       setString(checkName, func(c *Config) *string { return &c.Operator })},
	{key: "language",
		file: func(d *fileData) any { return d.Language },
		set:  setString(checkLanguage, func(c *Config) *string { return &c.Language })},
	{key: "capture_method",
		file: func(d *fileData) any { return d.CaptureMethod },
		set: setString(func(v any) (string, i18n.Message) { return oneOf(v, CaptureAutomatic, CaptureManual) },
			func(c *Config) *string { return &c.CaptureMethod })},
	{key: "tipping",
		file: func(d *fileData) any { return d.Tipping },
		set: func(c *Config, v any, _ source) (msg i18n.Message) {
			c.Tipping, msg = wantBool(v)
			return msg
		}},
	{key: "customer_cancellation",
		file: func(d *fileData) any { return d.CustomerCancellation },
		set: func(c *Config, v any, _ source) (msg i18n.Message) {
			c.CustomerCancellation, msg = wantBool(v)
			return msg
		}},
	{key: "idle_cancel",
		file: func(d *fileData) any { return d.IdleCancel },
		set: func(c *Config, v any, _ source) (msg i18n.Message) {
			c.IdleCancel, msg = checkDuration(v, false)
			return msg
		}},
	{key: "pin_lockout",
		file: func(d *fileData) any { return d.PinLockout },
		set: func(c *Config, v any, _ source) (msg i18n.Message) {
			c.PinLockout, msg = checkPinLockout(v)
			return msg
		}},
	{key: "tax_rate",
		file: func(d *fileData) any { return d.TaxRate },
		set: func(c *Config, v any, _ source) (msg i18n.Message) {
			c.TaxRate, msg = checkTaxRate(v)
			return msg
		}},
	{key: "data_dir", env: "KASSE_DATA_DIR", flag: "data-dir",
		file:      func(d *fileData) any { return d.DataDir },
		flagValue: func(f *Flags) *flagValue { return &f.dataDir },
		set:       setPath(func(c *Config) *string { return &c.DataDir })},
	{key: "receipts_dir",
		file: func(d *fileData) any { return d.ReceiptsDir },
		set:  setPath(func(c *Config) *string { return &c.ReceiptsDir })},
	{key: "log_file", env: "KASSE_LOG_FILE", flag: "log-file",
		file:      func(d *fileData) any { return d.LogFile },
		flagValue: func(f *Flags) *flagValue { return &f.logFile },
		set:       setPath(func(c *Config) *string { return &c.LogFile })},
}

func setString(check func(any) (string, i18n.Message), field func(*Config) *string) func(*Config, any, source) i18n.Message {
	return func(c *Config, v any, _ source) i18n.Message {
		s, msg := check(v)
		if msg.ID == "" {
			*field(c) = s
		}
		return msg
	}
}

func setPath(field func(*Config) *string) func(*Config, any, source) i18n.Message {
	return func(c *Config, v any, src source) i18n.Message {
		s, msg := wantString(v)
		if msg.ID == "" {
			s, msg = resolvePath(s, src)
		}
		if msg.ID == "" {
			*field(c) = s
		}
		return msg
	}
}

// required runs check on v, reporting a missing value as such.
func required(el *errs, src source, key string, v any, check func(any) (string, i18n.Message)) (string, bool) {
	if v == nil {
		el.add(src, key, i18n.M("cli.config.must_be_set"))
		return "", false
	}
	s, msg := check(v)
	if msg.ID != "" {
		el.add(src, key, msg)
		return "", false
	}
	return s, true
}

// applyTables applies the file's tables: quick_keys, sandbox, serve and
// operators.
func (c *Config) applyTables(d *fileData, src source, el *errs) {
	bound := map[string]int{}
	for i, qk := range d.QuickKeys {
		p := fmt.Sprintf("quick_keys[%d].", i)
		k, ok1 := required(el, src, p+"key", qk.Key, checkQuickKeyChar)
		desc, ok2 := required(el, src, p+"description", qk.Description, checkDescription)
		prices, ok3 := quickKeyPrices(el, src, p, qk.Prices, qk.Price, qk.Currency)
		if ok1 {
			if j, dup := bound[k]; dup {
				el.add(src, p+"key", i18n.M("cli.config.quick_key_bound", i18n.Args{"Value": q(k), "Other": fmt.Sprintf("quick_keys[%d]", j)}))
				ok1 = false
			} else {
				bound[k] = i
			}
		}
		if ok1 && ok2 && ok3 {
			c.QuickKeys = append(c.QuickKeys, QuickKey{Key: k, Description: desc, Prices: prices})
		}
	}

	if v := d.Sandbox.AutoPresent; v != nil {
		var msg i18n.Message
		if c.SandboxOptions.AutoPresent, msg = checkDuration(v, true); msg.ID != "" {
			el.add(src, "sandbox.auto_present", msg)
		}
	}
	if v := d.Sandbox.Seed; v != nil {
		if s, msg := oneOf(v, SeedDemo, SeedNone); msg.ID != "" {
			el.add(src, "sandbox.seed", msg)
		} else {
			c.SandboxOptions.Seed = s
		}
	}

	if v := d.Serve.Listen; v != nil {
		if addr, msg := checkListen(v); msg.ID != "" {
			el.add(src, "serve.listen", msg)
		} else {
			c.Serve.Listen = addr
		}
	}
	if v := d.Serve.AuthorizedKeys; v != nil {
		c.setAuthorizedKeys(el, v, src)
	}

	c.applyOperators(d, src, el)
}

// applyOperators applies the file's [[operators]] tables.
func (c *Config) applyOperators(d *fileData, src source, el *errs) {
	seen := map[string]int{}
	for i, o := range d.Operators {
		p := fmt.Sprintf("operators[%d].", i)
		name, ok1 := required(el, src, p+"name", o.Name, checkName)
		role, ok2 := required(el, src, p+"role", o.Role, func(v any) (string, i18n.Message) {
			return oneOf(v, string(RoleCashier), string(RoleSupervisor), string(RoleTech))
		})
		if ok1 {
			if j, dup := seen[name]; dup {
				el.add(src, p+"name", i18n.M("cli.config.operator_defined", i18n.Args{"Value": q(name), "Other": fmt.Sprintf("operators[%d]", j)}))
				ok1 = false
			} else {
				seen[name] = i
			}
		}
		lang, ok3 := "", true
		if o.Language != nil {
			var msg i18n.Message
			if lang, msg = checkLanguage(o.Language); msg.ID != "" {
				el.add(src, p+"language", msg)
				ok3 = false
			}
		}
		if ok1 && ok2 && ok3 {
			c.Operators = append(c.Operators, Operator{Name: name, Role: Role(role), Language: lang})
		}
	}
}

// EnvAuthorizedKeys names the authorized keys file of `kasse serve`
// (config serve.authorized_keys).
const EnvAuthorizedKeys = "KASSE_AUTHORIZED_KEYS"

// setAuthorizedKeys sets serve.authorized_keys from v (a path, resolved
// as every path is) given by src.
func (c *Config) setAuthorizedKeys(el *errs, v any, src source) {
	s, msg := wantString(v)
	if msg.ID == "" {
		s, msg = resolvePath(s, src)
	}
	if msg.ID != "" {
		el.add(src, "serve.authorized_keys", msg)
		return
	}
	c.Serve.AuthorizedKeys = s
	c.origins["serve.authorized_keys"] = src.String()
}

// CheckListen is checkListen for an address given elsewhere (kasse
// serve --listen): what is wrong with addr, or an empty message.
func CheckListen(addr string) i18n.Message {
	_, msg := checkListen(addr)
	return msg
}

// checkListen validates an address to listen on: host:port with a host
// (an empty host would listen on every network; name it, 0.0.0.0, to mean
// it) and a port.
func checkListen(v any) (string, i18n.Message) {
	s, msg := wantString(v)
	if msg.ID != "" {
		return "", msg
	}
	host, port, err := net.SplitHostPort(s)
	a := i18n.Args{"Value": q(s), "Port": port, "Error": err}
	switch {
	case err != nil:
		return "", i18n.M("cli.config.listen_syntax", a)
	case host == "":
		return "", i18n.M("cli.config.listen_no_host", a)
	case port == "":
		return "", i18n.M("cli.config.listen_no_port", a)
	}
	return s, none
}
