package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kasse/sandbox/internal/idempotency"
	"kasse/sandbox/internal/store"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// Tests of Options.StateFile (persist.go): a sandbox closed and built
// again from its file answers every GET with the same bytes.

// persistClock is a fixed clock shared by the sandboxes of one test, so
// nothing rendered depends on when the second one started.
func persistClock() func() time.Time {
	now := time.Now().Truncate(time.Second)
	return func() time.Time { return now }
}

// demoIDs finds the demo's Lumen Coffee seller, the platform reader at its
// location, and Sonnenkorn's platform reader.
func demoIDs(e *env) (seller, lumenReader, sonnenReader string) {
	e.locked(func(s *Server) {
		for a := range s.st.accounts.All() {
			if str(a.BusinessProfile.Name) == "Lumen Coffee Roasters" {
				seller = a.ID
			}
		}
		for r := range s.st.readers.All() {
			switch l, _ := s.st.locations.Get(refID(r.Location)); {
			case r.Account != "" || l == nil:
			case l.DisplayName == "Lumen Coffee Roasters":
				lumenReader = r.ID
			case l.DisplayName == "Bäckerei Sonnenkorn":
				sonnenReader = r.ID
			}
		}
	})
	if seller == "" || lumenReader == "" || sonnenReader == "" {
		e.t.Fatalf("demo seed: seller %q readers %q %q", seller, lumenReader, sonnenReader)
	}
	return
}

