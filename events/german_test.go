package events

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"kasse/i18n"
	"kasse/internal/cli"
	"kasse/internal/testkit"
	"kasse/sandbox"
)

// kasse webhooks serve and kasse events tail in German: help, usage
// errors, the missing secret; the tail's line writes its time as German
// dates are written, Stripe's codes as they are; --json is Stripe's.
func TestCommandsInGerman(t *testing.T) {
	de := i18n.New(i18n.German)
	var out bytes.Buffer
	if code := RunServe(context.Background(), ServeDeps{}, []string{"--help"}, cli.IO{Out: &out, Err: &out, Loc: de}); code != ExitOK ||
		!strings.Contains(out.String(), "Aufruf: kasse webhooks serve") || !strings.Contains(out.String(), "Signaturschlüssel") {
		t.Fatalf("serve --help: %d\n%s", code, out.String())
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "kasse webhooks serve: --addr HOST:PORT ist Pflicht"},
		{[]string{"--addr", "127.0.0.1:0", "--path", "hooks"}, `--path "hooks" muss mit / beginnen`},
		{[]string{"--addr", "127.0.0.1:0", "--secret=whsec_x"}, "es gibt keine Option für den Schlüssel"},
	} {
		out.Reset()
		if code := RunServe(context.Background(), ServeDeps{}, tc.args, cli.IO{Out: &out, Err: &out, Loc: de}); code != ExitUsage ||
			!strings.Contains(out.String(), tc.want) || strings.Contains(out.String(), "whsec_x") {
			t.Errorf("%v: %d %q, want %q", tc.args, code, out.String(), tc.want)
		}
	}
	out.Reset()
	if code := RunServe(context.Background(), ServeDeps{Missing: i18n.M("cli.events.no_secret")}, []string{"--addr", "127.0.0.1:0"},
		cli.IO{Out: &out, Err: &out, Loc: de}); code != ExitError || !strings.Contains(out.String(), "kein Signaturschlüssel für Webhooks") {
		t.Errorf("no secret: %d %s", code, out.String())
	}

	w := newWorld(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out.Reset()
	if code := RunTail(ctx, TailDeps{Feed: w.c, Sellers: w.c}, []string{"--seller", "lumen"}, cli.IO{Out: &out, Err: &out, Loc: de}); code != ExitUsage ||
		!strings.Contains(out.String(), `--seller "lumen" ist keine Konto-ID`) {
		t.Errorf("--seller lumen: %d %s", code, out.String())
	}
	w.sell("till-1-tail-de", 1000, "4242424242424242", "automatic")
	var tail testkit.SyncBuffer
	if code := RunTail(ctx, TailDeps{Feed: w.c, Sellers: w.c}, []string{"--seller", string(w.lumen.ID), "--since", "1h", "--max", "1"},
		cli.IO{Out: &tail, Err: &tail, Loc: de}); code != ExitOK {
		t.Fatalf("tail: %d %s", code, tail.String())
	}
	if !regexp.MustCompile(`^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d   --> [a-z_.]+ \[evt_\w+\] acct_\w+ `).MatchString(tail.String()) {
		t.Errorf("German tail line: %q", tail.String())
	}
}
