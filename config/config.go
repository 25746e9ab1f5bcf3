// Package config loads and validates Kasse's configuration.
//
// Settings come from four sources; a later one overrides an earlier one:
//
//	defaults < config file (TOML) < environment < command-line flags
//
// The file is $XDG_CONFIG_HOME/kasse/config.toml (~/.config/kasse/config.toml
// when XDG_CONFIG_HOME is unset), or the path named by --config or
// KASSE_CONFIG. A missing default file is fine; a missing named file is an
// error. Keys the file does not know are errors, so a typo never falls back
// to a default silently.
//
// The Stripe API key is read from the file's api_key or from STRIPE_API_KEY,
// never from a flag: command lines are visible to every user of the machine
// and end up in shell history. The key is held as a Secret, which prints and
// marshals only in redacted form. With no key at all Kasse runs against its
// embedded sandbox (see Config.Sandbox).
//
// Every validation error names the key and the source it came from, for
// example
//
//	config: /home/x/.config/kasse/config.toml: capture_method: "later" is not one of automatic, manual
//
// and Load reports all problems at once (joined with errors.Join).
package config

import (
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
)

// DefaultAPIBase is Stripe's API.
const DefaultAPIBase = "https://api.stripe.com"

// Capture methods.
const (
	CaptureAutomatic = "automatic"
	CaptureManual    = "manual"
)

// Sandbox seed modes.
const (
	SeedDemo = "demo" // sellers, locations and simulated readers to play with
	SeedNone = "none" // an empty platform
)

// Key modes as returned by Config.KeyMode.
const (
	ModeTest    = "test"
	ModeLive    = "live"
	ModeSandbox = "sandbox"
)

// TaxRateScale is the TaxRate that means 100%: rates are kept in
// thousandths of a percent, so 8.875% is 8875.
const TaxRateScale = 100_000

// Role is what an operator may do. Package supervisor enforces roles (its
// permission table) together with the operator's PIN.
type Role string

// Operator roles.
const (
	RoleCashier    Role = "cashier"
	RoleSupervisor Role = "supervisor"
	RoleTech       Role = "tech"
)

// QuickKey is a preset sale line bound to a single key, with its price in
// each currency it is sold in. A seller whose currency has no price cannot
// use the key: a price is never carried from one currency to another.
type QuickKey struct {
	Key         string // one of 1-9 or a-z
	Description string
	// Prices maps a lower-case ISO currency code ("usd") to the price in
	// that currency's minor units (350 for "3.50" USD, 450 for "450" JPY).
	Prices map[string]int64
}

// Operator is a person who may use the console.
type Operator struct {
	Name string
	Role Role
	// Language is the operator's own language ("de", "en", optionally with
	// a region: "de-AT"), normalised; "" means the console's (Language).
	Language string
}

// ServeOptions configure `kasse serve`, the console over SSH for the
// counters of one host. Its flags (--listen, --authorized-keys) override
// them.
type ServeOptions struct {
	// Listen is the address to listen on, host:port ("": the command's
	// default, loopback only).
	Listen string
	// AuthorizedKeys is the OpenSSH authorized_keys file of the counters'
	// operators (absolute; "": the command's default). Env
	// KASSE_AUTHORIZED_KEYS.
	AuthorizedKeys string
}

// SandboxOptions configure the embedded sandbox (used when no API key is
// configured).
type SandboxOptions struct {
	// AutoPresent is how long a simulated reader waits before presenting a
	// test card by itself; 0 means never (the operator presents one).
	AutoPresent time.Duration
	Seed        string // SeedDemo or SeedNone
}

