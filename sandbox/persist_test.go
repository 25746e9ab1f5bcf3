package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

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
		for _, a := range s.st.accounts {
			if a.businessName == "Lumen Coffee Roasters" {
				seller = a.id
			}
		}
		for _, r := range s.st.readers {
			switch l := s.st.locations[r.locationID]; {
			case r.account != "" || l == nil:
			case l.displayName == "Lumen Coffee Roasters":
				lumenReader = r.id
			case l.displayName == "Bäckerei Sonnenkorn":
				sonnenReader = r.id
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

	var evID string
	e1.locked(func(s *Server) { evID = s.st.events[0].id })
	evAcct := ""
	e1.locked(func(s *Server) { evAcct = s.st.events[0].account })
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
		if got := s.st.intents[fresh.ID].seq; got != seqBefore+1 {
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

// snapshot → file → restore → snapshot is the identity on the demo and a
// paid intent (every mirror field is read back into the same place).
func TestStateFileSnapshotIsStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "demo", StateFile: path, Now: persistClock()}
	e := newEnv(t, opts)
	seller, rd, _ := demoIDs(e)
	pi := e.pIntent(seller, 3100, "usd", "manual")
	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "4000000000009995", 0) // declines: last_payment_error, failed charge
	// Again, approved: a charge to capture.
	e.pProcess(rd, pi.ID)
	e.pPresent(rd, "", 0)
	var a *SavedState
	e.locked(func(s *Server) { a = snapshotState(s.st) })
	if err := e.srv.Close(); err != nil { // writes, and lets the next sandbox take the file
		t.Fatal(err)
	}
	s2, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	b := snapshotState(s2.st)
	if !reflect.DeepEqual(a, b) {
		ja, _ := json.MarshalIndent(a, "", " ")
		jb, _ := json.MarshalIndent(b, "", " ")
		t.Fatalf("snapshot changed by a save and load:\n%s\n---\n%s", ja, jb)
	}
}

func TestStateFileCreatedWithSeedAndMode0600(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	e := newEnv(t, Options{Seed: "none", StateFile: path})
	checkFile := func() *SavedState {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatalf("state file: %v", err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("mode %v, want 0600", m)
		}
		b, _ := os.ReadFile(path)
		var sv SavedState
		if err := json.Unmarshal(b, &sv); err != nil {
			t.Fatalf("state file: %v", err)
		}
		if sv.Version != 1 || sv.APIVersion != APIVersion {
			t.Errorf("version %d api_version %q", sv.Version, sv.APIVersion)
		}
		return &sv
	}
	sv := checkFile() // written at New, before any request
	if len(sv.Accounts) != 1 || sv.Accounts[0].ID != sv.PlatformID {
		t.Errorf("seed none: accounts %+v", sv.Accounts)
	}
	// Each POST rewrites it; a pre-existing looser mode is not kept.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	l := e.tLocation("", "Kiosk")
	sv = checkFile()
	if len(sv.Locations) != 1 || sv.Locations[0].ID != l.ID {
		t.Errorf("locations after POST: %+v", sv.Locations)
	}
	// A GET does not write.
	fi1, _ := os.Stat(path)
	time.Sleep(10 * time.Millisecond)
	e.raw(http.MethodGet, "/v1/terminal/locations", "", nil)
	if fi2, _ := os.Stat(path); !fi2.ModTime().Equal(fi1.ModTime()) {
		t.Error("a GET rewrote the state file")
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

func TestStateFileCorruptIsAnError(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.json")
	if s0, err := New(Options{Seed: "demo", StateFile: good}); err != nil {
		t.Fatal(err)
	} else if err := s0.Close(); err != nil {
		t.Fatal(err)
	}
	valid, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var sv SavedState
	if err := json.Unmarshal(valid, &sv); err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(*SavedState)) string {
		c := sv
		c.Accounts = append([]SavedAccount{}, sv.Accounts...)
		f(&c)
		b, _ := json.Marshal(&c)
		return string(b)
	}
	cases := []struct{ name, content, want string }{
		{"empty", "", "corrupt"},
		{"not json", "{not json", "corrupt"},
		{"truncated", string(valid[:len(valid)/2]), "corrupt"},
		{"trailing data", string(valid) + "{}", "corrupt"},
		{"unknown field", strings.Replace(string(valid), `"seq":`, `"sequence": 1, "seq":`, 1), "corrupt"},
		{"array", "[]", "corrupt"},
		{"no version", `{"api_version":"2023-10-16"}`, `no "version"`},
		{"no platform", mutate(func(c *SavedState) { c.PlatformID = "" }), "no platform_id"},
		{"platform account missing", mutate(func(c *SavedState) { c.Accounts = c.Accounts[1:] }), "platform account"},
		{"duplicate id", mutate(func(c *SavedState) { c.Accounts = append(c.Accounts, c.Accounts[1]) }), "appears twice"},
		{"counter behind", mutate(func(c *SavedState) { c.Seq = 1 }), "beyond the counter"},
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
		{`{"version": 2, "api_version": "2023-10-16", "some_new_field": true}`, "version 2 is not supported"},
		{`{"version": 0}`, "version 0 is not supported"},
		{`{"version": 1, "api_version": "2024-06-20"}`, `API version "2024-06-20"`},
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(Options{StateFile: path})
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want the path and %q", c.content, err, c.want)
		}
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

// Close writes changes made without a request (CustomerCancel).
func TestStateFileCloseWritesOutOfBandChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "demo", StateFile: path}
	e1 := newEnv(t, opts)
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
	if err := e1.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, opts)
	r := e2.tGetReader("", rd)
	if r.Action == nil || r.Action.Status != stripe.TerminalReaderActionStatusFailed || r.Action.FailureCode != "customer_canceled" {
		t.Fatalf("action after reload: %+v", r.Action)
	}
}

// ListenAndServe loads the file and writes it when it shuts down.
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

// Every field of the stored types has a place in the file: adding a field
// to a stored type without persisting it fails here. The differences are
// the documented ones (presenting; a card's decline, looked up again; the
// state's version fields and idempotency keys; an idempotency entry's
// scope split in two and in-flight entries dropped).
func TestStateFileMirrorsEveryField(t *testing.T) {
	for _, c := range []struct {
		stored, saved any
		delta         int // saved fields minus stored fields
	}{
		{state{}, SavedState{}, 3},
		{meta{}, SavedMeta{}, 0},
		{address{}, SavedAddress{}, 0},
		{bankAccount{}, SavedBankAccount{}, 0},
		{account{}, SavedAccount{}, 0},
		{location{}, SavedLocation{}, 0},
		{reader{}, SavedReader{}, 0},
		{readerAction{}, SavedReaderAction{}, -1},
		{displayCart{}, SavedDisplayCart{}, 0},
		{displayLine{}, SavedDisplayLine{}, 0},
		{paymentIntent{}, SavedPaymentIntent{}, 0},
		{paymentError{}, SavedError{}, 0},
		{setupError{}, SavedError{}, 2},
		{charge{}, SavedCharge{}, 0},
		{testCard{}, SavedCard{}, -1},
		{refund{}, SavedRefund{}, 0},
		{setupIntent{}, SavedSetupIntent{}, 0},
		{event{}, SavedEvent{}, 0},
		{idemEntry{}, SavedIdempotencyEntry{}, 1},
	} {
		st, sv := reflect.TypeOf(c.stored), reflect.TypeOf(c.saved)
		if got := sv.NumField() - st.NumField(); got != c.delta {
			t.Errorf("%s has %d fields, %s %d: update persist.go (and this test)", st.Name(), st.NumField(), sv.Name(), sv.NumField())
		}
	}
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
