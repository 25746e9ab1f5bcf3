package readers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/pos"
)

func registerFake() (*fakePorts, *Fleet) {
	f := newFake()
	f.sellers = []pos.Seller{{ID: "acct_B", DisplayName: "Bravo"}}
	f.locations[pos.Platform] = []pos.Location{{ID: "tml_p", DisplayName: "Platform shop"}}
	f.locations["acct_B"] = []pos.Location{{ID: "tml_b", DisplayName: "Bravo shop"}}
	fl, _ := fakeFleet(f)
	return f, fl
}

func TestRegisterChecksBeforeAnyRequest(t *testing.T) {
	f, fl := registerFake()
	ctx := context.Background()
	for _, c := range []struct{ code, label, loc string }{
		{"apple-grape", "Counter", "tml_p"},
		{"apple-grape-orange", " ", "tml_p"},
		{"apple-grape-orange", "Counter", ""},
		{"apple-grape-orange", "Counter", "Counter 1"},
	} {
		if _, err := fl.Register(ctx, pos.Platform, c.code, c.label, c.loc); err == nil {
			t.Errorf("Register(%q, %q, %q) succeeded", c.code, c.label, c.loc)
		}
	}
	if calls := f.log(); len(calls) != 0 {
		t.Errorf("requests made before validation passed: %v", calls)
	}
}

func TestRegisterRefusesALocationOfAnotherAccount(t *testing.T) {
	f, fl := registerFake()
	_, err := fl.Register(context.Background(), pos.Platform, "apple-grape-orange", "Counter", "tml_b")
	want := "location tml_b is on account acct_B, the reader would be registered on the platform account"
	if !errors.Is(err, ErrWrongAccount) || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v; want %q", err, want)
	}
	if slices.ContainsFunc(f.log(), func(c string) bool { return strings.HasPrefix(c, "RegisterReader") }) {
		t.Error("RegisterReader must not be called")
	}
	_, err = fl.Register(context.Background(), "acct_B", "apple-grape-orange", "Counter", "tml_p")
	if !errors.Is(err, ErrWrongAccount) || !strings.Contains(err.Error(), "location tml_p is on the platform account, the reader would be registered on account acct_B") {
		t.Errorf("err = %v", err)
	}
	_, err = fl.Register(context.Background(), "acct_B", "apple-grape-orange", "Counter", "tml_nowhere")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "location tml_nowhere does not exist on account acct_B") {
		t.Errorf("err = %v", err)
	}
}

func TestRegisterKeysAndErrors(t *testing.T) {
	f, fl := registerFake()
	ctx := context.Background()
	if _, err := fl.Register(ctx, pos.Platform, "Apple Grape Orange", " Counter 2 ", "tml_p"); err != nil {
		t.Fatal(err)
	}
	if _, err := fl.Register(ctx, pos.Platform, "apple-grape-orange", "Counter 2", "tml_p"); err != nil {
		t.Fatal(err)
	}
	var regs []string
	for _, c := range f.log() {
		if strings.HasPrefix(c, "RegisterReader") {
			regs = append(regs, c)
		}
	}
	if len(regs) != 2 || regs[0] != regs[1] || !strings.Contains(regs[0], "platform apple-grape-orange Counter 2 tml_p kasse-reg-") {
		t.Errorf("a physical code must be sent normalised with a derived, repeatable key: %v", regs)
	}
	_, _ = fl.Register(ctx, pos.Platform, "simulated-wpe", "Sim", "tml_p")
	_, _ = fl.Register(ctx, pos.Platform, "simulated-wpe", "Sim", "tml_p")
	calls := f.log()
	if a, b := calls[len(calls)-3], calls[len(calls)-1]; a == b || !strings.Contains(a, "kasse-reg-sim-") {
		t.Errorf("simulated codes are reusable and need fresh keys: %q, %q", a, b)
	}

	f.fail[regs[0]] = &pos.Error{
		Kind: pos.KindInvalidRequest, Param: "registration_code", Message: "The registration code is invalid.", RequestID: "req_9"}
	_, err := fl.Register(ctx, pos.Platform, "apple-grape-orange", "Counter 2", "tml_p")
	if err == nil {
		t.Fatal("the refused code must fail")
	}
	if !strings.HasPrefix(err.Error(), `the reader did not accept registration code "apple-grape-orange": codes are single-use`) ||
		!strings.Contains(err.Error(), "The registration code is invalid. [request req_9]") || !pos.IsKind(err, pos.KindInvalidRequest) {
		t.Errorf("err = %v", err)
	}
}

