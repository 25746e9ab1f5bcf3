package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of the commands.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = cli.ExitUsage
)

const serveHelp = `Usage: kasse webhooks serve [shared flags] --addr HOST:PORT [--path /PATH] [--catch-up DURATION]

Serves Stripe's signed webhook deliveries: every event is verified (its
Stripe-Signature, within 5 minutes, against each configured signing secret),
recorded once in the journal (by event id) and then applied: a refund made
in the Dashboard, a capture or cancel by another system and disputes update
the journal, and every console on it shows a notice. Put it behind your own
TLS proxy and create a webhook endpoint for its public URL (connect=true for
your sellers' events) with the events listed in the README.

A delivery that is unsigned, too old (a replay), signed with another secret or
changed on the way is refused with 400 and a log line that says why.

The signing secrets (whsec_…) come from the config file (webhooks.secrets) or
the environment (KASSE_WEBHOOK_SECRET, several comma-separated during a
rotation), never from a flag, and are never printed.

Flags:
  --addr HOST:PORT      where to listen (required), e.g. 127.0.0.1:8787
  --path /PATH          the path deliveries come to (default: config
                        webhooks.path, else /)
  --catch-up DURATION   also read the Events API every DURATION for what the
                        webhooks missed (default: config
                        events.catch_up_interval; 0 = off)

Exit codes: 0 stopped (Ctrl-C), 1 error, 64 usage.
`

// ServeDeps is what `kasse webhooks serve` needs.
type ServeDeps struct {
	// Verify checks deliveries (nil: no secret configured; Missing says
	// why, and the command refuses to start).
	Verify  func(payload []byte, header string) (pos.Event, error)
	Missing string
	Secrets int // how many secrets Verify holds (printed; never the secrets)
	Handler *Handler
	// CatchUp reads the Events API (nil: none); CatchUpEvery its default
	// interval.
	CatchUp      *CatchUp
	CatchUpEvery time.Duration
	Path         string // config webhooks.path ("" = /)
	Log          *slog.Logger
	// Ready is told the URL once the socket listens (tests).
	Ready func(url string)
}

// RunServe runs `kasse webhooks serve` until ctx ends.
func RunServe(ctx context.Context, d ServeDeps, args []string, std cli.IO) int {
	if secretFlag(args) {
		fmt.Fprintln(std.Err, "kasse webhooks serve: there is no secret flag: set webhooks.secrets in the config file or KASSE_WEBHOOK_SECRET, so the secret never shows in the process list or shell history")
		return ExitUsage
	}
	fs := flag.NewFlagSet("kasse webhooks serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "", "")
	defPath := d.Path
	if defPath == "" {
		defPath = "/"
	}
	path := fs.String("path", defPath, "")
	every := fs.Duration("catch-up", d.CatchUpEvery, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(std.Out, serveHelp)
			return ExitOK
		}
		fmt.Fprintf(std.Err, "kasse webhooks serve: %v (see kasse webhooks serve --help)\n", err)
		return ExitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(std.Err, "kasse webhooks serve: unexpected argument %q (see --help)\n", fs.Arg(0))
		return ExitUsage
	case *addr == "":
		fmt.Fprintln(std.Err, "kasse webhooks serve: --addr HOST:PORT is required, e.g. --addr 127.0.0.1:8787")
		return ExitUsage
	case !strings.HasPrefix(*path, "/"):
		fmt.Fprintf(std.Err, "kasse webhooks serve: --path %q must start with /\n", *path)
		return ExitUsage
	case *every < 0:
		fmt.Fprintln(std.Err, "kasse webhooks serve: --catch-up must not be negative")
		return ExitUsage
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		fmt.Fprintf(std.Err, "kasse webhooks serve: --addr %q: %v (want HOST:PORT)\n", *addr, err)
		return ExitUsage
	}
	if d.Verify == nil {
		fmt.Fprintln(std.Err, "kasse webhooks serve: "+d.Missing)
		return ExitError
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(std.Err, "kasse webhooks serve: %v\n", err)
		return ExitError
	}
	srv := &Server{Verify: d.Verify, Handler: d.Handler, Path: *path, Log: d.Log}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go srv.Run(ctx, 30*time.Second)
	if d.CatchUp != nil && *every > 0 {
		go d.CatchUp.Every(ctx, *every, nil)
	}
	url := "http://" + ln.Addr().String() + *path
	fmt.Fprintf(std.Out, "kasse webhooks: listening on %s (%d signing secret(s); catch-up %s)\n", url, d.Secrets, onOff(*every))
	if d.Ready != nil {
		d.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(std.Err, "kasse webhooks serve: %v\n", err)
		return ExitError
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	fmt.Fprintln(std.Out, "kasse webhooks: stopped")
	return ExitOK
}

// secretFlag reports whether args try to give a signing secret as a flag
// (--secret, -webhook-secret=…): refused before parsing, with a message
// that names where secrets go and never echoes the value.
func secretFlag(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.Contains(strings.ToLower(name), "secret") {
			return true
		}
	}
	return false
}

func onOff(d time.Duration) string {
	if d <= 0 {
		return "off"
	}
	return "every " + d.String()
}