// Config is the effective configuration. Load returns it fully validated,
// with defaults filled in and paths absolute. Defaults: APIBase
// DefaultAPIBase; ConsoleID from the host name; Operator the login name;
// CaptureMethod automatic; Tipping off; CustomerCancellation on; IdleCancel
// 2m; TaxRate 0; PinLockout 5m; Language "" (the POSIX locale); DataDir DefaultDataDir(); ReceiptsDir DataDir/receipts;
// LogFile DefaultLogFile(); sandbox seed demo, no auto-present.
type Config struct {
	// File is the config file that was consulted; FileLoaded tells whether
	// it existed and was read.
	File       string
	FileLoaded bool
	// Warnings are problems that do not stop Kasse (an API key in a file
	// other users can read), as messages callers show in their reader's
	// language; they never hold a secret.
	Warnings []i18n.Message

	APIKey    Secret // empty: run against the embedded sandbox
	APIBase   string // no trailing slash
	ConsoleID string
	Operator  string // the operator signed in by default
	// Language is the console's language for operators without their own
	// ("de", "en", optionally with a region: "de-AT", "en-GB"), normalised
	// by i18n.ParseLanguage; "" means the POSIX locale (LC_ALL, LC_MESSAGES,
	// LANG) decides. See LanguageFor.
	Language string

	CaptureMethod        string        // CaptureAutomatic or CaptureManual
	Tipping              bool          // ask for a tip on the reader
	CustomerCancellation bool          // let the customer cancel on the reader
	IdleCancel           time.Duration // cancel a sale idle on the reader; 0 = never
	TaxRate              int64         // thousandths of a percent, 0..TaxRateScale
	// PinLockout is how long a supervisor action stays locked after too
	// many wrong PINs (package supervisor keeps the count in the journal).
	PinLockout time.Duration

	DataDir     string
	ReceiptsDir string
	LogFile     string

	QuickKeys      []QuickKey
	SandboxOptions SandboxOptions
	Webhooks       WebhookOptions // [webhooks]: signing secrets, path, tolerance, catch-up
	// Serve configures `kasse serve`.
	Serve ServeOptions
	// Operators are the people who may use the console. Their PIN hashes
	// are not configuration: `kasse pin set` stores them in the journal.
	Operators []Operator
	// Sellers say how the platform charges for each seller it names
	// (charge type, fee rule, refund policy; see ChargeSetup).
	Sellers []SellerCharges

	origins map[string]string
}

// Sandbox reports whether no API key is configured, in which case Kasse
// starts its embedded sandbox instead of talking to Stripe.
func (c *Config) Sandbox() bool { return c.APIKey.IsZero() }

// DemoOperators reports whether Kasse adds the sandbox demo's operators
// (a cashier, a supervisor and a tech with published demo PINs, see
// package supervisor): only in sandbox mode (no API key), only with the
// demo seed, and only when the configuration names no operators of its
// own. With a real key there is never a demo operator.
func (c *Config) DemoOperators() bool {
	return c.Sandbox() && c.SandboxOptions.Seed != SeedNone && len(c.Operators) == 0
}

// KeyMode returns ModeTest or ModeLive from the API key's prefix, or
// ModeSandbox when there is no key.
func (c *Config) KeyMode() string {
	k := c.APIKey.Reveal()
	switch {
	case k == "":
		return ModeSandbox
	case strings.HasPrefix(k, "sk_live_"), strings.HasPrefix(k, "rk_live_"):
		return ModeLive
	default:
		return ModeTest
	}
}

// Origin tells where the effective value of key (a config file key such as
// "api_base") came from: "default", the config file's path, "env NAME" or
// "flag --name".
func (c *Config) Origin(key string) string {
	if o, ok := c.origins[key]; ok {
		return o
	}
	return srcDefault.String()
}

// TaxRatePercent renders TaxRate as a percentage without trailing zeros,
// e.g. "8.875" or "0".
func (c *Config) TaxRatePercent() string {
	s := strconv.FormatInt(c.TaxRate/1000, 10)
	if frac := c.TaxRate % 1000; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1000+frac, 10)[1:], "0")
	}
	return s
}

// LanguageFor is the configured language of the named operator: the
// operator's own, else the console's, else "" (then i18n.Resolve reads the
// POSIX locale). An operator the configuration does not list gets the
// console's.
func (c *Config) LanguageFor(operator string) string {
	if o, ok := c.OperatorByName(operator); ok && o.Language != "" {
		return o.Language
	}
	return c.Language
}

// OperatorByName returns the configured operator with the given name.
func (c *Config) OperatorByName(name string) (Operator, bool) {
	for _, o := range c.Operators {
		if o.Name == name {
			return o, true
		}
	}
	return Operator{}, false
}

// OperatorRole is the role of the operator called name: the configured
// operator's, else RoleCashier. An operator the configuration does not name
// (or names without a role) may ring up sales and nothing more.
func (c *Config) OperatorRole(name string) Role {
	if o, ok := c.OperatorByName(name); ok && o.Role != "" {
		return o.Role
	}
	return RoleCashier
}