func TestClearReportsWhatTheReaderHeld(t *testing.T) {
	f := newFake()
	held := &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_7"}
	f.readers[pos.Platform] = []pos.Reader{{ID: "tmr_1", Action: held}, {ID: "tmr_idle"}}
	_, fl := registerFake()
	fl.Terminal, fl.Sellers = f, f
	ctx := context.Background()

	rep, err := fl.Clear(ctx, pos.Platform, "tmr_1")
	if err != nil || !rep.Cleared || rep.Held != held || !strings.Contains(rep.Note, "PaymentIntent pi_7 is not cancelled") {
		t.Fatalf("Clear = %+v, %v", rep, err)
	}
	rep, err = fl.Clear(ctx, pos.Platform, "tmr_idle")
	if err != nil || rep.Cleared || rep.Held != nil || slices.Contains(f.log(), "CancelAction platform tmr_idle") {
		t.Errorf("an idle reader needs no cancel_action: %+v %v %v", rep, err, f.log())
	}

	f.cancelAction = func(pos.Account, string) (pos.Reader, error) {
		return pos.Reader{}, &pos.Error{Kind: pos.KindReaderBusy, Code: "terminal_reader_busy", Message: "Reader is currently busy"}
	}
	rep, err = fl.Clear(ctx, pos.Platform, "tmr_1")
	if rep.Held == nil || rep.Cleared || !pos.IsKind(err, pos.KindReaderBusy) ||
		!strings.Contains(err.Error(), "it is authorizing a card right now (process_payment_intent in_progress (pi_7))") {
		t.Errorf("Clear while authorizing = %+v, %v", rep, err)
	}
}

func TestDeregisterNeedsConfirmation(t *testing.T) {
	f := newFake()
	f.readers["acct_B"] = []pos.Reader{{ID: "tmr_1", Label: "Counter 1"},
		{ID: "tmr_busy", Label: "Busy", Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress}}}
	fl, _ := fakeFleet(f)
	ctx := context.Background()
	for _, confirm := range []string{"", "counter 1", "Counter", "tmr_2"} {
		if _, err := fl.Deregister(ctx, "acct_B", "tmr_1", confirm); !errors.Is(err, ErrConfirm) || !strings.Contains(err.Error(), `type its label ("Counter 1")`) {
			t.Errorf("confirm %q: %v", confirm, err)
		}
	}
	if _, err := fl.Deregister(ctx, "acct_B", "tmr_busy", "Busy"); !errors.Is(err, ErrReaderBusy) {
		t.Errorf("busy reader: %v", err)
	}
	if slices.ContainsFunc(f.log(), func(c string) bool { return strings.HasPrefix(c, "DeleteReader") }) {
		t.Fatal("nothing may be deleted without confirmation")
	}
	for _, confirm := range []string{" Counter 1 ", "tmr_1"} {
		if r, err := fl.Deregister(ctx, "acct_B", "tmr_1", confirm); err != nil || r.Label != "Counter 1" {
			t.Errorf("confirm %q: %+v %v", confirm, r, err)
		}
	}
}

func TestRenameAndMetadata(t *testing.T) {
	f := newFake()
	fl, _ := fakeFleet(f)
	ctx := context.Background()
	if _, err := fl.Rename(ctx, pos.Platform, "tmr_1", "\t"); !errors.Is(err, ErrLabel) {
		t.Errorf("blank label: %v", err)
	}
	if r, err := fl.Rename(ctx, pos.Platform, "tmr_1", " Front "); err != nil || r.Label != "Front" {
		t.Errorf("Rename = %+v %v", r, err)
	}
	if _, err := fl.SetMetadata(ctx, pos.Platform, "tmr_1", nil); !errors.Is(err, ErrMetadata) {
		t.Errorf("empty metadata: %v", err)
	}
	if _, err := fl.SetMetadata(ctx, pos.Platform, "tmr_1", map[string]string{"till": "3"}); err != nil {
		t.Error(err)
	}
	if got := f.log(); !slices.Equal(got, []string{"UpdateReader platform tmr_1 Front", "UpdateReader platform tmr_1 "}) {
		t.Errorf("calls %v", got)
	}
	for _, loc := range []*i18n.Locale{i18n.New(i18n.English), i18n.New(i18n.German)} {
		if m := loc.Render(MoveExplanation); !strings.Contains(m, "2023-10-16") || !strings.Contains(m, "07139") {
			t.Errorf("MoveExplanation must say why and how, in %s too: %q", loc.Tag(), m)
		}
	}
}

func TestDisplayTestRefusesABusyReader(t *testing.T) {
	f := newFake()
	f.readers[pos.Platform] = []pos.Reader{
		{ID: "tmr_pay", Action: &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent, Status: pos.ActionInProgress, PaymentIntentID: "pi_1"}},
		{ID: "tmr_disp", Action: &pos.ReaderAction{Type: pos.ActionSetReaderDisplay, Status: pos.ActionInProgress}},
	}
	fl, _ := fakeFleet(f)
	ctx := context.Background()
	if _, err := fl.DisplayTest(ctx, pos.Platform, "tmr_pay", "usd"); !errors.Is(err, ErrReaderBusy) || !strings.Contains(err.Error(), "pi_1") {
		t.Errorf("a reader waiting for a card must not be overwritten: %v", err)
	}
	res, err := fl.DisplayTest(ctx, pos.Platform, "tmr_disp", "eur")
	if err != nil || res.Cart.Currency != "eur" || res.Reader.Action.Type != pos.ActionSetReaderDisplay {
		t.Errorf("a display replaces a display: %+v %v", res, err)
	}
	if slices.Contains(f.log(), "SetDisplay platform tmr_pay") {
		t.Error("SetDisplay sent to the busy reader")
	}
}
