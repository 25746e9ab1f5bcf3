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
	"strconv"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/pos"
)

// Exit codes of the commands.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = cli.ExitUsage
)

// ServeDeps is what `kasse webhooks serve` needs.
type ServeDeps struct {
	// Verify checks deliveries (nil: no secret configured; Missing says
	// why, and the command refuses to start).
	Verify  func(payload []byte, header string) (pos.Event, error)
	Missing i18n.Message
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

// RunServe runs `kasse webhooks serve` until ctx ends, in the command's
// language (std.Locale); its log lines stay English.
func RunServe(ctx context.Context, d ServeDeps, args []string, std cli.IO) int {
	loc := std.Locale()
	say := func(w io.Writer, m i18n.Message) { fmt.Fprintln(w, progServe+": "+loc.Render(m)) }
	usage := func(m i18n.Message) int { say(std.Err, m); return ExitUsage }
	if secretFlag(args) {
		return usage(i18n.M("cli.events.secret_flag"))
	}
	fs := flag.NewFlagSet(progServe, flag.ContinueOnError)
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
			io.WriteString(std.Out, loc.T("cli.events.help.serve"))
			return ExitOK
		}
		return usage(i18n.M("cli.events.see_help", i18n.Args{"Error": cli.FlagError(loc, err), "Command": progServe}))
	}
	switch {
	case fs.NArg() > 0:
		return usage(i18n.M("cli.events.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0)), "Command": progServe}))
	case *addr == "":
		return usage(i18n.M("cli.events.addr_required"))
	case !strings.HasPrefix(*path, "/"):
		return usage(i18n.M("cli.events.path_slash", i18n.Args{"Path": strconv.Quote(*path)}))
	case *every < 0:
		return usage(i18n.M("cli.events.catch_up_negative"))
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usage(i18n.M("cli.events.addr_bad", i18n.Args{"Addr": strconv.Quote(*addr), "Error": err}))
	}
	if d.Verify == nil {
		say(std.Err, d.Missing)
		return ExitError
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		say(std.Err, i18n.M("cli.events.error", i18n.Args{"Error": err}))
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
	catchUp := i18n.M("cli.events.catch_up_off")
	if *every > 0 {
		catchUp = i18n.M("cli.events.catch_up_every", i18n.Args{"Every": *every})
	}
	fmt.Fprintln(std.Out, progWebhooks+": "+loc.N("cli.events.listening", d.Secrets, i18n.Args{"URL": url, "CatchUp": catchUp}))
	if d.Ready != nil {
		d.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		say(std.Err, i18n.M("cli.events.error", i18n.Args{"Error": err}))
		return ExitError
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	fmt.Fprintln(std.Out, progWebhooks+": "+loc.T("cli.events.stopped"))
	return ExitOK
}

// The commands' names, as their messages start.
const (
	progWebhooks = "kasse webhooks"       // i18n:ok the command's name
	progServe    = "kasse webhooks serve" // i18n:ok the command's name
	progTail     = "kasse events tail"    // i18n:ok the command's name
)

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

// TailDeps is what `kasse events tail` needs.
type TailDeps struct {
	Feed    pos.EventFeed
	Sellers pos.Sellers
	Now     func() time.Time
	// Ready is called once the feed starts (what follows is printed).
	Ready func()
}

// RunTail runs `kasse events tail` until ctx ends (or --max), in the
// command's language (std.Locale); --json prints Stripe's events as sent.
func RunTail(ctx context.Context, d TailDeps, args []string, std cli.IO) int {
	loc := std.Locale()
	say := func(m i18n.Message) { fmt.Fprintln(std.Err, progTail+": "+loc.Render(m)) }
	usage := func(m i18n.Message) int { say(m); return ExitUsage }
	fs := flag.NewFlagSet(progTail, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seller := fs.String("seller", "", "")
	since := fs.Duration("since", 0, "")
	asJSON := fs.Bool("json", false, "")
	interval := fs.Duration("interval", time.Second, "")
	maxN := fs.Int("max", 0, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(std.Out, loc.T("cli.events.help.tail"))
			return ExitOK
		}
		return usage(i18n.M("cli.events.see_help", i18n.Args{"Error": cli.FlagError(loc, err), "Command": progTail}))
	}
	switch {
	case fs.NArg() > 0:
		return usage(i18n.M("cli.events.unexpected_argument", i18n.Args{"Arg": cli.Quote(fs.Arg(0)), "Command": progTail}))
	case *seller != "" && !strings.HasPrefix(*seller, "acct_"):
		return usage(i18n.M("cli.events.seller_bad", i18n.Args{"Value": strconv.Quote(*seller)}))
	case *since < 0 || *since > maxLookback || *interval <= 0 || *maxN < 0:
		return usage(i18n.M("cli.events.tail_bounds", i18n.Args{"Max": fmt.Sprintf("%dh", int(maxLookback.Hours()))}))
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	accounts := []pos.Account{pos.Account(*seller)}
	if *seller == "" {
		sellers, err := d.Sellers.ListSellers(ctx)
		if err != nil {
			say(i18n.M("cli.events.sellers_error", i18n.Args{"Error": err}))
			return ExitError
		}
		accounts = []pos.Account{pos.Platform}
		for _, s := range sellers {
			accounts = append(accounts, s.ID)
		}
	} else if _, err := d.Sellers.GetSeller(ctx, pos.Account(*seller)); err != nil {
		say(i18n.M("cli.events.seller_error", i18n.Args{"Seller": *seller, "Error": err}))
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
				say(i18n.M("cli.events.account_error", i18n.Args{"Account": accountName(a), "Error": err}))
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
				say(i18n.M("cli.events.account_retry", i18n.Args{"Account": accountName(a), "Error": err}))
				continue
			}
			for _, ev := range evs {
				if ev.Account == "" {
					ev.Account = a
				}
				printEvent(std.Out, loc, ev, *asJSON)
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

// accountName is an account in a message: its id, or the platform in words.
func accountName(a pos.Account) any {
	if a.IsPlatform() {
		return i18n.M("cli.events.platform")
	}
	return string(a)
}

// printEvent writes one event: stripe listen's line (its time in loc's
// format), or its JSON.
func printEvent(w io.Writer, loc *i18n.Locale, ev pos.Event, asJSON bool) {
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
	acct := loc.T("cli.events.platform")
	if !ev.Account.IsPlatform() {
		acct = string(ev.Account)
	}
	fmt.Fprintf(w, "%s   --> %s [%s] %s %s\n", loc.FormatTime(ev.Created.Local(), "format.datetime"), ev.Type, ev.ID, acct, ev.ObjectID) // i18n:ok stripe listen's line: a time and codes
}
