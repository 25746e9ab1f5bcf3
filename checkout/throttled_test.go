package checkout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/pos"
)

// A read refused with 429 is sent again after the sale machine's back-off
// (1 s doubling, ±50 %), at most MaxThrottledReads times; anything else
// is returned at once.
func TestReadThrottled(t *testing.T) {
	limited := &pos.Error{Kind: pos.KindRateLimited, Code: "rate_limit"}
	ctx := context.Background()
	run := func(answers []error) (int, []time.Duration, []time.Duration, error) {
		var calls int
		var slept, heard []time.Duration
		sleep := func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
		_, err := checkout.ReadThrottled(ctx, sleep, func(d time.Duration) { heard = append(heard, d) },
			func(context.Context) (string, error) {
				err := answers[min(calls, len(answers)-1)]
				calls++
				return "", err
			})
		return calls, slept, heard, err
	}

	calls, slept, heard, err := run([]error{limited, limited, nil})
	if err != nil || calls != 3 || len(slept) != 2 || len(heard) != 2 {
		t.Fatalf("two 429s then an answer: %d calls, slept %v, %v", calls, slept, err)
	}
	for i, want := range []time.Duration{pos.ThrottleBase, 2 * pos.ThrottleBase} {
		if slept[i] < want/2 || slept[i] > want*3/2 || heard[i] != slept[i] {
			t.Errorf("wait %d = %s (told %s), want %s ±50%%", i+1, slept[i], heard[i], want)
		}
	}

	calls, slept, _, err = run([]error{limited})
	if !pos.IsKind(err, pos.KindRateLimited) || calls != checkout.MaxThrottledReads || len(slept) != checkout.MaxThrottledReads-1 {
		t.Fatalf("always 429: %d calls, %d waits, %v", calls, len(slept), err)
	}
	if last := slept[len(slept)-1]; last > pos.ThrottleMax*3/2 {
		t.Errorf("last wait %s beyond the cap %s", last, pos.ThrottleMax)
	}

	other := &pos.Error{Kind: pos.KindNotFound}
	if calls, _, _, err = run([]error{other}); calls != 1 || !errors.Is(err, other) {
		t.Fatalf("not found: %d calls, %v; want one call and its error", calls, err)
	}

	// A context that ends stops the waiting.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	n := 0
	_, err = checkout.ReadThrottled(cctx, nil, nil, func(context.Context) (int, error) { n++; return 0, limited })
	if n != 1 || !pos.IsKind(err, pos.KindRateLimited) {
		t.Fatalf("canceled context: %d calls, %v", n, err)
	}
}
