package events

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"kasse/internal/cli"
	"kasse/internal/testkit"
	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
)

func (w *world) catchUp() *CatchUp {
	return &CatchUp{Feed: w.c, Sellers: w.c, Journal: w.j, Handler: w.h}
}

// TestCatchUpAfterTheConsoleWasDown: with no webhooks, a console that was
// off reads what it missed — a Dashboard refund, a capture and a void by
// another system, a dispute — applies each once, moves its cursor, and a
// second run (or the same events by webhook) changes nothing.
func TestCatchUpAfterTheConsoleWasDown(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	cu := w.catchUp()
	if _, err := cu.Run(ctx); err != nil { // the console's first start: cursors at its sales
		t.Fatal(err)
	}
	paid := w.sell("till-1-paid", 2000, "4242424242424242", "automatic")
	auth1 := w.sell("till-1-auth1", 900, "4242424242424242", "manual")
	auth2 := w.sell("till-1-auth2", 700, "4242424242424242", "manual")
	disputed := w.sell("till-1-disp", 1500, "4000000000000259", "automatic")
	if auth1.State != pos.SaleRequiresCapture {
		t.Fatalf("manual sale %s", auth1.State)
	}
	// The console is off. Elsewhere:
	re := w.dashboardRefund(paid.IntentID, 500)
	cp := &stripe.PaymentIntentCaptureParams{AmountToCapture: stripe.Int64(600)}
	cp.SetStripeAccount(string(w.lumen.ID))
	if _, err := w.sc.PaymentIntents.Capture(auth1.IntentID, cp); err != nil {
		t.Fatal(err)
	}
	cc := &stripe.PaymentIntentCancelParams{}
	cc.SetStripeAccount(string(w.lumen.ID))
	if _, err := w.sc.PaymentIntents.Cancel(auth2.IntentID, cc); err != nil {
		t.Fatal(err)
	}
	var dp string
	eventually(t, "the dispute", func() bool {
		ds, err := w.c.ListDisputes(ctx, w.lumen.ID, pos.DisputeFilter{IntentID: disputed.IntentID})
		if err == nil && len(ds) == 1 {
			dp = ds[0].ID
		}
		return dp != ""
	})
	last, _ := w.j.LastNotice(ctx)

	// The console starts again.
	sum, err := cu.Run(ctx)
	if err != nil || len(sum.Failed) > 0 {
		t.Fatalf("catch-up: %+v %v", sum, err)
	}
	if sum.New == 0 || sum.New != sum.Read {
		t.Errorf("summary %+v", sum)
	}
	if got, n := w.refunded(paid.ID); got != 500 || n != 1 {
		t.Errorf("refunded %d in %d refunds", got, n)
	}
	if rf, ok, _ := w.j.RefundByStripeID(ctx, re); !ok || rf.ID != ExternalRefundID(re) {
		t.Errorf("refund %s not recorded", re)
	}
	if s, _ := w.j.Sale(ctx, auth1.ID); s.State != pos.SaleApproved || s.Amount != 600 {
		t.Errorf("captured elsewhere: %s %d", s.State, s.Amount)
	}
	if s, _ := w.j.Sale(ctx, auth2.ID); s.State != pos.SaleCanceled {
		t.Errorf("voided elsewhere: %s", s.State)
	}
	d, ok, err := w.j.DisputeForIntent(ctx, disputed.IntentID)
	if !ok || err != nil || d.ID != dp || d.Status != pos.DisputeNeedsResponse || d.Reason != "fraudulent" || d.Account != w.lumen.ID {
		t.Errorf("dispute %+v %v %v", d, ok, err)
	}
	if r, _ := w.j.DisputeRecordByID(ctx, dp); r.SaleID != disputed.ID {
		t.Errorf("dispute linked to %q, want %s", r.SaleID, disputed.ID)
	}
	ns, _ := w.j.Notices(ctx, last, 0)
	kinds := map[pos.NoticeKind]int{}
	for _, n := range ns {
		kinds[n.Kind]++
	}
	want := map[pos.NoticeKind]int{pos.NoticeRefundElsewhere: 1, pos.NoticeCaptured: 1, pos.NoticeCanceled: 1, pos.NoticeDisputeOpened: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("notices %v, want %v", kinds, want)
			break
		}
	}
	cur, ok, _ := w.j.EventCursor(ctx, w.lumen.ID)
	if !ok || cur.LastID == "" {
		t.Errorf("cursor %+v", cur)
	}

	// Again: nothing new, nothing changes.
	again, err := cu.Run(ctx)
	if err != nil || again.Read != 0 || again.New != 0 {
		t.Errorf("second run: %+v %v", again, err)
	}
	if got, n := w.refunded(paid.ID); got != 500 || n != 1 {
		t.Errorf("after a second run: refunded %d in %d refunds", got, n)
	}
	// The same events delivered by webhook change nothing either.
	evs, _ := w.j.Events(ctx, journal.EventFilter{Account: w.lumen.ID})
	for _, r := range evs {
		res, err := w.h.Handle(ctx, r.Event, journal.SourceWebhook)
		if err != nil || res.New {
			t.Fatalf("%s again: %+v %v", r.Event.ID, res, err)
		}
	}
	if ns2, _ := w.j.Notices(ctx, last, 0); len(ns2) != len(ns) {
		t.Errorf("notices grew from %d to %d", len(ns), len(ns2))
	}
}

