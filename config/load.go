package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"kasse/i18n"
)

// fileData is the config file as decoded. Leaves are `any` so that a wrong
// type becomes one of our errors (naming key and file) rather than ending
// the decode at the first mismatch.
type fileData struct {
	APIKey               any `toml:"api_key"`
	APIBase              any `toml:"api_base"`
	ConsoleID            any `toml:"console_id"`
	Operator             any `toml:"operator"`
	Language             any `toml:"language"`
	CaptureMethod        any `toml:"capture_method"`
	Tipping              any `toml:"tipping"`
	CustomerCancellation any `toml:"customer_cancellation"`
	IdleCancel           any `toml:"idle_cancel"`
	PinLockout           any `toml:"pin_lockout"`
	TaxRate              any `toml:"tax_rate"`
	DataDir              any `toml:"data_dir"`
	ReceiptsDir          any `toml:"receipts_dir"`
	LogFile              any `toml:"log_file"`

	// Tables are decoded in a second step (see decodeTables), so that a
	// table given as the wrong type is reported rather than ignored.
	QuickKeysRaw toml.Primitive `toml:"quick_keys"`
	SandboxRaw   toml.Primitive `toml:"sandbox"`
	ServeRaw     toml.Primitive `toml:"serve"`
	OperatorsRaw toml.Primitive `toml:"operators"`
	SellersRaw   toml.Primitive `toml:"sellers"`
	WebhooksRaw  toml.Primitive `toml:"webhooks"`

	QuickKeys []struct {
		Key         any `toml:"key"`
		Description any `toml:"description"`
		Prices      any `toml:"prices"`
		Price       any `toml:"price"`    // with currency: one price (older files)
		Currency    any `toml:"currency"` // only with price
	} `toml:"-"`
	Sandbox struct {
		AutoPresent any `toml:"auto_present"`
		Seed        any `toml:"seed"`
	} `toml:"-"`
	Serve struct {
		Listen         any `toml:"listen"`
		AuthorizedKeys any `toml:"authorized_keys"`
	} `toml:"-"`
	Operators []struct {
		Name     any `toml:"name"`
		Role     any `toml:"role"`
		Language any `toml:"language"`
	} `toml:"-"`
	Sellers  []sellerTable `toml:"-"`
	Webhooks struct {
		Secrets   any `toml:"secrets"`
		Path      any `toml:"path"`
		Tolerance any `toml:"tolerance"`
		CatchUp   any `toml:"catch_up"`
	} `toml:"-"`
}

// Load builds the configuration from defaults, the config file, the
// environment and the flags (nil: none), in that order of precedence, and
// validates it. All problems are reported together; on error the Config is
// nil.
func Load(f *Flags) (*Config, error) {
	if f == nil {
		f = &Flags{}
	}
	c := &Config{
		APIBase:              DefaultAPIBase,
		CaptureMethod:        CaptureAutomatic,
		CustomerCancellation: true,
		IdleCancel:           2 * time.Minute,
		PinLockout:           DefaultPinLockout,
		SandboxOptions:       SandboxOptions{Seed: SeedDemo},
		Webhooks:             defaultWebhooks(),
		origins:              map[string]string{},
	}
	var el errs

	path, namedBy, explicit := configFile(f)
	c.File = path
	switch {
	case path != "":
		c.readFile(path, namedBy, explicit, &el)
	case explicit:
		el.add(namedBy, "", i18n.M("cli.config.path_empty"))
	}
	for _, s := range scalars {
		if s.env == "" {
			continue
		}
		if v := os.Getenv(s.env); v != "" {
			c.apply(&el, s, v, source{kind: kindEnv, name: s.env})
		}
	}
	c.applyWebhookEnv(&el)
	if v := os.Getenv(EnvAuthorizedKeys); v != "" {
		c.setAuthorizedKeys(&el, v, source{kind: kindEnv, name: EnvAuthorizedKeys})
	}
	for _, s := range scalars {
		if s.flag == "" {
			continue
		}
		if fv := s.flagValue(f); fv.set {
			c.apply(&el, s, fv.value, source{kind: kindFlag, name: s.flag})
		}
	}
	c.fillDefaults(&el)
	if len(el) > 0 {
		return nil, &LoadError{Problems: el, Language: c.LanguageFor(c.Operator)}
	}
	return c, nil
}

