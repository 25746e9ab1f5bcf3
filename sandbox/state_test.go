package sandbox

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Pruning, with a compressed clock: events go after Options.EventRetention
// and idempotency keys after Options.IdempotencyTTL, from memory (so a
// sandbox without a state file does not grow without bound either) and
// from the state file.
func TestPruneEventsAndKeys(t *testing.T) {
	for _, persisted := range []bool{false, true} {
		t.Run(fmt.Sprintf("statefile=%v", persisted), func(t *testing.T) {
			clock := &testClock{t: time.Unix(1_750_000_000, 0)}
			opts := Options{Seed: "demo", Now: clock.now, EventRetention: time.Hour, IdempotencyTTL: 10 * time.Minute}
			if persisted {
				opts.StateFile = filepath.Join(t.TempDir(), "s.json")
			}
			e := newEnv(t, opts)
			seller, _, _ := demoIDs(e)
			create := func(key string) *rawResp {
				return e.raw(http.MethodPost, "/v1/payment_intents", "amount=1000&currency=usd&payment_method_types[0]=card_present",
					fwHeaders{"Stripe-Account": seller, "Idempotency-Key": key})
			}
			first := create("k-old")
			oldEvent := listIDs(t, e.raw("GET", "/v1/events", "limit=1", fwHeaders{"Stripe-Account": seller}))[0]
			counts := func() (events, keys int) {
				e.locked(func(s *Server) { events, keys = s.st.events.Len(), s.idem.Len() })
				return
			}
			ev0, k0 := counts()

			// Within the TTL the key replays; after it, the same key is a new call.
			clock.add(5 * time.Minute)
			if r := create("k-old"); r.header.Get("Idempotent-Replayed") != "true" || r.json["id"] != first.json["id"] {
				t.Fatalf("replay within the TTL: %s", r.body)
			}
			clock.add(6 * time.Minute)
			if r := create("k-old"); r.header.Get("Idempotent-Replayed") == "true" || r.json["id"] == first.json["id"] {
				t.Fatalf("a key past its TTL replayed: %s", r.body)
			}
			if _, keys := counts(); keys != k0 { // the old entry went, the new one came
				t.Errorf("%d keys, want %d", keys, k0)
			}

			// Events: gone from GET, lists and memory after the retention.
			for i := 0; i < 20; i++ {
				create(fmt.Sprintf("k-%d", i))
			}
			clock.add(61 * time.Minute)
			e.raw("GET", "/v1/events/"+oldEvent, "", fwHeaders{"Stripe-Account": seller}).want(t, 404, "invalid_request_error", "resource_missing")
			fresh := create("k-fresh") // a change prunes
			evs := listIDs(t, e.raw("GET", "/v1/events", "limit=100", fwHeaders{"Stripe-Account": seller}))
			if len(evs) != 1 {
				t.Errorf("%d events listed after the retention, want the fresh one", len(evs))
			}
			events, keys := counts()
			if events != 1 || keys != 1 {
				t.Errorf("in memory after the retention: %d events (was %d), %d keys; want 1 and 1", events, ev0, keys)
			}
			if !persisted {
				return
			}
			// Reloaded: the same, and a compaction leaves the old ones out of the file.
			if err := e.srv.Close(); err != nil {
				t.Fatal(err)
			}
			e2 := newEnv(t, opts)
			if ev, k := func() (int, int) {
				var ev, k int
				e2.locked(func(s *Server) { ev, k = s.st.events.Len(), s.idem.Len() })
				return ev, k
			}(); ev != 1 || k != 1 {
				t.Errorf("reloaded: %d events, %d keys", ev, k)
			}
			e2.locked(func(s *Server) {
				if err := s.compact(); err != nil {
					t.Fatal(err)
				}
			})
			b, _ := os.ReadFile(opts.StateFile)
			if strings.Contains(string(b), oldEvent) || strings.Contains(string(b), `"k-old"`) || !strings.Contains(string(b), fresh.json["id"].(string)) {
				t.Error("the compacted file still holds pruned events or keys, or lost a live object")
			}
		})
	}
}

// Lists are pages of one account's objects in creation order, however
// many objects all accounts hold: paging forward and back over three
// sellers' interleaved intents returns each seller's, newest first, with
// no object twice or missing; a cursor of another seller is a 404.
func TestListPagesAcrossAccounts(t *testing.T) {
	e := newEnv(t, Options{})
	sellers := []string{e.addSeller("A", "US", "usd"), e.addSeller("B", "US", "usd"), e.addSeller("C", "US", "usd")}
	made := map[string][]string{} // oldest first
	for i := 0; i < 90; i++ {
		acct := sellers[i%3]
		made[acct] = append(made[acct], e.pIntent(acct, 1000+int64(i), "usd", "automatic").ID)
	}
	for _, acct := range sellers {
		want := slices.Clone(made[acct])
		slices.Reverse(want)
		h := fwHeaders{"Stripe-Account": acct}
		var got []string
		q := "limit=7"
		for {
			r := e.raw("GET", "/v1/payment_intents", q, h)
			got = append(got, listIDs(t, r)...)
			if r.json["has_more"] != true {
				break
			}
			q = "limit=7&starting_after=" + got[len(got)-1]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s forward: %v, want %v", acct, got, want)
		}
		var back []string
		q = "limit=4&ending_before=" + want[len(want)-1]
		for {
			r := e.raw("GET", "/v1/payment_intents", q, h)
			ids := listIDs(t, r)
			back = append(ids, back...)
			if r.json["has_more"] != true {
				break
			}
			q = "limit=4&ending_before=" + ids[0]
		}
		if !slices.Equal(back, want[:len(want)-1]) {
			t.Fatalf("%s backward: %v, want %v", acct, back, want[:len(want)-1])
		}
	}
	e.raw("GET", "/v1/payment_intents", "starting_after="+made[sellers[1]][0], fwHeaders{"Stripe-Account": sellers[0]}).
		want(t, 404, "invalid_request_error", "resource_missing")
}

// Many writes, with the log compacted along the way: a reopened sandbox
// holds exactly what the first held.
func TestStateFileReopenAfterManyWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	opts := Options{Seed: "demo", StateFile: path, Now: persistClock()}
	e := newEnv(t, opts)
	uncheckedChanges(e.srv)
	e.locked(func(s *Server) { s.file.MinGarbage = 64 << 10 })
	seller, rd, _ := demoIDs(e)
	compactions, size := 0, int64(0)
	for i := 0; i < 60; i++ {
		pi := e.pIntent(seller, 1000+int64(i), "usd", "manual")
		e.pProcess(rd, pi.ID)
		e.pPresent(rd, "", 0)
		for j := 0; j < 30; j++ { // an object written again and again: garbage
			e.raw(http.MethodPost, "/v1/terminal/readers/"+rd, fmt.Sprintf("label=Till+%d-%d", i, j), nil)
		}
		e.locked(func(s *Server) {
			if s.file.Size() < size {
				compactions++
			}
			size = s.file.Size()
		})
	}
	if compactions == 0 {
		t.Error("the log was never compacted")
	}
	before := dumpState(e.srv)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, opts)
	uncheckedChanges(e2.srv)
	sameDump(t, "reopened", before, dumpState(e2.srv))
}