// TestBadEvents: an event for an unknown seller, of an unknown type, or
// before its sale is written: kept, no crash, no wrong state, a clear log
// line, and applied once it can be.
func TestBadEvents(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	intent := func(id, sale, status string, amount int64) *pos.Intent {
		return &pos.Intent{ID: id, Status: status, Amount: amount, AmountReceived: amount, Currency: "usd",
			Metadata: map[string]string{"kasse_sale_id": sale, "kasse_console_id": w.console}}
	}
	now := time.Now()
	cases := []pos.Event{
		{ID: "evt_unknown_seller", Type: pos.EventIntentSucceeded, Account: "acct_1NotOurs00000000", Created: now,
			ObjectType: "payment_intent", Intent: intent("pi_a", "s-a", pos.IntentSucceeded, 100)},
		{ID: "evt_unknown_type", Type: "kasse.made_up", Account: w.lumen.ID, Created: now},
		{ID: "evt_not_acted_on", Type: "customer.created", Account: w.lumen.ID, Created: now},
		{ID: "evt_other_console", Type: pos.EventIntentSucceeded, Account: w.lumen.ID, Created: now, ObjectType: "payment_intent",
			Intent: &pos.Intent{ID: "pi_o", Status: pos.IntentSucceeded, Metadata: map[string]string{"kasse_sale_id": "s-o", "kasse_console_id": "till-9"}}},
		{ID: "evt_early", Type: pos.EventIntentSucceeded, Account: w.lumen.ID, Created: now, ObjectType: "payment_intent",
			Intent: intent("pi_early", "till-1-early", pos.IntentSucceeded, 800)},
	}
	want := map[string]journal.EventState{"evt_unknown_seller": journal.EventPending, "evt_unknown_type": journal.EventIgnored,
		"evt_not_acted_on": journal.EventIgnored, "evt_other_console": journal.EventIgnored, "evt_early": journal.EventPending}
	for _, ev := range cases {
		res, err := w.h.Handle(ctx, ev, journal.SourceWebhook)
		if err != nil {
			t.Fatalf("%s: %v", ev.ID, err)
		}
		if res.State != want[ev.ID] {
			t.Errorf("%s: %s (%s), want %s", ev.ID, res.State, res.Note, want[ev.ID])
		}
		if r, err := w.j.EventRecordByID(ctx, ev.ID); err != nil || r.State != want[ev.ID] {
			t.Errorf("%s in the journal: %v %v", ev.ID, r.State, err)
		}
	}
	logs := w.logs.String()
	for _, s := range []string{`unknown seller acct_1NotOurs00000000`, `unknown event type \"kasse.made_up\"`, "sale till-1-early is not in the journal yet"} {
		if !strings.Contains(logs, s) {
			t.Errorf("no log line says %q:\n%s", s, logs)
		}
	}
	// The sale is written (authorized at this console): the early event
	// (captured elsewhere) now applies.
	w.saveSale("till-1-early", pos.Intent{ID: "pi_early", Status: pos.IntentRequiresCapture, Amount: 800, AmountCapturable: 800, Created: now})
	settled, waiting, err := w.h.Drain(ctx)
	if err != nil || settled != 1 || waiting != 1 {
		t.Fatalf("drain: %d settled, %d waiting, %v", settled, waiting, err)
	}
	if s, _ := w.j.Sale(ctx, "till-1-early"); s.State != pos.SaleApproved || s.Amount != 800 {
		t.Errorf("early event applied late: %s %d", s.State, s.Amount)
	}
	// Waiting too long: given up, with the reason.
	w.h.Now = func() time.Time { return time.Now().Add(DefaultPendingFor + time.Hour) }
	if _, waiting, _ := w.h.Drain(ctx); waiting != 0 {
		t.Errorf("%d still waiting after the pending time", waiting)
	}
	r, _ := w.j.EventRecordByID(ctx, "evt_unknown_seller")
	if r.State != journal.EventIgnored || !strings.Contains(r.Note, "gave up") || !strings.Contains(r.Note, "unknown seller") {
		t.Errorf("given up: %s %q", r.State, r.Note)
	}
}

