package idempotency

import (
	"testing"
	"time"
)

func TestKeyLifecycle(t *testing.T) {
	s := New(time.Hour)
	t0 := time.Unix(1_700_000_000, 0)
	mine, replay, err := s.Begin("acct_a", "k1", "POST /v1/x?a=1", t0)
	if err != nil || replay != nil || mine == nil {
		t.Fatalf("first use: %v %v %v", mine, replay, err)
	}
	if _, _, err := s.Begin("acct_a", "k1", "POST /v1/x?a=1", t0); err == nil || err.Status != 409 || err.Code != "idempotency_key_in_use" {
		t.Fatalf("in flight: %v", err)
	}
	if _, r, err := s.Begin("acct_b", "k1", "POST /v1/x?a=1", t0); err != nil || r != nil {
		t.Fatalf("another account's key is another key: %v %v", r, err)
	}
	s.Finish(mine, 200, []byte(`{"id":"x_1"}`), true)
	if !s.Kept(mine) {
		t.Fatal("kept")
	}
	if _, r, err := s.Begin("acct_a", "k1", "POST /v1/x?a=1", t0.Add(time.Minute)); err != nil || r == nil || string(r.Body) != `{"id":"x_1"}` {
		t.Fatalf("replay: %v %v", r, err)
	}
	if _, _, err := s.Begin("acct_a", "k1", "POST /v1/x?a=2", t0); err == nil || err.Status != 400 || err.Type != "idempotency_error" {
		t.Fatalf("other parameters: %v", err)
	}
	// Not kept: validation errors, 429, 401, 409.
	for _, c := range []struct {
		status int
		keep   bool
	}{{400, false}, {429, true}, {401, true}, {409, true}} {
		e, _, _ := s.Begin("", "k-"+string(rune('a'+c.status%26)), "f", t0)
		s.Finish(e, c.status, nil, c.keep)
		if s.Kept(e) {
			t.Errorf("%d kept", c.status)
		}
	}
}

// Keys go after the TTL (a compressed clock): a replay becomes a new call,
// and the store does not grow without bound.
func TestKeysPruned(t *testing.T) {
	s := New(10 * time.Minute)
	t0 := time.Unix(1_700_000_000, 0)
	var pruned int
	for i := 0; i < 1000; i++ {
		e, _, _ := s.Begin("", string(rune('A'+i%50))+time.Duration(i).String(), "f", t0.Add(time.Duration(i)*time.Second))
		s.Finish(e, 200, []byte(`{}`), true)
	}
	if n := s.Prune(t0.Add(5*time.Minute), func(*Entry) { pruned++ }); n != 0 || pruned != 0 {
		t.Fatalf("pruned %d young keys", n)
	}
	n := s.Prune(t0.Add(10*time.Minute+500*time.Second), func(*Entry) { pruned++ })
	if n != 501 || pruned != 501 || s.Len() != 499 {
		t.Fatalf("pruned %d (%d), %d left", n, pruned, s.Len())
	}
	// An expired key is a new key even before pruning.
	e, _, _ := s.Begin("", "once", "f", t0)
	s.Finish(e, 200, []byte(`{"n":1}`), true)
	if mine, replay, err := s.Begin("", "once", "other", t0.Add(11*time.Minute)); err != nil || replay != nil || mine == nil {
		t.Fatalf("expired key: %v %v %v", mine, replay, err)
	}
	if s.Restore(Entry{Key: "old", Status: 200, Created: t0}, t0.Add(time.Hour)) {
		t.Error("an expired entry was restored")
	}
}
