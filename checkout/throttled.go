package checkout

import (
	"context"
	"math/rand/v2"
	"time"

	"kasse/pos"
)

// MaxThrottledReads bounds ReadThrottled: the first send and four more,
// after about 1, 2, 4 and 8 s.
const MaxThrottledReads = 5

// ReadThrottled runs read until Stripe stops refusing it with HTTP 429
// (rate_limit, or lock_timeout after stripe-go's own retries). A 429 means
// Stripe did not run the request, and a read changes nothing anyway, so it
// is sent again after a back-off of pos.ThrottleBase doubling to
// pos.ThrottleMax, each wait spread by ±pos.ThrottleJitter — the sale
// machine's schedule (pos.Throttle), for the reads made outside it: the
// look-ups before a sale. At most MaxThrottledReads sends, never past
// ctx; the last error is returned. sleep waits (nil: a timer that honours
// ctx); waiting (may be nil) hears of each wait, so the caller can say that
// Stripe is rate limiting.
func ReadThrottled[T any](ctx context.Context, sleep func(context.Context, time.Duration) error,
	waiting func(time.Duration), read func(context.Context) (T, error)) (T, error) {
	if sleep == nil {
		sleep = (&Runner{}).sleep
	}
	d := pos.ThrottleBase
	for n := 1; ; n++ {
		v, err := read(ctx)
		if err == nil || !pos.IsKind(err, pos.KindRateLimited) || n == MaxThrottledReads {
			return v, err
		}
		wait := time.Duration(float64(d) * (1 - pos.ThrottleJitter + 2*pos.ThrottleJitter*rand.Float64()))
		if waiting != nil {
			waiting(wait)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return v, err
		}
		d = min(2*d, pos.ThrottleMax)
	}
}