// TestEventsLeaveRunningSalesAlone: a sale that another Kasse drives (its
// claim) or that is under way is not touched; its event waits.
func TestEventsLeaveRunningSalesAlone(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	s := w.sell("till-1-held", 900, "4242424242424242", "manual")
	release, ok, err := w.j.ClaimSale(s.ID) // "another process" (another claim in this one counts too)
	if err != nil || !ok {
		t.Fatal(err)
	}
	ev := pos.Event{ID: "evt_held", Type: pos.EventIntentCanceled, Account: w.lumen.ID, Created: time.Now(), ObjectType: "payment_intent",
		Intent: &pos.Intent{ID: s.IntentID, Status: pos.IntentCanceled, Metadata: map[string]string{"kasse_sale_id": s.ID}}}
	res, err := w.h.Handle(ctx, ev, journal.SourceCatchUp)
	if err != nil || res.State != journal.EventPending || !strings.Contains(res.Note, "another running Kasse") {
		t.Fatalf("held: %+v %v", res, err)
	}
	if got, _ := w.j.Sale(ctx, s.ID); got.State != pos.SaleRequiresCapture {
		t.Fatalf("a held sale changed: %s", got.State)
	}
	release()
	if _, _, err := w.h.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.j.Sale(ctx, s.ID); got.State != pos.SaleCanceled {
		t.Errorf("after the claim was released: %s", got.State)
	}
	// This process drives a sale in a decision: it waits; authorized: it applies.
	w.h.Holds = func(id string) bool { return id == "till-1-mine" }
	mine := w.sell("till-1-mine", 500, "4242424242424242", "manual")
	ev2 := pos.Event{ID: "evt_mine", Type: pos.EventIntentSucceeded, Account: w.lumen.ID, Created: time.Now(), ObjectType: "payment_intent",
		Intent: &pos.Intent{ID: mine.IntentID, Status: pos.IntentSucceeded, Amount: 500, AmountReceived: 500, Metadata: map[string]string{"kasse_sale_id": mine.ID}}}
	if res, err := w.h.Handle(ctx, ev2, journal.SourceCatchUp); err != nil || res.State != journal.EventApplied {
		t.Errorf("an authorized sale of this process: %+v %v", res, err)
	}
}

// TestDisputeEventsKeepTheLatestState: a dispute's events in any order
// leave its latest state, and each change tells supervisors once.
func TestDisputeEventsKeepTheLatestState(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	s := w.sell("till-1-d", 1500, "4000000000000259", "automatic")
	var ds []pos.Dispute
	eventually(t, "the dispute", func() bool {
		ds, _ = w.c.ListDisputes(ctx, w.lumen.ID, pos.DisputeFilter{IntentID: s.IntentID})
		return len(ds) == 1
	})
	if _, err := w.c.UpdateDispute(ctx, w.lumen.ID, ds[0].ID, map[string]string{pos.EvidenceUncategorizedText: "losing_evidence"}, true, w.key("ev")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "lost", func() bool { d, _ := w.c.GetDispute(ctx, w.lumen.ID, ds[0].ID); return d.Status == pos.DisputeLost })
	evs, err := w.c.ListEvents(ctx, w.lumen.ID, "charge.dispute.*", 0) // newest first: apply in that (reverse) order
	if err != nil || len(evs) < 4 {
		t.Fatalf("dispute events: %d %v", len(evs), err)
	}
	last, _ := w.j.LastNotice(ctx)
	for _, ev := range evs {
		if _, err := w.h.Handle(ctx, ev, journal.SourceCatchUp); err != nil {
			t.Fatal(err)
		}
	}
	d, _, _ := w.j.DisputeForIntent(ctx, s.IntentID)
	if d.Status != pos.DisputeLost || d.SubmissionCount != 1 {
		t.Errorf("after events newest first: %s (%d submissions)", d.Status, d.SubmissionCount)
	}
	ns, _ := w.j.Notices(ctx, last, 0)
	if len(ns) != 1 || ns[0].Kind != pos.NoticeDisputeClosed || ns[0].Status != pos.DisputeLost {
		t.Errorf("notices %+v, want one: closed, lost (older states came after it)", ns)
	}
}

