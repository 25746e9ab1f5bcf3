package readers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/pos"
	"kasse/sandbox"
)

// absentCustomer is a Presenter whose card never arrives: it only reads
// the reader back.
type absentCustomer struct{ term pos.Terminal }

func (a absentCustomer) PresentCard(ctx context.Context, owner pos.Account, readerID, _ string, _ int64, _ string) (pos.Reader, error) {
	return a.term.GetReader(ctx, owner, readerID)
}

// platformReader returns a demo seller and the platform reader at the
// location named after it (the location's name contains the seller's
// display name: "Bäckerei Sonnenkorn" for "Sonnenkorn").
func (w *world) platformReader(seller string) (pos.Seller, pos.Reader) {
	w.t.Helper()
	s := w.seller(seller)
	ls, err := w.client.ListLocations(w.ctx, pos.Platform)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, l := range ls {
		if strings.Contains(l.DisplayName, s.DisplayName) {
			return s, w.reader(pos.Platform, l.ID)
		}
	}
	w.t.Fatalf("no platform location for %s", s.DisplayName)
	return s, pos.Reader{}
}

func TestSandboxTestTransactionApproves(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	s, r := w.platformReader("Lumen")
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed || res.Outcome != OutcomeApproved || res.Amount != 50 || res.Currency != "usd" || !res.Simulated || res.HandOff.IsZero() {
		t.Errorf("result %+v", res)
	}
	// Authorized, then voided: nothing captured.
	in, err := w.client.GetIntent(w.ctx, s.ID, res.IntentID)
	if err != nil || in.Status != pos.IntentCanceled || in.Metadata["kasse_test"] != "1" || in.CaptureMethod != "manual" || !res.Canceled {
		t.Errorf("intent %+v %v", in, err)
	}
	if !strings.HasPrefix(res.Summary(), "PASS approved: $0.50 on "+r.ID+" ("+res.IntentID+"), reader result after") {
		t.Errorf("summary %q", res.Summary())
	}
	// The reader keeps its succeeded action; a second test replaces it.
	res2, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID, Amount: 2500,
		Card: "5555555555554444", Tip: 300, Capture: true})
	if err != nil || !res2.Passed || res2.CardLast4 != "4444" || res2.IntentStatus != pos.IntentSucceeded || res2.Canceled {
		t.Fatalf("captured test %+v %v", res2, err)
	}
	in, _ = w.client.GetIntent(w.ctx, s.ID, res2.IntentID)
	if in.Amount != 2800 || in.AmountReceived != 2800 || in.Tip == nil || *in.Tip != 300 {
		t.Errorf("captured intent amount %d received %d tip %v", in.Amount, in.AmountReceived, in.Tip)
	}
}

func TestSandboxTestTransactionDeclines(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	s, r := w.platformReader("Lumen")
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID, Card: "4000000000009995"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed || res.Outcome != OutcomeDeclined || res.FailureCode != "card_declined" || res.DeclineCode != "insufficient_funds" {
		t.Errorf("result %+v", res)
	}
	if !res.Canceled || res.IntentStatus != pos.IntentCanceled {
		t.Errorf("the declined test intent must be cancelled: %+v", res)
	}
	if in, _ := w.client.GetIntent(w.ctx, s.ID, res.IntentID); in.Status != pos.IntentCanceled {
		t.Errorf("intent is %s", in.Status)
	}
	// Test amounts: x.05 declines with generic_decline on the default card.
	res, err = w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID, Amount: 1005})
	if err != nil || res.Outcome != OutcomeDeclined || res.DeclineCode != "generic_decline" {
		t.Errorf("test amount 10.05: %+v %v", res, err)
	}
}