// getAll reads paths (GET; "acct|path" sends Stripe-Account acct) and
// returns the bodies by path.
func getAll(e *env, paths []string) map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		acct, path, ok := strings.Cut(p, "|")
		if !ok {
			acct, path = "", p
		}
		var h fwHeaders
		if acct != "" {
			h = fwHeaders{"Stripe-Account": acct}
		}
		q := ""
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path, q = path[:i], path[i+1:]
		}
		r := e.raw(http.MethodGet, path, q, h)
		if r.status != http.StatusOK {
			e.t.Fatalf("GET %s: %d %s", p, r.status, r.body)
		}
		out[p] = string(r.body)
	}
	return out
}

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.json")
	opts := Options{Seed: "demo", StateFile: path, Now: persistClock()}
	e1 := newEnv(t, opts)
	seller, rd, rd2 := demoIDs(e1)

	// An idempotent POST (raw, to see the replay header later).
	idemForm := "amount=1500&currency=usd&payment_method_types%5B0%5D=card_present&metadata%5Border%5D=A-17"
	idemHdr := fwHeaders{"Stripe-Account": seller, "Idempotency-Key": "persist-test-key-1"}
	first := e1.raw(http.MethodPost, "/v1/payment_intents", idemForm, idemHdr)
	if first.status != http.StatusOK {
		t.Fatalf("create intent: %d %s", first.status, first.body)
	}
	piID := first.json["id"].(string)

	// Processed on the platform reader and paid, then partly refunded.
	e1.pProcess(rd, piID)
	e1.pPresent(rd, "", 0)
	pi := e1.pGet(seller, piID)
	if pi.Status != stripe.PaymentIntentStatusSucceeded || pi.LatestCharge == nil {
		t.Fatalf("intent %s, latest_charge %v", pi.Status, pi.LatestCharge)
	}
	chID := pi.LatestCharge.ID
	re, err := e1.pRefund(seller, piID, 500)
	if err != nil {
		t.Fatalf("refund: %v", err)
	}
	// More kinds of state: a reader showing a cart, a deleted location, a
	// SetupIntent, a canceled intent.
	if r := e1.raw(http.MethodPost, "/v1/terminal/readers/"+rd2+"/set_reader_display",
		"type=cart&cart%5Bcurrency%5D=eur&cart%5Btotal%5D=450&cart%5Btax%5D=29&cart%5Bline_items%5D%5B0%5D%5Bamount%5D=450&cart%5Bline_items%5D%5B0%5D%5Bdescription%5D=Roggenbrot&cart%5Bline_items%5D%5B0%5D%5Bquantity%5D=1", nil); r.status != 200 {
		t.Fatalf("set_reader_display: %d %s", r.status, r.body)
	}
	gone := e1.tLocation("", "Pop-up")
	if _, err := e1.sc.TerminalLocations.Del(gone.ID, nil); err != nil {
		t.Fatalf("delete location: %v", err)
	}
	si := e1.raw(http.MethodPost, "/v1/setup_intents", "payment_method_types%5B0%5D=card_present&metadata%5Bk%5D=v", nil)
	if si.status != 200 {
		t.Fatalf("setup intent: %d %s", si.status, si.body)
	}
	canceled := e1.pIntent(seller, 990, "usd", "automatic")
	if _, err := e1.sc.PaymentIntents.Cancel(canceled.ID, &stripe.PaymentIntentCancelParams{
		Params: stripe.Params{StripeAccount: stripe.String(seller)}}); err != nil {
		t.Fatalf("cancel: %v", err)
	}

	var evID, evAcct string
	e1.locked(func(s *Server) {
		var first *event
		for ev := range s.st.events.All() {
			if first == nil || ev.Seq < first.Seq {
				first = ev
			}
		}
		evID, evAcct = first.ID, first.Account
	})
	paths := []string{
		"/v1/account", "/v1/accounts?limit=100", "/v1/accounts/" + seller,
		"/v1/terminal/locations?limit=100", "/v1/terminal/locations/" + gone.ID,
		"/v1/terminal/readers?limit=100", "/v1/terminal/readers/" + rd, "/v1/terminal/readers/" + rd2,
		"/v1/setup_intents/" + si.json["id"].(string),
		seller + "|/v1/payment_intents?limit=100", seller + "|/v1/payment_intents/" + piID,
		seller + "|/v1/payment_intents/" + piID + "?expand%5B%5D=latest_charge",
		seller + "|/v1/payment_intents/" + canceled.ID,
		seller + "|/v1/charges?limit=100", seller + "|/v1/charges/" + chID,
		seller + "|/v1/refunds?limit=100", seller + "|/v1/refunds/" + re.ID,
		seller + "|/v1/events?limit=100", "/v1/events?limit=100", evAcct + "|/v1/events/" + evID,
	}
	before := getAll(e1, paths)
	var seqBefore int64
	e1.locked(func(s *Server) { seqBefore = s.st.seq })
	if err := e1.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	e2 := newEnv(t, opts)
	after := getAll(e2, paths)
	for _, p := range paths {
		if before[p] != after[p] {
			t.Errorf("GET %s differs after reload:\nbefore %s\nafter  %s", p, before[p], after[p])
		}
	}

	// The idempotent POST replays the first answer.
	again := e2.raw(http.MethodPost, "/v1/payment_intents", idemForm, idemHdr)
	if again.status != http.StatusOK || again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(first.body) {
		t.Errorf("replay after reload: %d replayed=%q\n%s\nwant\n%s", again.status, again.header.Get("Idempotent-Replayed"), again.body, first.body)
	}
	// A different request under the key is still refused.
	diff := e2.raw(http.MethodPost, "/v1/payment_intents", strings.Replace(idemForm, "1500", "1600", 1), idemHdr)
	diff.want(t, http.StatusBadRequest, "idempotency_error", "")

	// New objects continue the counter: listed first, new ids.
	fresh := e2.pIntent(seller, 2500, "usd", "automatic")
	e2.locked(func(s *Server) {
		if pi, _ := s.st.intents.Get(fresh.ID); pi.Seq != seqBefore+1 {
			got := pi.Seq
			t.Errorf("new intent seq %d, want %d", got, seqBefore+1)
		}
	})
	if fresh.ID == piID || fresh.ID == canceled.ID {
		t.Fatalf("id collision: %s", fresh.ID)
	}
	list := e2.raw(http.MethodGet, "/v1/payment_intents", "limit=3", fwHeaders{"Stripe-Account": seller})
	var ids []string
	for _, d := range list.json["data"].([]any) {
		ids = append(ids, d.(map[string]any)["id"].(string))
	}
	if want := []string{fresh.ID, canceled.ID, piID}; !eqStrings(ids, want) {
		t.Errorf("intents after reload %v, want %v", ids, want)
	}
	// Old and new events list together, newest first.
	evs := e2.raw(http.MethodGet, "/v1/events", "limit=100", fwHeaders{"Stripe-Account": seller})
	data := evs.json["data"].([]any)
	if top := data[0].(map[string]any); top["type"] != "payment_intent.created" ||
		top["data"].(map[string]any)["object"].(map[string]any)["id"] != fresh.ID {
		t.Errorf("newest event %v %v", top["type"], top["id"])
	}
	var old map[string]any
	if err := json.Unmarshal([]byte(before[seller+"|/v1/events?limit=100"]), &old); err != nil {
		t.Fatal(err)
	}
	if n := len(old["data"].([]any)); len(data) != n+1 {
		t.Errorf("%d events after one more create, want %d", len(data), n+1)
	}
	// The refund of the reloaded charge still knows what is left.
	if _, err := e2.pRefund(seller, piID, 1001); err == nil {
		t.Error("refund beyond the remaining 1000 accepted after reload")
	}
	if _, err := e2.pRefund(seller, piID, 1000); err != nil {
		t.Errorf("refund of the remainder after reload: %v", err)
	}
}

