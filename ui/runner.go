package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// SaleRunner executes the effects pos.Step returns, in order, and returns
// the result events to feed back into pos.Step (their At is the time the
// answer arrived). err reports best-effort failures that produce no event
// (set_reader_display); it never replaces a result event.
//
// The shared executor (journal, logging) implements this; until then the
// console uses PortRunner.
type SaleRunner interface {
	Run(ctx context.Context, effects []pos.Effect) (events []pos.SaleEvent, err error)
}

// PortRunner is a SaleRunner that calls the ports directly. It keeps no
// journal: Record effects are accepted and dropped.
type PortRunner struct {
	Terminal pos.Terminal
	Payments pos.Payments
	Now      func() time.Time
}

// Run implements SaleRunner.
func (r PortRunner) Run(ctx context.Context, effects []pos.Effect) ([]pos.SaleEvent, error) {
	now := r.Now
	if now == nil {
		now = time.Now
	}
	var events []pos.SaleEvent
	var soft []error
	for _, e := range effects {
		ev, err := r.one(ctx, e, now)
		if ev != nil {
			events = append(events, ev)
		}
		if err != nil {
			soft = append(soft, err)
		}
	}
	return events, errors.Join(soft...)
}

func (r PortRunner) one(ctx context.Context, e pos.Effect, now func() time.Time) (pos.SaleEvent, error) {
	failed := func(seq int64, op pos.Op, err error) pos.SaleEvent {
		return pos.RequestFailed{At: now(), Seq: seq, Op: op, Err: err}
	}
	switch e := e.(type) {
	case pos.Record:
		return nil, nil
	case pos.CreateIntent:
		in, err := r.Payments.CreateIntent(ctx, e.Seller, e.Request, e.Key)
		if err != nil {
			return failed(e.Seq, pos.OpCreateIntent, err), nil
		}
		return pos.IntentCreated{At: now(), Seq: e.Seq, Intent: in}, nil
	case pos.ProcessIntent:
		rd, err := r.Terminal.ProcessIntent(ctx, e.Owner, e.ReaderID, e.IntentID, e.Config, e.Key)
		if err != nil {
			return failed(e.Seq, pos.OpProcessIntent, err), nil
		}
		return pos.ProcessAccepted{At: now(), Seq: e.Seq, Reader: rd}, nil
	case pos.PollReader:
		rd, err := r.Terminal.GetReader(ctx, e.Owner, e.ReaderID)
		if err != nil {
			return failed(e.Seq, pos.OpReadReader, err), nil
		}
		return pos.ReaderPolled{At: now(), Seq: e.Seq, Reader: rd}, nil
	case pos.GetIntent:
		in, err := r.Payments.GetIntent(ctx, e.Seller, e.IntentID)
		if err != nil {
			return failed(e.Seq, pos.OpReadIntent, err), nil
		}
		return pos.IntentRead{At: now(), Seq: e.Seq, Intent: in}, nil
	case pos.CancelReaderAction:
		rd, err := r.Terminal.CancelAction(ctx, e.Owner, e.ReaderID, e.Key)
		if err != nil {
			return failed(e.Seq, pos.OpCancelAction, err), nil
		}
		return pos.ActionCanceled{At: now(), Seq: e.Seq, Reader: rd}, nil
	case pos.CancelIntent:
		in, err := r.Payments.CancelIntent(ctx, e.Seller, e.IntentID, e.Reason, e.Key)
		if err != nil {
			return failed(e.Seq, pos.OpCancelIntent, err), nil
		}
		return pos.CancelConfirmed{At: now(), Seq: e.Seq, Intent: in}, nil
	case pos.CaptureIntent:
		in, err := r.Payments.CaptureIntent(ctx, e.Seller, e.IntentID, e.Amount, e.Key)
		if err != nil {
			return failed(e.Seq, pos.OpCaptureIntent, err), nil
		}
		return pos.IntentCaptured{At: now(), Seq: e.Seq, Intent: in}, nil
	case pos.SetDisplay:
		if _, err := r.Terminal.SetDisplay(ctx, e.Owner, e.ReaderID, e.Cart, e.Key); err != nil {
			return nil, fmt.Errorf("reader display: %s", errText(err))
		}
		return nil, nil
	}
	if seq, ok := pos.EffectSeq(e); ok {
		return pos.RequestNotSent{At: now(), Seq: seq, Reason: fmt.Sprintf("the console cannot run %T", e)}, nil
	}
	return nil, nil
}

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
func runEffectsCmd(r SaleRunner, saleID string, effs []pos.Effect, timeout time.Duration) tea.Cmd {
	if len(effs) == 0 {
		return nil
	}
	effs = append([]pos.Effect(nil), effs...)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		events, err := r.Run(ctx, effs)
		return saleResultMsg{saleID: saleID, events: events, err: err, requestIDs: requestIDs(events)}
	}
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