func TestSandboxTestTransactionTimeoutCancels(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	s, r := w.platformReader("Lumen")
	w.fleet.Presenter = absentCustomer{w.client}
	w.fleet.PollInterval = 5 * time.Millisecond
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID, Timeout: 60 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed || res.Outcome != OutcomeTimeout || res.Polls == 0 || res.Elapsed < 60*time.Millisecond || !res.Canceled {
		t.Errorf("result %+v", res)
	}
	in, _ := w.client.GetIntent(w.ctx, s.ID, res.IntentID)
	got, _ := w.client.GetReader(w.ctx, pos.Platform, r.ID)
	if in.Status != pos.IntentCanceled || in.CancellationReason != "abandoned" || got.Action != nil {
		t.Errorf("intent %s (%s), reader action %+v: both must be released", in.Status, in.CancellationReason, got.Action)
	}
}

func TestSandboxTestTransactionPollsWhileAuthorizing(t *testing.T) {
	w := newWorld(t, sandbox.Options{AuthorizationDelay: 40 * time.Millisecond})
	s, r := w.platformReader("Sakura")
	w.fleet.PollInterval = 5 * time.Millisecond
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID})
	if err != nil || !res.Passed || res.Polls == 0 || res.Elapsed < 40*time.Millisecond {
		t.Fatalf("%+v %v", res, err)
	}
	if res.Currency != "jpy" || res.Amount != 50 || !strings.Contains(res.Summary(), "¥50 on") {
		t.Errorf("zero-decimal minimum: %+v", res)
	}
}

func TestSandboxTestTransactionSellerOwnedReader(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	r := w.reader(north.ID, w.location(north.ID, "Northwind").ID)
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: north.ID, ReaderID: r.ID, Seller: north.ID})
	if err != nil || !res.Passed {
		t.Fatalf("%+v %v", res, err)
	}
	lumen, _ := w.platformReader("Lumen")
	if _, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: north.ID, ReaderID: r.ID, Seller: lumen.ID}); !errors.Is(err, ErrTestParams) {
		t.Errorf("a seller's reader cannot take another seller's payment: %v", err)
	}
	hollow := w.seller("Hollow")
	_, pr := w.platformReader("Lumen")
	if _, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: pr.ID, Seller: hollow.ID}); !errors.Is(err, ErrTestParams) ||
		!strings.Contains(err.Error(), "onboarding is unfinished") {
		t.Errorf("inactive seller: %v", err)
	}
}

func TestSandboxTestTransactionHandOffFaults(t *testing.T) {
	route := "/v1/terminal/readers/{id}/process_payment_intent"
	// The documented false negative: the reader got the command, the
	// answer says timeout. The test must reset the reader and cancel.
	w := newWorld(t, sandbox.Options{Faults: []sandbox.Fault{{Kind: sandbox.FaultReaderTimeoutApplied, Method: "POST", Route: route, Times: 1}}})
	s, r := w.platformReader("Lumen")
	res, err := w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID})
	if !pos.IsKind(err, pos.KindReaderTimeout) || !strings.Contains(err.Error(), "it may still have arrived") {
		t.Fatalf("err = %v", err)
	}
	got, _ := w.client.GetReader(w.ctx, pos.Platform, r.ID)
	in, _ := w.client.GetIntent(w.ctx, s.ID, res.IntentID)
	if got.Action != nil || in.Status != pos.IntentCanceled || !res.Canceled || !strings.Contains(strings.Join(res.Notes, ";"), "reader action cancelled") {
		t.Errorf("reader action %+v, intent %s, result %+v", got.Action, in.Status, res)
	}

	w = newWorld(t, sandbox.Options{Faults: []sandbox.Fault{{Kind: sandbox.FaultReaderOffline, Method: "POST", Route: route, Times: 1}}})
	s, r = w.platformReader("Lumen")
	res, err = w.fleet.TestTransaction(w.ctx, TestParams{Owner: pos.Platform, ReaderID: r.ID, Seller: s.ID})
	if !pos.IsKind(err, pos.KindReaderOffline) || !strings.Contains(err.Error(), "is offline or faulty") || !res.Canceled {
		t.Errorf("offline: %v %+v", err, res)
	}
}