// dumpState is every stored object as the state file holds it (type,
// bookkeeping, extra and JSON), in a stable order, plus the counter and
// the completed idempotency keys.
func dumpState(s *Server) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{fmt.Sprintf("seq %d platform %s", s.st.seq, s.st.platformID)}
	s.st.each(func(o resource) { out = append(out, o.objectType()+" "+writtenForm(o)) })
	s.idem.Completed(s.opts.Now(), func(e *idempotency.Entry) {
		out = append(out, fmt.Sprintf("idem %s %s %s %d %s %s", e.Account, e.Key, e.Fingerprint, e.Status, e.Body, e.Created.UTC()))
	})
	return out
}

func sameDump(t *testing.T, what string, a, b []string) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d entries, want %d", what, len(b), len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("%s: entry %d differs:\nbefore %s\nafter  %s", what, i, a[i], b[i])
		}
	}
}

// load → the same state: every object, its bookkeeping and JSON, the
// counter and the keys (a declined and then approved manual payment, a
// refund, a display, a deleted location, a setup intent).
func TestStateFileReloadIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "demo", StateFile: path, Now: persistClock()}
	e := newEnv(t, opts)
	seller, rd, rd2 := demoIDs(e)
	pi := e.pIntent(seller, 3100, "usd", "manual")
	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "4000000000009995", 0) // declines: last_payment_error, failed charge
	e.pProcess(rd, pi.ID)                 // again, approved: a charge to capture
	e.pPresent(rd, "", 0)
	if _, err := e.sc.PaymentIntents.Capture(pi.ID, &stripe.PaymentIntentCaptureParams{Params: stripe.Params{StripeAccount: stripe.String(seller)},
		AmountToCapture: stripe.Int64(3000)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pRefund(seller, pi.ID, 700); err != nil {
		t.Fatal(err)
	}
	if r := e.raw(http.MethodPost, "/v1/terminal/readers/"+rd2+"/set_reader_display",
		"type=cart&cart%5Bcurrency%5D=eur&cart%5Btotal%5D=450&cart%5Bline_items%5D%5B0%5D%5Bamount%5D=450&cart%5Bline_items%5D%5B0%5D%5Bdescription%5D=Roggenbrot&cart%5Bline_items%5D%5B0%5D%5Bquantity%5D=1",
		fwHeaders{"Idempotency-Key": "display-1"}); r.status != 200 {
		t.Fatalf("set_reader_display: %d %s", r.status, r.body)
	}
	gone := e.tLocation("", "Pop-up")
	if _, err := e.sc.TerminalLocations.Del(gone.ID, nil); err != nil {
		t.Fatal(err)
	}
	if si := e.raw(http.MethodPost, "/v1/setup_intents", "payment_method_types%5B0%5D=card_present", nil); si.status != 200 {
		t.Fatal(string(si.body))
	}
	before := dumpState(e.srv)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	sameDump(t, "after a reload", before, dumpState(s2))
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestStateFileCreatedWithSeedAndMode0600(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	e := newEnv(t, Options{Seed: "none", StateFile: path})
	lines := func() []string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("state file: %v", err)
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	mode := func() os.FileMode {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	// Written at New, before any request: the header and the platform.
	first := lines()
	var h store.Header
	if err := json.Unmarshal([]byte(first[0]), &h); err != nil || h.Format != "kasse-sandbox-state" || h.Version != 2 ||
		h.APIVersion != APIVersion || h.PlatformID != e.srv.PlatformID() {
		t.Fatalf("header %q: %+v %v", first[0], h, err)
	}
	if len(first) != 2 || !strings.Contains(first[1], `"type":"account"`) || !strings.Contains(first[1], h.PlatformID) {
		t.Errorf("seed none: %q", first[1:])
	}
	if m := mode(); m != 0o600 {
		t.Errorf("mode %v, want 0600", m)
	}
	// Each change appends one line, every line valid JSON.
	l := e.tLocation("", "Kiosk")
	after := lines()
	if len(after) != len(first)+1 || !strings.Contains(after[len(after)-1], l.ID) {
		t.Errorf("after a POST: %d lines, last %q", len(after), after[len(after)-1])
	}
	for i, line := range after {
		if !json.Valid([]byte(line)) {
			t.Errorf("line %d is not JSON: %q", i+1, line)
		}
	}
	// A GET does not write.
	size := len(strings.Join(after, "\n"))
	e.raw(http.MethodGet, "/v1/terminal/locations", "", nil)
	if n := len(strings.Join(lines(), "\n")); n != size {
		t.Error("a GET wrote to the state file")
	}
	// A file made readable to others is private again once reopened.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := New(Options{StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if m := mode(); m != 0o600 {
		t.Errorf("mode after reopening %v, want 0600", m)
	}
	// No temporary files are left behind: the state and its lock only.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 || ents[0].Name() != "new.json" || ents[1].Name() != "new.json.lock" {
		var names []string
		for _, d := range ents {
			names = append(names, d.Name())
		}
		t.Errorf("directory holds %v", names)
	}
}

// writeStateFile makes a demo state file with one paid sale and returns
// its lines.
func writeStateFile(t *testing.T, path string) []string {
	t.Helper()
	e := newEnv(t, Options{Seed: "demo", StateFile: path})
	seller, rd, _ := demoIDs(e)
	pi := e.pIntent(seller, 1200, "usd", "automatic")
	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "", 0)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	return lines[:len(lines)-1] // after the last newline: ""
}

