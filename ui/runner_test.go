package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

func TestPortRunnerMapsEffectsToEvents(t *testing.T) {
	term := demoTerminal()
	pay := &fakePayments{}
	at := testNow.Add(time.Minute)
	r := PortRunner{Terminal: term, Payments: pay, Now: func() time.Time { return at }}
	ctx := context.Background()
	in, _ := pay.CreateIntent(ctx, "acct_1", pos.CreateIntentRequest{Amount: 500, Currency: "eur"}, "seed")
	pay.calls = nil

	effs := []pos.Effect{
		pos.Record{For: pos.OpCreateIntent, Key: "k-create"},
		pos.CreateIntent{Seq: 1, Key: "k-create", Seller: "acct_1", Request: pos.CreateIntentRequest{Amount: 700, Currency: "eur"}},
		pos.ProcessIntent{Seq: 2, Key: "k-process-1", Owner: pos.Platform, ReaderID: "tmr_front", IntentID: in.ID},
		pos.PollReader{Seq: 3, Owner: pos.Platform, ReaderID: "tmr_front"},
		pos.GetIntent{Seq: 4, Seller: "acct_1", IntentID: in.ID},
		pos.CancelReaderAction{Seq: 5, Key: "k-ca-1", Owner: pos.Platform, ReaderID: "tmr_front", IntentID: in.ID},
		pos.CaptureIntent{Seq: 6, Key: "k-cap-1", Seller: "acct_1", IntentID: in.ID},
		pos.CancelIntent{Seq: 7, Key: "k-cancel-1", Seller: "acct_1", IntentID: in.ID, Reason: "abandoned"},
		pos.SetDisplay{Key: "k-display-1", Owner: pos.Platform, ReaderID: "tmr_front", Cart: pos.DisplayCart{Currency: "eur", Total: 1}},
		pos.ListRefunds{Seq: 8, Seller: "acct_1", IntentID: in.ID},
	}
	events, err := r.Run(ctx, effs)
	if err != nil {
		t.Fatalf("soft error: %v", err)
	}
	var got []string
	for _, ev := range events {
		got = append(got, fmt.Sprintf("%T", ev))
		if !ev.When().Equal(at) {
			t.Errorf("%T at %v, want the runner's clock", ev, ev.When())
		}
	}
	want := "pos.IntentCreated pos.ProcessAccepted pos.ReaderPolled pos.IntentRead pos.ActionCanceled " +
		"pos.IntentCaptured pos.CancelConfirmed pos.RequestNotSent"
	if strings.Join(got, " ") != want {
		t.Errorf("events:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if ns := events[len(events)-1].(pos.RequestNotSent); ns.Seq != 8 {
		t.Errorf("not-sent seq = %d", ns.Seq)
	}
	keys := map[string]string{}
	for _, c := range append(pay.calls, term.calls...) {
		keys[c.Op] = c.IdemKey
	}
	for op, k := range map[string]string{"CreateIntent": "k-create", "ProcessIntent": "k-process-1",
		"CancelAction": "k-ca-1", "CaptureIntent": "k-cap-1", "CancelIntent": "k-cancel-1", "SetDisplay": "k-display-1"} {
		if keys[op] != k {
			t.Errorf("%s sent key %q, want %q (the machine's)", op, keys[op], k)
		}
	}
}

func TestPortRunnerFailures(t *testing.T) {
	term := demoTerminal()
	pay := &fakePayments{createErr: []error{&pos.Error{Kind: pos.KindInvalidRequest, Message: "bad", RequestID: "req_bad"}}}
	term.processErr = []error{errors.New("dial tcp: timeout")}
	term.displayErr = &pos.Error{Kind: pos.KindReaderBusy, Message: "busy"}
	r := PortRunner{Terminal: term, Payments: pay}
	events, err := r.Run(context.Background(), []pos.Effect{
		pos.CreateIntent{Seq: 1, Key: "a"},
		pos.ProcessIntent{Seq: 2, Key: "b", ReaderID: "tmr_front", IntentID: "pi_1"},
		pos.SetDisplay{Key: "c", ReaderID: "tmr_front"},
	})
	if err == nil || !strings.Contains(err.Error(), "reader display: reader busy: busy") {
		t.Errorf("soft error = %v", err)
	}
	if len(events) != 2 {
		t.Fatalf("events = %+v", events)
	}
	f1, f2 := events[0].(pos.RequestFailed), events[1].(pos.RequestFailed)
	if f1.Seq != 1 || f1.Op != pos.OpCreateIntent || pos.KindOf(f1.Err) != pos.KindInvalidRequest {
		t.Errorf("create failure = %+v", f1)
	}
	if f2.Seq != 2 || f2.Op != pos.OpProcessIntent || pos.KindOf(f2.Err) != pos.KindUnknown {
		t.Errorf("process failure = %+v", f2)
	}
	if ids := requestIDs(events); strings.Join(ids, ",") != "req_bad" {
		t.Errorf("request ids = %v", ids)
	}
}

// recordingRunner stands in for the shared executor: the console must use
// Deps.Runner for every effect.
type recordingRunner struct {
	inner PortRunner
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
	f := charging(t, func(d *Deps) {
		rr.inner = PortRunner{Terminal: d.Terminal, Payments: d.Payments, Now: d.Now}
		d.Runner = rr
	})
	var got []string
	for _, r := range rr.runs {
		got = append(got, strings.Join(r, "+"))
	}
	if want := "Record+CreateIntent | Record+ProcessIntent"; strings.Join(got, " | ") != want {
		t.Errorf("runs = %s, want %s", strings.Join(got, " | "), want)
	}
	_ = f
}
