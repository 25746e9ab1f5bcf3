// Package idempotency keeps Idempotency-Key records as Stripe does
// (stripe-api.md §8.1): the first call with a key reserves it; a second
// call while the first runs gets 409 idempotency_key_in_use; once the first
// has answered, a call with the same parameters replays its status and
// body, and one with other parameters gets 400 idempotency_error. Keys are
// scoped per account (the call's Stripe-Account) and forgotten after a TTL
// (24 hours by default, as Stripe prunes them).
package idempotency

import (
	"net/http"
	"sync"
	"time"

	"kasse/sandbox/internal/apierr"
)

// DefaultTTL is how long Stripe keeps a key at least.
const DefaultTTL = 24 * time.Hour

// Entry is one key's record.
type Entry struct {
	Account     string // the Stripe-Account of the call ("" = the platform)
	Key         string
	Fingerprint string // method, path and canonical parameters of the first call
	InFlight    bool   // the first call has not answered yet
	Status      int
	Body        []byte
	Created     time.Time
}

type scope struct{ account, key string }

// Store holds the keys. It is safe for concurrent use.
type Store struct {
	ttl time.Duration

	mu   sync.Mutex
	keys map[scope]*Entry
	fifo []*Entry // in creation order, for pruning; entries no longer in keys are skipped
	head int
}

// New returns an empty store that forgets keys ttl after their first use
// (DefaultTTL when ttl <= 0).
func New(ttl time.Duration) *Store {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &Store{ttl: ttl, keys: map[scope]*Entry{}}
}

// TTL is how long keys are kept.
func (s *Store) TTL() time.Duration { return s.ttl }

// Begin reserves the key for a call with fingerprint, or returns the entry
// to replay, or the error Stripe gives for a concurrent use (409) or
// different parameters (400).
func (s *Store) Begin(account, key, fingerprint string, now time.Time) (mine, replay *Entry, e *apierr.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := scope{account, key}
	if old, ok := s.keys[sc]; ok && now.Sub(old.Created) < s.ttl {
		switch {
		case old.InFlight:
			return nil, nil, &apierr.Error{Status: http.StatusConflict, Type: apierr.TypeInvalidRequest, Code: "idempotency_key_in_use",
				Message: "The idempotency key provided is currently being used in another request. This occurs if your integration is making duplicate requests simultaneously."}
		case old.Fingerprint != fingerprint:
			return nil, nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeIdempotency,
				Message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" +
					key + "' if you meant to execute a different request."}
		default:
			return nil, old, nil
		}
	}
	mine = &Entry{Account: account, Key: key, Fingerprint: fingerprint, InFlight: true, Created: now}
	s.put(mine)
	return mine, nil, nil
}

func (s *Store) put(e *Entry) {
	s.keys[scope{e.Account, e.Key}] = e
	s.fifo = append(s.fifo, e)
}

// Finish stores the answer of the call that reserved mine, or forgets the
// key when Stripe would not have stored it (keep false: validation errors,
// rate limits, auth failures, conflicts).
func (s *Store) Finish(mine *Entry, status int, body []byte, keep bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !keep || status == http.StatusTooManyRequests || status == http.StatusUnauthorized || status == http.StatusConflict {
		if sc := (scope{mine.Account, mine.Key}); s.keys[sc] == mine {
			delete(s.keys, sc)
		}
		return
	}
	mine.InFlight, mine.Status, mine.Body = false, status, body
}

// Kept reports whether Finish kept mine (its answer replays).
func (s *Store) Kept(mine *Entry) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !mine.InFlight && s.keys[scope{mine.Account, mine.Key}] == mine
}

// Restore adds a completed entry (loading a state file); expired ones
// (at now) are dropped (kept false).
func (s *Store) Restore(e Entry, now time.Time) (kept bool) {
	if now.Sub(e.Created) >= s.ttl {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e.InFlight = false
	if old, ok := s.keys[scope{e.Account, e.Key}]; ok && old.Created.After(e.Created) {
		return false
	}
	s.put(&e)
	return true
}

// Prune forgets keys older than the TTL at now, calling pruned (if not
// nil) for each completed one, and returns how many went.
func (s *Store) Prune(now time.Time, pruned func(*Entry)) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for s.head < len(s.fifo) {
		e := s.fifo[s.head]
		sc := scope{e.Account, e.Key}
		if s.keys[sc] == e {
			if now.Sub(e.Created) < s.ttl {
				break
			}
			delete(s.keys, sc)
			n++
			if pruned != nil && !e.InFlight {
				pruned(e)
			}
		}
		s.fifo[s.head] = nil
		s.head++
	}
	if s.head > 64 && s.head > len(s.fifo)/2 {
		s.fifo = append([]*Entry(nil), s.fifo[s.head:]...)
		s.head = 0
	}
	return n
}

// Completed calls f for every completed, unexpired entry, oldest first.
func (s *Store) Completed(now time.Time, f func(*Entry)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.fifo[s.head:] {
		if e != nil && !e.InFlight && s.keys[scope{e.Account, e.Key}] == e && now.Sub(e.Created) < s.ttl {
			f(e)
		}
	}
}

// Len is the number of keys held (in flight or completed).
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys)
}