func TestStateFileCorruptIsAnError(t *testing.T) {
	lines := writeStateFile(t, filepath.Join(t.TempDir(), "good.json"))
	join := func(ls ...string) string { return strings.Join(ls, "") }
	var h store.Header
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatal(err)
	}
	record := func(body string) string { // a well-framed record line with this payload
		var w store.RecordWriter
		w.Begin(0)
		line := string(w.Line())
		crc := crc32.Checksum([]byte(body), crc32.MakeTable(crc32.Castagnoli))
		return strings.Replace(strings.Replace(line, `{"seq":0}`, body, 1), line[8:16], fmt.Sprintf("%08x", crc), 1)
	}
	flipped := strings.Replace(lines[2], `"object":"`, `"object":"X`, 1) // the CRC no longer matches
	cases := []struct{ name, content, want string }{
		{"empty", "", "corrupt"},
		{"not json", "{not json", "corrupt"},
		{"array", "[]\n", "corrupt"},
		{"no version", `{"api_version":"2023-10-16"}` + "\n", `no "version"`},
		{"no platform", strings.Replace(lines[0], h.PlatformID, "", 1) + join(lines[1:]...), "no platform_id"},
		{"platform account missing", strings.Replace(lines[0], h.PlatformID, "acct_1Nobody000000000", 1) + join(lines[1:]...), "platform account"},
		{"bad record in the middle", join(lines[0], lines[1], flipped) + join(lines[3:]...), "line 3"},
		{"garbage line in the middle", join(lines[0], lines[1], "{\"crc\":\"00000000\",\"r\":{}}\n") + join(lines[2:]...), "line 3"},
		{"counter behind", join(lines[0], lines[1], record(`{"seq":1,"items":[{"type":"account","seq":99,"object":{"id":"acct_x"}}]}`), lines[len(lines)-1]), "beyond the counter"},
		{"unknown type", join(lines[0], lines[1], record(`{"seq":999,"items":[{"type":"payout","seq":998,"object":{"id":"po_1"}}]}`), lines[len(lines)-1]), `unknown object type "payout"`},
		{"same id twice", join(lines[0], lines[1], record(`{"seq":999,"items":[{"type":"account","seq":998,"object":{"id":"`+h.PlatformID+`"}}]}`), lines[len(lines)-1]), "appears twice"},
		{"object not an object", join(lines[0], lines[1], record(`{"seq":999,"items":[{"type":"charge","seq":998,"object":[1]}]}`), lines[len(lines)-1]), "corrupt: charge"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{Seed: "demo", StateFile: path})
			if err == nil {
				t.Fatal("New accepted the file")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrStateUnusable) {
				t.Errorf("error %q, want the path, %q and ErrStateUnusable", err, c.want)
			}
			// The bad file is left as it was (never overwritten with a seed).
			if b, _ := os.ReadFile(path); string(b) != c.content {
				t.Error("the corrupt file was changed")
			}
		})
	}
}