func TestTail(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out testkit.SyncBuffer
	done, ready := make(chan int, 1), make(chan struct{})
	go func() {
		done <- RunTail(ctx, TailDeps{Feed: w.c, Sellers: w.c, Ready: func() { close(ready) }},
			[]string{"--seller", string(w.lumen.ID), "--max", "3", "--interval", "20ms"}, cli.IO{Out: &out, Err: &out})
	}()
	<-ready // tail starts from now: what follows is new
	s := w.sell("till-1-tail", 1000, "4242424242424242", "automatic")
	if code := <-done; code != ExitOK {
		t.Fatalf("tail exited %d: %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "--> payment_intent.created [evt_") || !strings.Contains(lines[0], s.IntentID) ||
		!strings.Contains(lines[0], string(w.lumen.ID)) {
		t.Errorf("tail printed:\n%s", out.String())
	}
	var js bytes.Buffer
	code := RunTail(ctx, TailDeps{Feed: w.c, Sellers: w.c}, []string{"--json", "--since", "1m", "--max", "1"}, cli.IO{Out: &js, Err: &js})
	if code != ExitOK || !strings.HasPrefix(js.String(), `{"`) || !strings.Contains(js.String(), `"object":"event"`) || strings.Count(js.String(), "\n") != 1 {
		t.Errorf("--json: %d %s", code, js.String())
	}
	var bad bytes.Buffer
	if code := RunTail(ctx, TailDeps{Feed: w.c, Sellers: w.c}, []string{"--seller", "lumen"}, cli.IO{Out: &bad, Err: &bad}); code != ExitUsage {
		t.Errorf("--seller lumen: %d", code)
	}
}

// TestChargeRefundedAloneRecordsTheRefund: on 2023-10-16 a card refund
// that succeeds at once may reach Kasse only as charge.refunded, whose
// charge names no refund; the handler lists the payment's refunds and
// records the one it does not know, with a notice. The refund's own
// charge.refund.updated afterwards changes nothing, and neither does a
// second charge.refunded. Without a refund lister the event is only noted.
func TestChargeRefundedAloneRecordsTheRefund(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	ctx := context.Background()
	s := w.sell("till-1-dash", 1800, "4242424242424242", "automatic")
	re := w.dashboardRefund(s.IntentID, 700)
	byType := func(typ string) pos.Event {
		evs, err := w.c.ListEvents(ctx, w.lumen.ID, typ, 1)
		if err != nil || len(evs) != 1 {
			t.Fatalf("%s: %d %v", typ, len(evs), err)
		}
		return evs[0]
	}
	refunded, updated := byType("charge.refunded"), byType("charge.refund.updated")

	res, err := (&Handler{Journal: w.j, ConsoleID: w.console, Known: knownSellers(w.c)}).decide(ctx, refunded)
	if err != nil || res.State != journal.EventIgnored {
		t.Fatalf("without a lister: %+v %v", res, err)
	}

	w.h.Refunds = w.c
	res, err = w.h.Handle(ctx, refunded, journal.SourceWebhook)
	if err != nil || res.State != journal.EventApplied || res.SaleID != s.ID {
		t.Fatalf("charge.refunded: %+v %v", res, err)
	}
	if res.Notice == nil || res.Notice.Kind != pos.NoticeRefundElsewhere || res.Notice.Amount != 700 {
		t.Errorf("notice %+v", res.Notice)
	}
	if got, n := w.refunded(s.ID); got != 700 || n != 1 {
		t.Fatalf("refunded %d in %d refunds", got, n)
	}
	if rf, ok, _ := w.j.RefundByStripeID(ctx, re); !ok || rf.ID != ExternalRefundID(re) {
		t.Errorf("refund %s not recorded as external", re)
	}
	res, err = w.h.Handle(ctx, updated, journal.SourceWebhook)
	if err != nil || res.Notice != nil {
		t.Fatalf("charge.refund.updated after: %+v %v", res, err)
	}
	again := refunded
	again.ID = "evt_second_delivery_of_a_new_id"
	if res, err = w.h.Handle(ctx, again, journal.SourceCatchUp); err != nil || res.Notice != nil {
		t.Fatalf("charge.refunded again: %+v %v", res, err)
	}
	if got, n := w.refunded(s.ID); got != 700 || n != 1 {
		t.Errorf("after the repeats: refunded %d in %d refunds", got, n)
	}
}
