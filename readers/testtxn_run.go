package readers

import (
	"context"
	"time"

	"kasse/pos"
)

// cleanupTimeout bounds the clean-up calls (reset the reader, cancel the
// intent), which run even when the caller's context has ended.
const cleanupTimeout = 15 * time.Second

// start creates the intent, hands it to the reader and, when simulated,
// presents the card.
func (t *testRun) start(ctx context.Context) error {
	f, p := t.f, t.p
	capture := "manual"
	if p.Capture {
		capture = "automatic"
	}
	in, err := f.Payments.CreateIntent(ctx, p.Seller, pos.CreateIntentRequest{
		Amount: t.res.Amount, Currency: t.cur.Code, CaptureMethod: capture,
		Description: "Kasse reader test on " + p.ReaderID,
		Metadata:    map[string]string{"kasse_test": "1", "kasse_reader": p.ReaderID},
	}, t.res.Keys["create"])
	if err != nil {
		return explain(err, subject{op: "create the test PaymentIntent on " + accountPhrase(p.Seller), owner: p.Seller})
	}
	t.res.IntentID, t.res.IntentStatus = in.ID, in.Status
	r, err := f.Terminal.ProcessIntent(ctx, p.Owner, p.ReaderID, in.ID, pos.ProcessConfig{SkipTipping: p.Tip == 0}, t.res.Keys["process"])
	if err != nil {
		if pos.KindOf(err) == pos.KindReaderTimeout || pos.KindOf(err) == pos.KindUnknown {
			// The reader may have the intent after all: reset it first.
			t.resetReader(ctx)
		}
		t.cancelIntent(ctx)
		return explain(err, subject{op: "hand the test payment to reader " + p.ReaderID, owner: p.Owner, readerID: p.ReaderID})
	}
	t.res.HandOff = f.now()
	t.last = r
	if !t.res.Simulated {
		return nil
	}
	r, err = f.Presenter.PresentCard(ctx, p.Owner, p.ReaderID, p.Card, p.Tip, t.res.Keys["present"])
	switch k := pos.KindOf(err); {
	case err == nil:
		t.last = r
	case k == pos.KindUnknown || k == pos.KindReaderTimeout:
		// Outcome unknown: polling finds out whether the card was presented.
		t.note("presenting the card: " + err.Error() + "; polling the reader for the outcome")
	default:
		t.resetReader(ctx)
		t.cancelIntent(ctx)
		return explain(err, subject{op: "present the test card on reader " + p.ReaderID, owner: p.Owner, readerID: p.ReaderID})
	}
	return nil
}

// await polls the reader until the action for our intent ends, the
// timeout passes or ctx ends.
func (t *testRun) await(ctx context.Context) {
	f, p := t.f, t.p
	deadline := t.res.HandOff.Add(t.reach)
	r := t.last
	for {
		if a := r.Action; a == nil || a.PaymentIntentID != t.res.IntentID {
			t.res.Outcome = OutcomeInterrupted
			t.note("the reader's action was cleared or replaced (now: " + DescribeAction(a) + ")")
			t.stop(r)
			return
		} else if a.Status == pos.ActionSucceeded || a.Status == pos.ActionFailed {
			t.res.FailureCode, t.res.FailureMessage = a.FailureCode, a.FailureMessage
			t.res.Outcome = OutcomeApproved
			if a.Status == pos.ActionFailed {
				t.res.Outcome = OutcomeFailed
			}
			t.stop(r)
			return
		}
		now := f.now()
		if !now.Before(deadline) {
			t.res.Outcome = OutcomeTimeout
			t.note("no result from the reader within " + t.reach.String())
			t.stop(r)
			return
		}
		if err := f.sleep(ctx, min(f.pollInterval(), deadline.Sub(now))); err != nil {
			t.res.Outcome = OutcomeTimeout
			t.note("stopped waiting: " + err.Error())
			t.stop(r)
			return
		}
		next, err := f.Terminal.GetReader(ctx, p.Owner, p.ReaderID)
		t.res.Polls++
		if err != nil {
			if k := pos.KindOf(err); k == pos.KindNotFound || k == pos.KindAuth {
				t.res.Outcome = OutcomeInterrupted
				t.note(explain(err, subject{op: "read reader " + p.ReaderID, owner: p.Owner, readerID: p.ReaderID}).Error())
				t.stop(r)
				return
			}
			continue // transient: try again next tick
		}
		r = next
	}
}

