package checkout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"kasse/pos"
)

// memOps is an OpStore in memory that writes what happens to it, and to
// the request, into one trail (shared with the test's do), so a test sees
// the order.
type memOps struct {
	open   map[string]OneOff // recorded, unanswered, by key
	trail  *[]string
	failOn string // "open", "record" or "finish": that call fails
}

func (m *memOps) Open(ctx context.Context, op OneOff) (string, bool, error) {
	*m.trail = append(*m.trail, "open")
	if m.failOn == "open" {
		return "", false, errors.New("disk I/O error")
	}
	for k, o := range m.open {
		if o == op {
			return k, true, nil
		}
	}
	return "", false, nil
}

func (m *memOps) Record(ctx context.Context, op OneOff, key string) error {
	*m.trail = append(*m.trail, "record "+key)
	if m.failOn == "record" {
		return errors.New("database is locked")
	}
	m.open[key] = op
	return nil
}

func (m *memOps) Finish(ctx context.Context, key, result, errText string) error {
	*m.trail = append(*m.trail, fmt.Sprintf("finish %s %q %q", key, result, errText))
	if m.failOn == "finish" {
		return errors.New("disk full")
	}
	delete(m.open, key)
	return nil
}

// The rules of Once.Send, one request each: the key is recorded before
// the request is sent (and never sent when it cannot be); the key a crash
// left open is sent again; a definite answer closes the op, an unknown
// outcome or a rate limit leaves it open under the key that was sent.
func TestOnceSendRecordsBeforeItSends(t *testing.T) {
	create := OneOff{Op: "create_customer", Account: pos.Platform, Request: "Noor Haddad\x00noor@example.com\x00"}
	other := OneOff{Op: "create_customer", Account: "acct_1Ramen", Request: create.Request}
	declined := &pos.Error{Kind: pos.KindInvalidRequest, Message: "email invalid"}
	lost := &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}
	limited := &pos.Error{Kind: pos.KindRateLimited, Code: "rate_limit"}
	for _, tc := range []struct {
		name     string
		left     map[string]OneOff // open before the try (a crash left them)
		failOn   string
		answer   error
		want     []string
		wantErr  error // errors.Is; nil: none
		notSent  bool  // the error is a *NotRecorded
		wantOpen []string
	}{
		{name: "new: recorded, sent, closed with its id",
			want: []string{"open", "record k1", "send k1", `finish k1 "cus_1" ""`}},
		{name: "a crash left it open: sent again under its key, not recorded again",
			left: map[string]OneOff{"k0": create},
			want: []string{"open", "send k0", `finish k0 "cus_1" ""`}},
		{name: "open for another account: a new request",
			left:     map[string]OneOff{"k0": other},
			want:     []string{"open", "record k1", "send k1", `finish k1 "cus_1" ""`},
			wantOpen: []string{"k0"}},
		{name: "a definite refusal closes it: the next try is a new request",
			answer:  declined,
			want:    []string{"open", "record k1", "send k1", `finish k1 "" "invalid request: email invalid"`},
			wantErr: declined},
		{name: "an unknown outcome leaves it open for a resend under the key",
			answer:   lost,
			want:     []string{"open", "record k1", "send k1"},
			wantErr:  lost,
			wantOpen: []string{"k1"}},
		{name: "a foreign error is an unknown outcome",
			answer:   context.DeadlineExceeded,
			want:     []string{"open", "record k1", "send k1"},
			wantErr:  context.DeadlineExceeded,
			wantOpen: []string{"k1"}},
		{name: "a rate limit leaves it open",
			left:     map[string]OneOff{"k0": create},
			answer:   limited,
			want:     []string{"open", "send k0"},
			wantErr:  limited,
			wantOpen: []string{"k0"}},
		{name: "the store cannot look: nothing sent",
			failOn:  "open",
			want:    []string{"open"},
			notSent: true},
		{name: "the store cannot record: nothing sent",
			failOn:  "record",
			want:    []string{"open", "record k1"},
			notSent: true},
		{name: "the answer cannot be recorded: the answer stands, the op stays open",
			failOn:   "finish",
			want:     []string{"open", "record k1", "send k1", `finish k1 "cus_1" ""`},
			wantOpen: []string{"k1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var trail []string
			store := &memOps{open: map[string]OneOff{}, trail: &trail, failOn: tc.failOn}
			for k, o := range tc.left {
				store.open[k] = o
			}
			keys := 0
			once := Once{Store: store, NewKey: func() string { keys++; return fmt.Sprintf("k%d", keys) }}
			err := once.Send(context.Background(), create, func(key string) (string, error) {
				trail = append(trail, "send "+key)
				if tc.answer != nil {
					return "", tc.answer
				}
				return "cus_1", nil
			})
			if !slices.Equal(trail, tc.want) {
				t.Errorf("trail %q\nwant  %q", trail, tc.want)
			}
			var nr *NotRecorded
			switch {
			case tc.notSent:
				if !errors.As(err, &nr) || nr.Err == nil {
					t.Errorf("error %v, want a *NotRecorded with the store's error", err)
				}
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) || errors.As(err, &nr) {
					t.Errorf("error %v, want %v as it came", err, tc.wantErr)
				}
			case err != nil:
				t.Errorf("error %v", err)
			}
			var open []string
			for k := range store.open {
				open = append(open, k)
			}
			slices.Sort(open)
			if !slices.Equal(open, tc.wantOpen) {
				t.Errorf("open afterwards %q, want %q", open, tc.wantOpen)
			}
		})
	}
}

// Without a store nothing is sent.
func TestOnceSendWithoutAStoreSendsNothing(t *testing.T) {
	err := Once{NewKey: func() string { return "k1" }}.Send(context.Background(), OneOff{Op: "detach_card", Request: "pm_1"},
		func(string) (string, error) {
			t.Error("sent without a store")
			return "", nil
		})
	var nr *NotRecorded
	if !errors.As(err, &nr) || nr.Err != nil {
		t.Fatalf("error %v, want a *NotRecorded without a cause", err)
	}
}

// An unknown outcome, then a try that gets through: both tries go under
// one key, recorded once, and the op is closed by the second answer.
func TestOnceSendResendsALostRequestUnderItsKey(t *testing.T) {
	var trail []string
	store := &memOps{open: map[string]OneOff{}, trail: &trail}
	keys := 0
	once := Once{Store: store, NewKey: func() string { keys++; return fmt.Sprintf("k%d", keys) }}
	op := OneOff{Op: "save_card.setup", Account: pos.Platform, Request: "cus_1\x00tmr_1"}
	answers := []error{&pos.Error{Kind: pos.KindUnknown, Message: "EOF"}, nil}
	for i, want := range answers {
		err := once.Send(context.Background(), op, func(key string) (string, error) {
			trail = append(trail, "send "+key)
			return "seti_1", answers[i]
		})
		if !errors.Is(err, want) {
			t.Fatalf("try %d: %v, want %v", i+1, err, want)
		}
	}
	want := []string{"open", "record k1", "send k1", "open", "send k1", `finish k1 "seti_1" ""`}
	if !slices.Equal(trail, want) || len(store.open) != 0 {
		t.Fatalf("trail %q (open %v)\nwant  %q", trail, store.open, want)
	}
}