func TestStateFileVersionMismatchIsAnError(t *testing.T) {
	for _, c := range []struct{ content, want string }{
		{`{"format":"kasse-sandbox-state","version":3,"api_version":"2023-10-16","platform_id":"acct_x","some_new_field":true}`, "version 3 is not supported"},
		{`{"version": 0}`, `format ""`},
		{`{"format":"kasse-sandbox-state","version":2,"api_version":"2024-06-20","platform_id":"acct_x"}`, `API version "2024-06-20"`},
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(c.content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(Options{StateFile: path})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want the path and %q", c.content, err, c.want)
		}
	}
}

// A state file an older kasse wrote (one JSON document, version 1) is
// refused with a message that names it and says what to do; it is left
// as it was.
func TestStateFileOldFormatIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox-state.json")
	old := `{"version":1,"api_version":"2023-10-16","seq":12,"platform_id":"acct_AbCdEfGhIjKlMnOp","accounts":[],"locations":[],"readers":[],"payment_intents":[],"charges":[],"refunds":[],"setup_intents":[]}` + "\n"
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{Seed: "demo", StateFile: path})
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "older kasse") ||
		!strings.Contains(err.Error(), "move the file away") {
		t.Fatalf("old state file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != old {
		t.Error("the old file was changed")
	}
}

// A last record cut short (the process died in the middle of writing it)
// is the request in flight: it is dropped, everything before it loads,
// and the file goes on from there.
func TestStateFileTornLastRecordIsIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	lines := writeStateFile(t, path)
	last := lines[len(lines)-1]
	intact := strings.Join(lines[:len(lines)-1], "")
	for name, torn := range map[string]string{
		"no newline":        last[:len(last)-1],
		"half a record":     last[:len(last)/2],
		"one byte":          last[:1],
		"newline, bad crc":  last[:len(last)/2] + "\n",
		"zeros (power cut)": strings.Repeat("\x00", 300),
	} {
		t.Run(name, func(t *testing.T) {
			// What loads is what the intact lines hold.
			want := filepath.Join(t.TempDir(), "want.json")
			if err := os.WriteFile(want, []byte(intact), 0o600); err != nil {
				t.Fatal(err)
			}
			sw, err := New(Options{StateFile: want, Now: persistClock()})
			if err != nil {
				t.Fatal(err)
			}
			wantDump := dumpState(sw)
			_ = sw.Close()

			p := filepath.Join(t.TempDir(), "torn.json")
			if err := os.WriteFile(p, []byte(intact+torn), 0o600); err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, Options{StateFile: p, Now: persistClock()})
			sameDump(t, "torn file", wantDump, dumpState(e.srv))
			if b, _ := os.ReadFile(p); string(b) != intact {
				t.Errorf("the torn record was not cut off (%d bytes, want %d)", len(b), len(intact))
			}
			// New changes follow the intact records and load again.
			seller, _, _ := demoIDs(e)
			fresh := e.pIntent(seller, 990, "usd", "automatic")
			if err := e.srv.Close(); err != nil {
				t.Fatal(err)
			}
			e2 := newEnv(t, Options{StateFile: p})
			e2.pGet(seller, fresh.ID)
		})
	}
}