const tailHelp = `Usage: kasse events tail [shared flags] [--seller ACCT] [--since DURATION] [--json]

Prints Stripe's events as they happen, one line each, like stripe listen:

  2026-03-14 09:30:02   --> charge.refunded [evt_…] acct_… ch_…

It reads the Events API (every second) of one seller, or of every seller and
the platform, starting now (or DURATION ago with --since). It only reads:
nothing is written to the journal (the console and kasse webhooks serve
apply events).

Flags:
  --seller ACCT       one seller only
  --since DURATION    start DURATION ago, e.g. 10m (Stripe keeps 30 days)
  --json              print each event's JSON on one line
  --interval DURATION how often to read (default 1s)
  --max N             stop after N events (0 = run until Ctrl-C)

Exit codes: 0 stopped, 1 error, 64 usage.
`

// TailDeps is what `kasse events tail` needs.
type TailDeps struct {
	Feed    pos.EventFeed
	Sellers pos.Sellers
	Now     func() time.Time
	// Ready is called once the feed starts (what follows is printed).
	Ready func()
}

// RunTail runs `kasse events tail` until ctx ends (or --max).
func RunTail(ctx context.Context, d TailDeps, args []string, std cli.IO) int {
	fs := flag.NewFlagSet("kasse events tail", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seller := fs.String("seller", "", "")
	since := fs.Duration("since", 0, "")
	asJSON := fs.Bool("json", false, "")
	interval := fs.Duration("interval", time.Second, "")
	maxN := fs.Int("max", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(std.Out, tailHelp)
			return ExitOK
		}
		fmt.Fprintf(std.Err, "kasse events tail: %v (see kasse events tail --help)\n", err)
		return ExitUsage
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(std.Err, "kasse events tail: unexpected argument %q (see --help)\n", fs.Arg(0))
		return ExitUsage
	case *seller != "" && !strings.HasPrefix(*seller, "acct_"):
		fmt.Fprintf(std.Err, "kasse events tail: --seller %q is not an account id (acct_…; see kasse sellers)\n", *seller)
		return ExitUsage
	case *since < 0 || *since > maxLookback || *interval <= 0 || *maxN < 0:
		fmt.Fprintln(std.Err, "kasse events tail: --since must be 0..720h, --interval positive and --max ≥ 0")
		return ExitUsage
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	accounts := []pos.Account{pos.Account(*seller)}
	if *seller == "" {
		sellers, err := d.Sellers.ListSellers(ctx)
		if err != nil {
			fmt.Fprintln(std.Err, "kasse events tail: listing the sellers: "+err.Error())
			return ExitError
		}
		accounts = []pos.Account{pos.Platform}
		for _, s := range sellers {
			accounts = append(accounts, s.ID)
		}
	} else if _, err := d.Sellers.GetSeller(ctx, pos.Account(*seller)); err != nil {
		fmt.Fprintf(std.Err, "kasse events tail: seller %s: %v\n", *seller, err)
		return ExitError
	}
	type cursor struct {
		created int64
		last    string
	}
	start := now().Add(-*since).Unix()
	curs := map[pos.Account]*cursor{}
	for _, a := range accounts {
		c := &cursor{created: start}
		if *since == 0 { // from now: skip what is there already
			evs, _, err := d.Feed.EventsSince(ctx, a, start, "", 1000)
			if err != nil {
				fmt.Fprintf(std.Err, "kasse events tail: %s: %v\n", a, err)
				return ExitError
			}
			if n := len(evs); n > 0 {
				c.created, c.last = evs[n-1].Created.Unix(), evs[n-1].ID
			}
		}
		curs[a] = c
	}
	if d.Ready != nil {
		d.Ready()
	}
	printed := 0
	for {
		for _, a := range accounts {
			c := curs[a]
			evs, _, err := d.Feed.EventsSince(ctx, a, c.created, c.last, 100)
			if err != nil {
				if ctx.Err() != nil {
					return ExitOK
				}
				fmt.Fprintf(std.Err, "kasse events tail: %s: %v (trying again)\n", a, err)
				continue
			}
			for _, ev := range evs {
				if ev.Account == "" {
					ev.Account = a
				}
				printEvent(std.Out, ev, *asJSON)
				c.created, c.last = ev.Created.Unix(), ev.ID
				if printed++; *maxN > 0 && printed >= *maxN {
					return ExitOK
				}
			}
		}
		select {
		case <-ctx.Done():
			return ExitOK
		case <-time.After(*interval):
		}
	}
}

// printEvent writes one event: stripe listen's line, or its JSON.
func printEvent(w io.Writer, ev pos.Event, asJSON bool) {
	if asJSON {
		b := ev.Payload
		if !json.Valid(b) {
			b, _ = json.Marshal(map[string]any{"id": ev.ID, "type": ev.Type, "account": ev.Account, "created": ev.Created.Unix()})
		}
		var out bytes.Buffer
		if err := json.Compact(&out, b); err == nil {
			fmt.Fprintln(w, out.String())
			return
		}
		fmt.Fprintln(w, string(b))
		return
	}
	acct := "platform"
	if !ev.Account.IsPlatform() {
		acct = string(ev.Account)
	}
	fmt.Fprintf(w, "%s   --> %s [%s] %s %s\n", ev.Created.Local().Format(time.DateTime), ev.Type, ev.ID, acct, ev.ObjectID)
}
