package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"path/filepath"

	"kasse/config"
	"kasse/internal/app"
	"kasse/internal/cli"
	"kasse/internal/console"
)

// DefaultListen is where `kasse serve` listens unless told otherwise: this
// machine only.
const DefaultListen = "127.0.0.1:2222"

// Usage is the command's usage line.
const Usage = "serve [shared flags] [--listen HOST:PORT] [--authorized-keys FILE]"

// RunServe is `kasse serve`: the console over SSH for the counters of this
// host, until ctx ends (SIGTERM, SIGINT), then a graceful shutdown.
func RunServe(ctx context.Context, a *app.App, args []string, std cli.IO) int {
	fs := flag.NewFlagSet("kasse serve", flag.ContinueOnError)
	fs.SetOutput(std.Err)
	listen := fs.String("listen", "", "`address` to listen on, host:port (config serve.listen; default "+DefaultListen+", this machine only)")
	keys := fs.String("authorized-keys", "", "the operators' public keys, OpenSSH authorized_keys `file`, each key's comment naming its operator "+
		"(env "+config.EnvAuthorizedKeys+", config serve.authorized_keys; default authorized_keys beside the config file)")
	fs.Usage = func() {
		fmt.Fprintf(std.Err, "Usage: kasse %s\n\nServe the console over SSH to the counters of this host: ssh -p PORT COUNTER@HOST.\n\nFlags:\n", Usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return cli.ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(std.Err, "kasse serve: unexpected argument %q\n", fs.Arg(0))
		return cli.ExitUsage
	}
	cfg := a.Config
	addr, err := ListenAddr(*listen, cfg.Serve.Listen)
	if err != nil {
		fmt.Fprintln(std.Err, "kasse serve:", err)
		return cli.ExitUsage
	}
	path := AuthorizedKeysPath(*keys, cfg)
	s, err := New(ctx, a, Options{Listen: addr, AuthorizedKeys: path})
	if errors.Is(err, ErrNoKeysFile) {
		fmt.Fprintf(std.Err, "kasse serve: %v\n  Create it with one line per operator's public key, its comment naming the operator:\n"+
			"    echo \"$(cat alex.pub | cut -d' ' -f1,2) alex\" >> %s\n  (README: Run Kasse for several counters)\n", err, path)
		return app.ExitConfig
	}
	if err != nil {
		fmt.Fprintln(std.Err, "kasse serve:", err)
		return app.ExitSetup
	}
	for _, p := range s.Problems() {
		fmt.Fprintf(std.Err, "kasse serve: warning: %s: %s\n", path, p)
	}
	if !loopback(addr) {
		fmt.Fprintf(std.Err, "kasse serve: serving counters on the network at %s: anyone who reaches it with a key of %s signs in\n", addr, path)
	}
	stop := console.Listen(ctx, a) // Stripe's events for every counter: the catch-up, as the local console has
	defer stop()
	err = s.Serve(ctx, func(addr, hostKey string) {
		fmt.Fprintf(std.Out, "kasse serve: listening on %s (host key %s)\n", addr, hostKey)
	})
	if err != nil {
		fmt.Fprintln(std.Err, "kasse serve:", err)
		return app.ExitSetup
	}
	fmt.Fprintln(std.Out, "kasse serve: stopped")
	return 0
}

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
	host, port, err := net.SplitHostPort(addr)
	switch {
	case err != nil:
		return "", fmt.Errorf("--listen %q is not host:port (%v)", addr, err)
	case host == "":
		return "", fmt.Errorf("--listen %q names no host: give 127.0.0.1:%s to serve this machine only, or 0.0.0.0:%s (or the host's address) to serve counters on the network", addr, port, port)
	case port == "":
		return "", fmt.Errorf("--listen %q names no port", addr)
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
