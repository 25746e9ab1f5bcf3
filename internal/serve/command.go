package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"path/filepath"

	"kasse/config"
	"kasse/i18n"
	"kasse/internal/app"
	"kasse/internal/cli"
	"kasse/internal/console"
)

// DefaultListen is where `kasse serve` listens unless told otherwise: this
// machine only.
const DefaultListen = "127.0.0.1:2222"

// RunServe is `kasse serve`: the console over SSH for the counters of this
// host, until ctx ends (SIGTERM, SIGINT), then a graceful shutdown. What it
// prints is in the command's language (std.Locale); each counter's session
// speaks its operator's.
func RunServe(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	loc := std.Locale()
	say := func(w io.Writer, m i18n.Message) { fmt.Fprintln(w, progServe+": "+loc.Render(m)) }
	fs := flag.NewFlagSet(progServe, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	listen := fs.String("listen", "", loc.T("cli.serve.flag.listen", i18n.Args{"Default": DefaultListen}))
	keys := fs.String("authorized-keys", "", loc.T("cli.serve.flag.authorized_keys", i18n.Args{"Env": config.EnvAuthorizedKeys}))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(std.Out, loc.T("cli.serve.help"))
			cli.PrintFlags(std.Out, fs, loc)
			return 0
		}
		say(std.Err, i18n.M("cli.serve.see_help", i18n.Args{"Error": cli.FlagError(loc, err)}))
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		say(std.Err, i18n.M("cli.serve.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0))}))
		return cli.ExitUsage
	}
	cfg := a.Config
	addr, err := ListenAddr(*listen, cfg.Serve.Listen)
	if err != nil {
		say(std.Err, i18n.M("cli.serve.error", i18n.Args{"Error": err}))
		return cli.ExitUsage
	}
	path := AuthorizedKeysPath(*keys, cfg)
	s, err := New(ctx, a, Options{Listen: addr, AuthorizedKeys: path})
	if errors.Is(err, ErrNoKeysFile) {
		say(std.Err, i18n.M("cli.serve.no_keys_file_hint", i18n.Args{"Error": err, "Path": path}))
		return app.ExitConfig
	}
	if err != nil {
		say(std.Err, i18n.M("cli.serve.error", i18n.Args{"Error": err}))
		return app.ExitSetup
	}
	for _, p := range s.Problems() {
		say(std.Err, i18n.M("cli.serve.keys_warning", i18n.Args{"Path": path, "Problem": p}))
	}
	if !loopback(addr) {
		say(std.Err, i18n.M("cli.serve.on_the_network", i18n.Args{"Addr": addr, "Path": path}))
	}
	stop := console.Listen(ctx, a) // Stripe's events for every counter: the catch-up, as the local console has
	defer stop()
	err = s.Serve(ctx, func(addr, hostKey string) {
		say(std.Out, i18n.M("cli.serve.listening", i18n.Args{"Addr": addr, "HostKey": hostKey}))
	})
	if err != nil {
		say(std.Err, i18n.M("cli.serve.error", i18n.Args{"Error": err}))
		return app.ExitSetup
	}
	say(std.Out, i18n.M("cli.serve.stopped"))
	return 0
}

// progServe is the command's name, as its messages start.
const progServe = "kasse serve" // i18n:ok the command's name

// ErrListen: an address to listen on that is not host:port, names no host
// or no port.
var ErrListen = errors.New("bad listen address")

// ListenAddr picks the address to listen on: the flag, else config, else
// DefaultListen (loopback). A network address is served only when given
// explicitly; an address without a host (":2222", which would listen on
// every network) is refused either way.
func ListenAddr(flagValue, configured string) (string, error) {
	addr := DefaultListen
	switch {
	case flagValue != "":
		addr = flagValue
	case configured != "":
		addr = configured
	}
	if msg := config.CheckListen(addr); msg.ID != "" {
		return "", &i18n.Error{Kind: ErrListen, Msg: i18n.M("cli.serve.listen_bad", i18n.Args{"Problem": msg})}
	}
	return addr, nil
}

// loopback reports whether addr's host is this machine only.
func loopback(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AuthorizedKeysPath picks the authorized keys file: the flag, else
// config's (env KASSE_AUTHORIZED_KEYS or serve.authorized_keys), else
// authorized_keys beside the config file.
func AuthorizedKeysPath(flagValue string, cfg *config.Config) string {
	switch {
	case flagValue != "":
		if p, err := filepath.Abs(flagValue); err == nil {
			return p
		}
		return flagValue
	case cfg.Serve.AuthorizedKeys != "":
		return cfg.Serve.AuthorizedKeys
	}
	dir := filepath.Dir(cfg.File)
	if cfg.File == "" {
		if p, err := config.DefaultConfigPath(); err == nil {
			dir = filepath.Dir(p)
		}
	}
	return filepath.Join(dir, "authorized_keys")
}
