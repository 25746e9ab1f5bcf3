package readers

import (
	"context"
	"time"

	"kasse/i18n"
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
		Description: "Kasse reader test on " + p.ReaderID, // i18n:ok the PaymentIntent's description at Stripe, data the Dashboard shows
		Metadata:    map[string]string{"kasse_test": "1", "kasse_reader": p.ReaderID},
	}, t.res.Keys["create"])
	if err != nil {
		return explain(err, subject{op: i18n.M("cli.readers.op.create_test_intent", i18n.Args{"Account": accountPhrase(p.Seller)}), owner: p.Seller})
	}
	t.res.IntentID, t.res.IntentStatus = in.ID, in.Status
	r, err := f.Terminal.ProcessIntent(ctx, p.Owner, p.ReaderID, in.ID, pos.ProcessConfig{SkipTipping: p.Tip == 0}, t.res.Keys["process"])
	if err != nil {
		if pos.KindOf(err) == pos.KindReaderTimeout || pos.KindOf(err) == pos.KindUnknown {
			// The reader may have the intent after all: reset it first.
			t.resetReader(ctx)
		}
		t.cancelIntent(ctx)
		return explain(err, subject{op: i18n.M("cli.readers.op.hand_test", i18n.Args{"ID": p.ReaderID}), owner: p.Owner, readerID: p.ReaderID})
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
		t.note(i18n.M("cli.readers.note.present_unknown", i18n.Args{"Error": err}))
	default:
		t.resetReader(ctx)
		t.cancelIntent(ctx)
		return explain(err, subject{op: i18n.M("cli.readers.op.present_card", i18n.Args{"ID": p.ReaderID}), owner: p.Owner, readerID: p.ReaderID})
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
			t.note(i18n.M("cli.readers.note.replaced", i18n.Args{"Action": ActionMessage(a)}))
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
			t.note(i18n.M("cli.readers.note.no_result", i18n.Args{"Timeout": t.reach}))
			t.stop(r)
			return
		}
		if err := f.sleep(ctx, min(f.pollInterval(), deadline.Sub(now))); err != nil {
			t.res.Outcome = OutcomeTimeout
			t.note(i18n.M("cli.readers.note.stopped", i18n.Args{"Error": err}))
			t.stop(r)
			return
		}
		next, err := f.Terminal.GetReader(ctx, p.Owner, p.ReaderID)
		t.res.Polls++
		if err != nil {
			if k := pos.KindOf(err); k == pos.KindNotFound || k == pos.KindAuth {
				t.res.Outcome = OutcomeInterrupted
				t.note(i18n.M("cli.readers.note.error", i18n.Args{"Error": explain(err, subject{op: readReader(p.ReaderID), owner: p.Owner, readerID: p.ReaderID})}))
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
		t.note(i18n.M("cli.readers.note.intent_unread", i18n.Args{"Error": err}))
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
			t.note(i18n.M("cli.readers.note.intent_truth", i18n.Args{"Outcome": string(t.res.Outcome), "Status": t.res.IntentStatus}))
		}
		t.res.Outcome, t.res.Passed = OutcomeApproved, true
	}
	if t.res.IntentStatus != pos.IntentSucceeded && t.res.IntentStatus != pos.IntentCanceled {
		t.cancelIntent(ctx)
		if t.res.Canceled && t.res.Passed {
			t.note(i18n.M("cli.readers.note.voided"))
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
		t.note(i18n.M("cli.readers.note.reset_failed", i18n.Args{"Error": explain(err, subject{op: i18n.M("cli.readers.op.clear", i18n.Args{"ID": p.ReaderID}), owner: p.Owner, readerID: p.ReaderID})}))
		return
	}
	t.note(i18n.M("cli.readers.note.reset"))
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
	t.res.CancelFailure = explain(err, subject{op: i18n.M("cli.readers.op.cancel_test_intent", i18n.Args{"Intent": t.res.IntentID}), owner: t.p.Seller})
	t.res.CancelError = t.res.CancelFailure.Error()
	if in, err := t.f.Payments.GetIntent(ctx, t.p.Seller, t.res.IntentID); err == nil {
		t.res.IntentStatus = in.Status
	}
}

// note records m, in English for --json and as a message for people.
func (t *testRun) note(m i18n.Message) {
	t.res.NoteMsgs = append(t.res.NoteMsgs, m)
	t.res.Notes = append(t.res.Notes, i18n.Neutral().Render(m))
}
