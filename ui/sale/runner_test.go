package sale_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestRequestIDsFromEvents(t *testing.T) {
	events := []pos.SaleEvent{
		pos.IntentCreated{Intent: pos.Intent{RequestID: "req_create"}},
		pos.ProcessAccepted{Reader: pos.Reader{RequestID: "req_process"}},
		pos.ReaderPolled{Reader: pos.Reader{}}, // no id: skipped
		pos.RequestFailed{Err: &pos.Error{Kind: pos.KindReaderBusy, RequestID: "req_busy"}},
		pos.RequestFailed{Err: errors.New("dial tcp: timeout")}, // a network error has none
	}
	if got := strings.Join(sale.RequestIDs(events), ","); got != "req_create,req_process,req_busy" {
		t.Errorf("request ids = %s", got)
	}
}

// recordingRunner wraps the shared executor: the console must use
// Deps.Runner for every effect.
type recordingRunner struct {
	inner *checkout.Runner
	runs  [][]string
}

func (r *recordingRunner) Run(ctx context.Context, effs []pos.Effect) ([]pos.SaleEvent, error) {
	var names []string
	for _, e := range effs {
		names = append(names, strings.TrimPrefix(fmt.Sprintf("%T", e), "pos."))
	}
	r.runs = append(r.runs, names)
	return r.inner.Run(ctx, effs)
}

func TestDepsRunnerIsUsed(t *testing.T) {
	rr := &recordingRunner{}
	uitest.Charging(t, func(d *ui.Deps) {
		rr.inner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Journal: &uitest.MemJournal{}}
		d.Runner = rr
	})
	var got []string
	for _, r := range rr.runs {
		got = append(got, strings.Join(r, "+"))
	}
	// The last Record journals the move to waiting_for_card that the
	// process answer caused.
	if want := "Record+CreateIntent | Record+ProcessIntent | Record"; strings.Join(got, " | ") != want {
		t.Errorf("runs = %s, want %s", strings.Join(got, " | "), want)
	}
}

// A sale that settles on a poll is written to the journal by the runner
// (Update does no I/O itself): after the approval the journal's newest copy
// of the sale is the approved one.
func TestSettledSaleIsJournaled(t *testing.T) {
	j := &uitest.MemJournal{}
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Journal: j}
	})
	id := payment(f.H).Sale().ID
	if s, ok := j.Last(id); !ok || s.State != pos.SaleWaitingForCard {
		t.Fatalf("before the card: journal has %v (%v), want waiting_for_card", s.State, ok)
	}
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	f.H.Fire(sale.SaleTick{})
	if !f.H.On("Receipt") {
		t.Fatalf("on %q, want the receipt", f.H.Top().Title())
	}
	if s, ok := j.Last(id); !ok || s.State != pos.SaleApproved || s.IntentID != "pi_1" {
		t.Fatalf("journal after approval: %v %q (%v), want approved pi_1", s.State, s.IntentID, ok)
	}
}