// An action authorizing a card when the state was written loads as
// in_progress, not presenting: the card can be presented again.
func TestStateFileAuthorizingActionLoadsWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "demo", StateFile: path, AuthorizationDelay: time.Hour}
	e1 := newEnv(t, opts)
	seller, rd, _ := demoIDs(e1)
	pi := e1.pIntent(seller, 1200, "usd", "automatic")
	e1.pProcess(rd, pi.ID)
	e1.pPresent(rd, "", 0) // authorizing for an hour
	if _, err := e1.tPresent("", rd, ""); err == nil {
		t.Fatal("second present while authorizing accepted")
	}
	if err := e1.srv.Close(); err != nil {
		t.Fatal(err)
	}

	opts.AuthorizationDelay = 0
	e2 := newEnv(t, opts)
	r := e2.tGetReader("", rd)
	if r.Action == nil || r.Action.Status != stripe.TerminalReaderActionStatusInProgress ||
		r.Action.ProcessPaymentIntent.PaymentIntent.ID != pi.ID {
		t.Fatalf("reader action after reload: %+v", r.Action)
	}
	if got := e2.pGet(seller, pi.ID); got.Status != stripe.PaymentIntentStatusRequiresPaymentMethod || got.LatestCharge != nil {
		t.Fatalf("intent after reload: %s %v", got.Status, got.LatestCharge)
	}
	e2.pPresent(rd, "", 0)
	if got := e2.pGet(seller, pi.ID); got.Status != stripe.PaymentIntentStatusSucceeded {
		t.Errorf("intent after presenting again: %s", got.Status)
	}
}

// Changes made without a request (CustomerCancel) are written at once: a
// copy of the file taken while the sandbox still runs (as if it were
// killed then) has them.
func TestStateFileOutOfBandChangesAreWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	e1 := newEnv(t, Options{Seed: "demo", StateFile: path})
	seller, rd, _ := demoIDs(e1)
	pi := e1.pIntent(seller, 1200, "usd", "automatic")
	if _, err := e1.sc.TerminalReaders.ProcessPaymentIntent(rd, &stripe.TerminalReaderProcessPaymentIntentParams{
		PaymentIntent: stripe.String(pi.ID),
		ProcessConfig: &stripe.TerminalReaderProcessPaymentIntentProcessConfigParams{EnableCustomerCancellation: stripe.Bool(true)},
	}); err != nil {
		t.Fatal(err)
	}
	if err := e1.srv.CustomerCancel(rd); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, Options{StateFile: copyFile(t, path)})
	r := e2.tGetReader("", rd)
	if r.Action == nil || r.Action.Status != stripe.TerminalReaderActionStatusFailed || r.Action.FailureCode != "customer_canceled" {
		t.Fatalf("action after reload: %+v", r.Action)
	}
}

// copyFile copies a state file (not its lock) to a new temporary path, as
// a crash would leave it: what the running sandbox has written so far.
func copyFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// ListenAndServe loads the file and leaves it complete when it shuts down.
func TestListenAndServeStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "none", StateFile: path}
	run := func(f func(sc *client.API)) {
		ctx, cancel := context.WithCancel(context.Background())
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() { done <- ListenAndServe(ctx, "127.0.0.1:0", opts, func(u string) { ready <- u }) }()
		select {
		case u := <-ready:
			f(newClient(u, http.DefaultTransport, 0))
		case err := <-done:
			t.Fatalf("ListenAndServe: %v", err)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("ListenAndServe: %v", err)
		}
	}
	var id string
	run(func(sc *client.API) {
		l, err := sc.TerminalLocations.New(&stripe.TerminalLocationParams{DisplayName: stripe.String("Kiosk"), Address: termUSAddress()})
		if err != nil {
			t.Fatalf("create location: %v", err)
		}
		id = l.ID
	})
	run(func(sc *client.API) {
		l, err := sc.TerminalLocations.Get(id, nil)
		if err != nil || l.DisplayName != "Kiosk" {
			t.Fatalf("location after restart: %v %v", l, err)
		}
	})
}

// One state file, one sandbox: a second one (another process, here another
// Server) is refused with ErrStateInUse until the first is closed.
func TestStateFileIsLockedWhileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	a, err := New(Options{Seed: "demo", StateFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Seed: "demo", StateFile: path}); !errors.Is(err, ErrStateInUse) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second sandbox on the file: %v, want ErrStateInUse naming the file", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Seed: "demo", StateFile: path})
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}
