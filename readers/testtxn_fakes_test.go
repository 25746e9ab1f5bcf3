package readers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

func txnFake() (*fakePorts, *Fleet, *fakeClock) {
	f := newFake()
	f.sellers = []pos.Seller{
		{ID: "acct_S", DisplayName: "Shop", Currency: "usd", CardPayments: pos.CapabilityActive, ChargesEnabled: true},
		{ID: "acct_new", DisplayName: "New", Currency: "gbp", CardPayments: pos.CapabilityInactive},
	}
	f.readers[pos.Platform] = []pos.Reader{{ID: "tmr_phys", DeviceType: "bbpos_wisepos_e", Status: "online"},
		{ID: "tmr_sim", DeviceType: "simulated_wisepos_e", Status: "online"}}
	fl, clk := fakeFleet(f)
	return f, fl, clk
}

func TestTestTransactionTimesOutAndCleansUp(t *testing.T) {
	f, fl, clk := txnFake()
	start := clk.Now()
	waiting := pos.Reader{ID: "tmr_phys", Status: "online", Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionInProgress, PaymentIntentID: "pi_test"}}
	f.getReader = func(owner pos.Account, id string) (pos.Reader, error) {
		if clk.Now().Equal(start) { // before the hand-off: idle
			return pos.Reader{ID: id, DeviceType: "bbpos_wisepos_e", Status: "online"}, nil
		}
		return waiting, nil // nobody taps a card
	}
	fl.PollInterval = 2 * time.Second
	res, err := fl.TestTransaction(context.Background(), TestParams{Owner: pos.Platform, ReaderID: "tmr_phys", Seller: "acct_S",
		Timeout: 9 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed || res.Outcome != OutcomeTimeout || res.Elapsed != 9*time.Second || res.ElapsedMS != 9000 || res.Amount != 50 || res.Currency != "usd" {
		t.Errorf("result %+v", res)
	}
	if !slices.Equal(clk.slept, []time.Duration{2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second, time.Second}) {
		t.Errorf("slept %v: polls must stop at the deadline", clk.slept)
	}
	if res.Polls != 5 || !res.Canceled || res.IntentStatus != pos.IntentCanceled {
		t.Errorf("polls %d canceled %v status %s", res.Polls, res.Canceled, res.IntentStatus)
	}
	calls := f.log()
	if !slices.Contains(calls, "CancelAction platform tmr_phys") || !slices.Contains(calls, "CancelIntent acct_S pi_test") {
		t.Errorf("the reader must be reset and the intent cancelled: %v", calls)
	}
	if slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "PresentCard") }) {
		t.Error("a physical reader gets no simulated card")
	}
	if res.Keys["create"] != "kasse-test-id1-create" || !slices.Contains(calls, "CreateIntent acct_S kasse-test-id1-create") {
		t.Errorf("keys %v", res.Keys)
	}
}