// stop records the time of the result.
func (t *testRun) stop(r pos.Reader) {
	t.last = r
	t.res.Elapsed = t.f.now().Sub(t.res.HandOff)
	t.res.ElapsedMS = t.res.Elapsed.Milliseconds()
}

// finish reads the intent, decides pass/fail and cleans up.
func (t *testRun) finish(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	in, err := t.f.Payments.GetIntent(ctx, t.p.Seller, t.res.IntentID)
	if err == nil {
		t.res.IntentStatus = in.Status
		if le := in.LastError; le != nil && t.res.Outcome != OutcomeApproved {
			t.res.DeclineCode = le.DeclineCode
			if t.res.FailureCode == "" {
				t.res.FailureCode, t.res.FailureMessage = le.Code, le.Message
			}
			if le.Type == "card_error" {
				t.res.Outcome = OutcomeDeclined
			}
		}
	} else {
		t.note("could not read the test intent: " + err.Error())
	}
	switch t.res.Outcome {
	case OutcomeFailed:
		switch t.res.FailureCode {
		case "customer_canceled", "connection_error", "intent_invalid_state", "":
		default:
			t.res.Outcome = OutcomeDeclined
		}
	case OutcomeTimeout:
		t.resetReader(ctx)
	}
	t.res.Passed = t.res.Outcome == OutcomeApproved
	// A connection_error (or a late result) can hide an authorization:
	// the intent is the truth.
	if t.res.IntentStatus == pos.IntentSucceeded || t.res.IntentStatus == pos.IntentRequiresCapture {
		if t.res.Outcome != OutcomeApproved {
			t.note("the reader reported " + string(t.res.Outcome) + " but the intent is " + t.res.IntentStatus)
		}
		t.res.Outcome, t.res.Passed = OutcomeApproved, true
	}
	if t.res.IntentStatus != pos.IntentSucceeded && t.res.IntentStatus != pos.IntentCanceled {
		t.cancelIntent(ctx)
		if t.res.Canceled && t.res.Passed {
			t.note("authorization voided: no money moved")
		}
	}
}

// resetReader cancels the reader's action if it still holds our intent.
func (t *testRun) resetReader(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	p := t.p
	r, err := t.f.Terminal.GetReader(ctx, p.Owner, p.ReaderID)
	if err == nil && (r.Action == nil || r.Action.PaymentIntentID != t.res.IntentID || r.Action.Status != pos.ActionInProgress) {
		return // not ours (any more)
	}
	if _, err := t.f.Terminal.CancelAction(ctx, p.Owner, p.ReaderID, t.res.Keys["reset"]); err != nil {
		t.note("could not reset the reader: " + explain(err, subject{op: "clear reader " + p.ReaderID, owner: p.Owner, readerID: p.ReaderID}).Error())
		return
	}
	t.note("reader action cancelled")
}

// cancelIntent cancels the test intent; a failure is recorded, and the
// intent's status read again.
func (t *testRun) cancelIntent(ctx context.Context) {
	if t.res.IntentID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	in, err := t.f.Payments.CancelIntent(ctx, t.p.Seller, t.res.IntentID, "abandoned", t.res.Keys["cancel"])
	if err == nil {
		t.res.Canceled, t.res.IntentStatus = true, in.Status
		return
	}
	t.res.CancelError = explain(err, subject{op: "cancel test intent " + t.res.IntentID, owner: t.p.Seller}).Error()
	if in, err := t.f.Payments.GetIntent(ctx, t.p.Seller, t.res.IntentID); err == nil {
		t.res.IntentStatus = in.Status
	}
}

func (t *testRun) note(s string) { t.res.Notes = append(t.res.Notes, s) }