// configFile picks the config file: --config, then KASSE_CONFIG, then the
// default path. explicit is false only for the default.
func configFile(f *Flags) (path string, namedBy source, explicit bool) {
	if f.config.set {
		return f.config.value, source{kind: kindFlag, name: "config"}, true
	}
	if p := os.Getenv("KASSE_CONFIG"); p != "" {
		return p, source{kind: kindEnv, name: "KASSE_CONFIG"}, true
	}
	path, _ = DefaultConfigPath() // no home directory: no default file
	return path, srcDefault, false
}

// readFile reads and applies the config file; problems are added to el.
func (c *Config) readFile(path string, namedBy source, explicit bool, el *errs) {
	src := fileSource(path)
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		switch {
		case errors.Is(err, fs.ErrNotExist) && !explicit:
		case errors.Is(err, fs.ErrNotExist):
			el.add(src, "", i18n.M("cli.config.no_file", i18n.Args{"Source": sourceMessage(namedBy)}))
		case errors.As(err, &pe):
			el.addErr(src, "", pe.Err)
		default:
			el.addErr(src, "", err)
		}
		return
	}
	c.FileLoaded = true
	var fd fileData
	md, ok := decodeFile(data, &fd, src, el)
	if !ok {
		return
	}
	badTables := decodeTables(&md, &fd, src, el)
	unknownKeys(md, badTables, src, el)
	for _, s := range scalars {
		if v := s.file(&fd); v != nil {
			c.apply(el, s, v, src)
		}
	}
	c.applyTables(&fd, src, el)
	c.applySellers(fd.Sellers, src, el)
	c.applyWebhooks(&fd, src, el)
	switch {
	case fd.APIKey != nil:
		c.checkKeyFileMode(path, "api_key")
	case fd.Webhooks.Secrets != nil:
		c.checkKeyFileMode(path, "webhooks.secrets")
	}
}

// ReadOperators reads the [[operators]] tables of the config file at path
// again, validated as Load validates them and reported in the same words,
// for a command that runs long and takes changes to its operators
// without a restart (kasse serve). The rest of the file is neither
// applied nor checked, except that it must still be TOML. A file that
// cannot be read, is not TOML or has a bad [[operators]] table is an
// error (a *LoadError, every problem a line); the list is then nil. A
// file without [[operators]] gives none, and no error.
func ReadOperators(path string) ([]Operator, error) {
	src := fileSource(path)
	var el errs
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		el.addErr(src, "", err)
		return nil, &LoadError{Problems: el}
	}
	var fd fileData
	md, ok := decodeFile(data, &fd, src, &el)
	if ok && decodeTable(&md, "operators", "[[operators]]", fd.OperatorsRaw, &fd.Operators, src, &el) {
		var unknown errs
		unknownKeys(md, nil, src, &unknown)
		for _, e := range unknown {
			if k := e.(*Error).Key; strings.HasPrefix(k, "operators.") {
				el = append(el, e)
			}
		}
	}
	c := &Config{}
	c.applyOperators(&fd, src, &el)
	if len(el) > 0 {
		return nil, &LoadError{Problems: el}
	}
	return c.Operators, nil
}

// fileSource is the source of the config file at path, its directory the
// base for relative paths.
func fileSource(path string) source {
	src := source{kind: kindFile, name: path}
	if abs, err := filepath.Abs(path); err == nil {
		src.dir = filepath.Dir(abs)
	}
	return src
}