func TestTestTransactionInterruptedAction(t *testing.T) {
	f, fl, clk := txnFake()
	start := clk.Now()
	f.getReader = func(owner pos.Account, id string) (pos.Reader, error) {
		if clk.Now().Equal(start) {
			return pos.Reader{ID: id, DeviceType: "bbpos_wisepos_e"}, nil
		}
		// someone else started a sale on the reader
		return pos.Reader{ID: id, Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_other"}}, nil
	}
	res, err := fl.TestTransaction(context.Background(), TestParams{Owner: pos.Platform, ReaderID: "tmr_phys", Seller: "acct_S"})
	if err != nil || res.Outcome != OutcomeInterrupted || res.Passed || !res.Canceled {
		t.Fatalf("%+v %v", res, err)
	}
	if slices.Contains(f.log(), "CancelAction platform tmr_phys") {
		t.Error("the other sale's action must not be cancelled")
	}
}

func TestTestTransactionProcessRefused(t *testing.T) {
	f, fl, _ := txnFake()
	f.processHook = func(pos.Account, string, string) (pos.Reader, error) {
		return pos.Reader{}, &pos.Error{Kind: pos.KindReaderOffline, Code: "terminal_reader_offline", Message: "Reader is currently offline"}
	}
	res, err := fl.TestTransaction(context.Background(), TestParams{Owner: pos.Platform, ReaderID: "tmr_phys", Seller: "acct_S"})
	if !pos.IsKind(err, pos.KindReaderOffline) || !strings.Contains(err.Error(), "could not hand the test payment to reader tmr_phys: reader tmr_phys is offline") {
		t.Errorf("err = %v", err)
	}
	if !res.Canceled || res.IntentID != "pi_test" {
		t.Errorf("the intent must be cancelled: %+v", res)
	}
}

func TestTestTransactionValidation(t *testing.T) {
	f, fl, _ := txnFake()
	f.readers[pos.Platform] = append(f.readers[pos.Platform], pos.Reader{ID: "tmr_busy", Action: &pos.ReaderAction{
		Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_sale"}})
	live := *fl
	live.Mode = ModeLive
	cases := []struct {
		name     string
		fleet    *Fleet
		p        TestParams
		sentinel error
		msg      string
	}{
		{"no seller", fl, TestParams{ReaderID: "tmr_phys"}, ErrTestParams, "a seller (acct_…) is required"},
		{"bad reader id", fl, TestParams{ReaderID: "Counter 1", Seller: "acct_S"}, ErrReaderID, "not a reader id"},
		{"seller reader", fl, TestParams{Owner: "acct_X", ReaderID: "tmr_phys", Seller: "acct_S"}, ErrTestParams, "can only process that account's payments"},
		{"card in live", &live, TestParams{ReaderID: "tmr_phys", Seller: "acct_S", Card: "4242424242424242"}, ErrMode, "test mode only"},
		{"bad card", fl, TestParams{ReaderID: "tmr_phys", Seller: "acct_S", Card: "4242-4242"}, ErrTestParams, "not a test card number"},
		{"onboarding", fl, TestParams{ReaderID: "tmr_phys", Seller: "acct_new"}, ErrTestParams, "card_payments \"inactive\""},
		{"below minimum", fl, TestParams{ReaderID: "tmr_phys", Seller: "acct_S", Amount: 49}, ErrTestParams, "$0.49 is below the minimum charge of $0.50"},
		{"busy", fl, TestParams{ReaderID: "tmr_busy", Seller: "acct_S"}, ErrReaderBusy, "pi_sale"},
		{"tip on a real card", fl, TestParams{ReaderID: "tmr_phys", Seller: "acct_S", Tip: 100}, ErrTestParams, "customer chooses it"},
		{"simulated in live", &live, TestParams{ReaderID: "tmr_sim", Seller: "acct_S"}, ErrMode, "test mode only"},
	}
	for _, c := range cases {
		_, err := c.fleet.TestTransaction(context.Background(), c.p)
		if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: err = %v; want %v with %q", c.name, err, c.sentinel, c.msg)
		}
	}
	if slices.ContainsFunc(f.log(), func(c string) bool { return strings.HasPrefix(c, "CreateIntent") }) {
		t.Errorf("no intent may be created when the test cannot run: %v", f.log())
	}
}

func TestTestTransactionPollingSurvivesTransientErrorsAndCancellation(t *testing.T) {
	f, fl, clk := txnFake()
	start := clk.Now()
	polls := 0
	f.getReader = func(owner pos.Account, id string) (pos.Reader, error) {
		if clk.Now().Equal(start) {
			return pos.Reader{ID: id, DeviceType: "bbpos_wisepos_e"}, nil
		}
		polls++
		a := &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_test"}
		switch {
		case polls <= 2:
			return pos.Reader{}, &pos.Error{Kind: pos.KindUnknown, Message: "connection reset"}
		case polls == 3:
			a.Status, a.FailureCode, a.FailureMessage = pos.ActionFailed, "customer_canceled", "The customer cancelled"
		}
		return pos.Reader{ID: id, Action: a}, nil
	}
	res, err := fl.TestTransaction(context.Background(), TestParams{Owner: pos.Platform, ReaderID: "tmr_phys", Seller: "acct_S"})
	if err != nil || res.Outcome != OutcomeFailed || res.FailureCode != "customer_canceled" || res.Polls != 3 || !res.Canceled {
		t.Errorf("%+v %v", res, err)
	}

	// The caller gives up: the result says so and the clean-up still runs.
	f2, fl2, clk2 := txnFake()
	start2 := clk2.Now()
	ctx, cancel := context.WithCancel(context.Background())
	f2.getReader = func(owner pos.Account, id string) (pos.Reader, error) {
		if clk2.Now().Equal(start2) {
			return pos.Reader{ID: id, DeviceType: "bbpos_wisepos_e"}, nil
		}
		cancel()
		return pos.Reader{ID: id, Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_test"}}, nil
	}
	res, err = fl2.TestTransaction(ctx, TestParams{Owner: pos.Platform, ReaderID: "tmr_phys", Seller: "acct_S"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeTimeout || !strings.Contains(strings.Join(res.Notes, ";"), "stopped waiting: context canceled") || !res.Canceled {
		t.Errorf("%+v", res)
	}
	if !slices.Contains(f2.log(), "CancelIntent acct_S pi_test") {
		t.Errorf("clean-up must run after cancellation: %v", f2.log())
	}
}

func TestExplainKinds(t *testing.T) {
	s := subject{op: readReader("tmr_1"), owner: "acct_1", readerID: "tmr_1"}
	for kind, want := range map[pos.ErrorKind]string{
		pos.KindReaderBusy:     "reader tmr_1 is busy",
		pos.KindReaderOffline:  "reader tmr_1 is offline",
		pos.KindReaderTimeout:  "may still have arrived",
		pos.KindNotFound:       "not found on account acct_1",
		pos.KindAuth:           "has no access to account acct_1",
		pos.KindRateLimited:    "rate limiting",
		pos.KindIdempotency:    "same idempotency key",
		pos.KindInvalidState:   "not in a state",
		pos.KindDeclined:       "declined",
		pos.KindInvalidRequest: "Stripe refused",
		pos.KindUnknown:        "outcome is unknown",
	} {
		pe := &pos.Error{Kind: kind, Message: "raw", RequestID: "req_1"}
		err := explain(pe, s)
		if !strings.HasPrefix(err.Error(), "could not read reader tmr_1: ") || !strings.Contains(err.Error(), want) ||
			!strings.HasSuffix(err.Error(), "Stripe said: raw [request req_1]") || !errors.Is(err, pe) {
			t.Errorf("%v: %q", kind, err)
		}
	}
	if err := explain(errors.New("eof"), s); !strings.Contains(err.Error(), "outcome is unknown") || !strings.HasSuffix(err.Error(), "(eof)") {
		t.Errorf("foreign error: %v", err)
	}
	v := invalid(ErrLabel, i18n.M("cli.readers.label_empty"))
	if explain(v, s) != v || explain(nil, s) != nil {
		t.Error("validation errors and nil pass through")
	}
	// In German: what failed, why, and Stripe's own words as Stripe sent them.
	err := explain(&pos.Error{Kind: pos.KindReaderBusy, Message: "Reader is busy.", RequestID: "req_1"}, s)
	if got, want := i18n.New(i18n.German).Err(err), "Lesegerät tmr_1 lesen fehlgeschlagen: Lesegerät tmr_1 ist belegt: es bearbeitet nur eine Anfrage zur Zeit, "+
		"und Stripe lehnt neue Befehle (auch cancel_action) ab, solange eine Karte autorisiert wird. Einige Sekunden warten, das Lesegerät neu lesen und es "+
		"noch einmal versuchen — Stripe meldete: Reader is busy. [Anfrage req_1]"; got != want {
		t.Errorf("German:\n got %q\nwant %q", got, want)
	}
}
