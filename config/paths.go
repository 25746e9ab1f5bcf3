package config

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"kasse/i18n"
)

// errNoHome: the home directory is unknown, and so is a default path.
var errNoHome = errors.New("no home directory")

// xdgDir returns $env when it is set to an absolute path (the XDG spec says
// relative values are to be ignored), else $HOME/fallback.
func xdgDir(env, fallback string) (string, error) {
	if d := os.Getenv(env); d != "" && filepath.IsAbs(d) {
		return filepath.Clean(d), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", &i18n.Error{Kind: errNoHome, Msg: i18n.M("cli.config.no_home", i18n.Args{"Env": env})}
	}
	return filepath.Join(home, fallback), nil
}

// DefaultConfigPath is $XDG_CONFIG_HOME/kasse/config.toml, or
// ~/.config/kasse/config.toml.
func DefaultConfigPath() (string, error) {
	d, err := xdgDir("XDG_CONFIG_HOME", ".config")
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kasse", "config.toml"), nil
}

// DefaultDataDir is $XDG_DATA_HOME/kasse, or ~/.local/share/kasse.
func DefaultDataDir() (string, error) {
	d, err := xdgDir("XDG_DATA_HOME", filepath.Join(".local", "share"))
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kasse"), nil
}

// DefaultLogFile is $XDG_STATE_HOME/kasse/kasse.log, or
// ~/.local/state/kasse/kasse.log.
func DefaultLogFile() (string, error) {
	d, err := xdgDir("XDG_STATE_HOME", filepath.Join(".local", "state"))
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kasse", "kasse.log"), nil
}

// resolvePath expands a leading "~" and makes p absolute: relative to the
// config file's directory for file values, to the working directory for
// environment and flag values.
func resolvePath(p string, src source) (string, i18n.Message) {
	if p == "" {
		return "", i18n.M("cli.config.empty")
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return "", i18n.M("cli.config.no_home_tilde")
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) && src.dir != "" {
		p = filepath.Join(src.dir, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", i18n.M("cli.config.path_error", i18n.Args{"Error": err})
	}
	return abs, none
}

// sanitizeConsoleID turns a host name into a console id: lower case,
// letters, digits and '-', at most 64 characters; "kasse" if nothing is
// left.
func sanitizeConsoleID(host string) string {
	host, _, _ = strings.Cut(host, ".") // the short name is enough
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(host) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	id := b.String()
	if len(id) > 64 {
		id = id[:64]
	}
	id = strings.TrimRight(id, "-")
	if id == "" {
		return "kasse"
	}
	return id
}

// defaultConsoleID derives the console id from the host name.
func defaultConsoleID() string {
	h, _ := os.Hostname()
	return sanitizeConsoleID(h)
}

// defaultOperator is the current user's login name, or "operator".
func defaultOperator() string {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = os.Getenv("USER")
	}
	if i := strings.LastIndexAny(name, `\`); i >= 0 { // DOMAIN\user
		name = name[i+1:]
	}
	if _, msg := checkName(name); msg.ID != "" {
		return "operator"
	}
	return name
}