// decodeFile decodes data, the file src, into fd; a file that is not TOML
// is reported in el (with its line where the decoder tells it) and ok is
// false.
func decodeFile(data []byte, fd *fileData, src source, el *errs) (md toml.MetaData, ok bool) {
	md, err := toml.Decode(string(data), fd)
	if err == nil {
		return md, true
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		*el = append(*el, &Error{Source: src.String(), Line: pe.Position.Line, Cause: errors.New(pe.Message), src: src})
	} else {
		el.addErr(src, "", errors.New(strings.TrimPrefix(err.Error(), "toml: ")))
	}
	return md, false
}

// checkKeyFileMode warns when the file holding api_key can be read by other
// users: a key there charges cards. (The Stripe CLI keeps its config 0600.)
func (c *Config) checkKeyFileMode(path, key string) {
	fi, err := os.Stat(path)
	if err != nil || runtime.GOOS == "windows" {
		return
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		c.Warnings = append(c.Warnings, i18n.M("cli.config.key_file_readable",
			i18n.Args{"Path": path, "Key": key, "Mode": fmt.Sprintf("%04o", perm)}))
	}
}

// decodeTables decodes the file's tables, each only if it has the right
// TOML type, and returns the keys of those it rejected.
func decodeTables(md *toml.MetaData, fd *fileData, src source, el *errs) (bad []string) {
	tables := []struct {
		key, want string
		raw       toml.Primitive
		dst       any
	}{
		{"quick_keys", "[[quick_keys]]", fd.QuickKeysRaw, &fd.QuickKeys},
		{"sandbox", "[sandbox]", fd.SandboxRaw, &fd.Sandbox},
		{"serve", "[serve]", fd.ServeRaw, &fd.Serve},
		{"operators", "[[operators]]", fd.OperatorsRaw, &fd.Operators},
		{"sellers", "[[sellers]]", fd.SellersRaw, &fd.Sellers},
		{"webhooks", "[webhooks]", fd.WebhooksRaw, &fd.Webhooks},
	}
	for _, t := range tables {
		if !decodeTable(md, t.key, t.want, t.raw, t.dst, src, el) {
			bad = append(bad, t.key)
		}
	}
	return bad
}

// decodeTable decodes the file's table key (written as want: "[serve]",
// "[[operators]]") into dst if it has the right TOML type; else it
// reports the table and returns false. An absent table is fine.
func decodeTable(md *toml.MetaData, key, want string, raw toml.Primitive, dst any, src source, el *errs) bool {
	if !md.IsDefined(key) {
		return true
	}
	typ, isArray := md.Type(key), strings.HasPrefix(want, "[[")
	ok := isArray && (typ == "ArrayHash" || typ == "Array") || !isArray && typ == "Hash"
	if ok && md.PrimitiveDecode(raw, dst) == nil {
		return true
	}
	reflect.ValueOf(dst).Elem().SetZero() // drop a partial decode
	if isArray {
		el.add(src, key, i18n.M("cli.config.want_tables", i18n.Args{"Tables": want}))
	} else {
		el.add(src, key, i18n.M("cli.config.want_table", i18n.Args{"Table": want}))
	}
	return false
}

// apply sets one scalar from src, recording its origin, or records why not.
func (c *Config) apply(el *errs, s scalar, v any, src source) {
	if msg := s.set(c, v, src); msg.ID != "" {
		el.add(src, s.key, msg)
		return
	}
	c.origins[s.key] = src.String()
}

// fillDefaults fills the settings no source gave a value.
func (c *Config) fillDefaults(el *errs) {
	if c.ConsoleID == "" {
		c.ConsoleID = defaultConsoleID()
	}
	if c.Operator == "" {
		c.Operator = defaultOperator()
	}
	var err error
	if _, ok := c.origins["data_dir"]; !ok {
		if c.DataDir, err = DefaultDataDir(); err != nil {
			el.addErr(srcDefault, "data_dir", err)
		}
	}
	if _, ok := c.origins["receipts_dir"]; !ok && c.DataDir != "" {
		c.ReceiptsDir = filepath.Join(c.DataDir, "receipts")
	}
	if _, ok := c.origins["log_file"]; !ok {
		if c.LogFile, err = DefaultLogFile(); err != nil {
			el.addErr(srcDefault, "log_file", err)
		}
	}
}
