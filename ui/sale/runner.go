package sale

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui/app"
)

// saleResultMsg carries the answers to one effect list of one sale.
type saleResultMsg struct {
	saleID string
	events []pos.SaleEvent
	err    error // best-effort failures (reader display)
	// requestIDs are the Stripe request ids seen in the answers, in order.
	requestIDs []string
}

// runEffectsCmd runs effs for sale saleID. It copies the slice; the effects
// themselves are values.
func runEffectsCmd(r app.SaleRunner, saleID string, effs []pos.Effect, timeout time.Duration) tea.Cmd {
	if len(effs) == 0 {
		return nil
	}
	effs = append([]pos.Effect(nil), effs...)
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		events, err := r.Run(ctx, effs)
		return saleResultMsg{saleID: saleID, events: events, err: err, requestIDs: requestIDs(events)}
	})
}

// requestIDs collects the Stripe request ids from result events.
func requestIDs(events []pos.SaleEvent) []string {
	var out []string
	add := func(id string) {
		if id != "" {
			out = append(out, id)
		}
	}
	for _, ev := range events {
		switch e := ev.(type) {
		case pos.IntentCreated:
			add(e.Intent.RequestID)
		case pos.ProcessAccepted:
			add(e.Reader.RequestID)
		case pos.ReaderPolled:
			add(e.Reader.RequestID)
		case pos.IntentRead:
			add(e.Intent.RequestID)
		case pos.ActionCanceled:
			add(e.Reader.RequestID)
		case pos.CancelConfirmed:
			add(e.Intent.RequestID)
		case pos.IntentCaptured:
			add(e.Intent.RequestID)
		case pos.RequestFailed:
			var pe *pos.Error
			if errors.As(e.Err, &pe) {
				add(pe.RequestID)
			}
		}
	}
	return out
}
