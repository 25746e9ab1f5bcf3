// Package wait is the real clock's waiting that the services share as
// their default (each takes a Sleep of its own that tests replace).
package wait

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done (its error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
