package checkout_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/pos"
)

// A settlement names each sale and refund on one line, writes to the audit
// trail only what it acted on, and splits a console start into settled,
// offered and still-open sales.
func TestSettlementLinesNotesAndConsoleSplit(t *testing.T) {
	sale := func(id string, st pos.SaleState, amount int64, intent string) pos.Sale {
		return pos.Sale{ID: id, State: st, Amount: amount, Currency: "usd", IntentID: intent}
	}
	down := errors.New("stripe unreachable")
	s := checkout.Settlement{
		Sales: []checkout.Reconciled{
			{Sale: sale("s-canceled", pos.SaleCanceled, 1250, "pi_1"), Was: pos.SaleWaitingForCard},
			{Sale: sale("s-draft", pos.SaleCanceled, 0, ""), Was: pos.SaleDraft},
			{Sale: sale("s-offered", pos.SaleWaitingForCard, 700, "pi_2"), Was: pos.SaleWaitingForCard, Offered: true},
			{Sale: sale("s-in-use", pos.SaleProcessing, 800, "pi_3"), Was: pos.SaleProcessing, InUse: true},
			{Sale: sale("s-down", pos.SaleProcessing, 900, "pi_4"), Was: pos.SaleProcessing, Err: down},
			{Sale: sale("s-auth", pos.SaleRequiresCapture, 300, "pi_5"), Was: pos.SaleProcessing},
		},
		Refunds: []pos.RefundFlow{{ID: "rf-1", State: pos.RefundSucceeded, Amount: 500, Currency: "usd", RefundID: "re_1"}},
		Err:     down,
	}
	if got, want := s.Sales[0].Line(), "s-canceled: waiting_for_card → canceled · $12.50 · pi_1"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
	if got, want := checkout.RefundLine(s.Refunds[0]), "rf-1 → succeeded · $5.00 · re_1"; got != want {
		t.Errorf("RefundLine = %q, want %q", got, want)
	}
	de := i18n.New(i18n.German)
	if got, want := de.Render(s.Sales[4].LineMessage()), "s-down: processing → weiter processing (nicht abgeschlossen: stripe unreachable) · 9,00\u00a0$ · pi_4"; got != want {
		t.Errorf("German line = %q, want %q", got, want)
	}
	var outcomes []string
	for _, x := range s.Sales {
		outcomes = append(outcomes, x.Outcome())
	}
	if want := []string{"canceled", "canceled", "waiting_for_card", "in_use", "not_settled", "authorized"}; !reflect.DeepEqual(outcomes, want) {
		t.Errorf("outcomes %q, want %q", outcomes, want)
	}
	var subjects []string
	for _, n := range s.Notes() {
		subjects = append(subjects, n.Subject)
	}
	if want := []string{"s-canceled", "s-down", "s-auth", "rf-1"}; !reflect.DeepEqual(subjects, want) {
		t.Errorf("audited %q, want %q", subjects, want)
	}
	// The audit trail holds codes, read back in the reader's language.
	notes := s.Notes()
	if got, want := notes[1].Detail, `kind=sale sale=s-down was=processing state=processing amount=900 currency=usd intent=pi_4 error="stripe unreachable"`; got != want {
		t.Errorf("audit detail %q, want %q", got, want)
	}
	for i, want := range []string{"Verkauf s-canceled: waiting_for_card → canceled · 12,50\u00a0$ · pi_1",
		"Verkauf s-down: processing → weiter processing (nicht abgeschlossen: stripe unreachable) · 9,00\u00a0$ · pi_4",
		"Verkauf s-auth: processing → requires_capture · 3,00\u00a0$ · pi_5", "Erstattung rf-1 → succeeded · 5,00\u00a0$ · re_1"} {
		m, ok := checkout.NoteMessage(notes[i].Detail)
		if got := de.Render(m); !ok || got != want {
			t.Errorf("note %d read back: %q (%v), want %q", i, got, ok, want)
		}
		if m, _ := checkout.NoteMessage(notes[i].Detail); i18n.Neutral().Render(m) != "sale "+s.Sales[[]int{0, 4, 5}[min(i, 2)]].Line() && i < 3 {
			t.Errorf("note %d in English: %q", i, i18n.Neutral().Render(m))
		}
	}
	if _, ok := checkout.NoteMessage("sale s-1: waiting_for_card → canceled · 12.50 USD · pi_1"); ok {
		t.Error("an older Kasse's note was read as fields")
	}
	settled, offered, open := s.ForConsole()
	if len(settled) != 2 || settled[0].ID != "s-canceled" || settled[1].ID != "s-auth" ||
		len(offered) != 1 || offered[0].ID != "s-offered" || len(open) != 2 {
		t.Errorf("settled %v offered %v open %v", settled, offered, open)
	}
	if s.Complete() {
		t.Error("a settlement with an unsettled sale is complete")
	}
	s.Sales[4].Err, s.Err = nil, nil
	if !s.Complete() {
		t.Error("nothing failed, yet not complete")
	}
	// A draft's amount is its cart's.
	d := checkout.Reconciled{Sale: pos.Sale{ID: "d", Currency: "usd", Cart: pos.Cart{Lines: []pos.Line{{Description: "x", UnitPrice: 350, Quantity: 2}}}}}
	if d.Amount() != 700 {
		t.Errorf("draft amount %d", d.Amount())
	}
}

// Settle visits the journal's unfinished sales and then its unfinished
// refunds.
func TestSettleSalesThenRefunds(t *testing.T) {
	ctx := context.Background()
	e := newEnvWith(t, noKeepAlive())
	s, in := approvedSale(t, e, "usd", 3000)
	rf, err := pos.NewRefund(pos.RefundConfig{ID: "rf-" + s.ID, SaleID: s.ID, Seller: s.Seller, Intent: in,
		Reason: pos.RefundDuplicate}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	_, effs := pos.StepRefund(rf, pos.SubmitRefund{At: time.Now()})
	if err := e.journal.SaveRefund(ctx, effs[0].(pos.RecordRefund).Refund); err != nil {
		t.Fatal(err)
	}
	waiting, err := e.runner.Drive(ctx, e.newSale(t, "usd", 700), pos.ChargeRequested{At: time.Now()}, waitingForCard)
	if err != nil {
		t.Fatal(err)
	}
	e.runner.ReleaseClaims() // the crash

	got := e.newRunner(e.journal).Settle(ctx, e.journal, checkout.ReconcileOptions{})
	if !got.Complete() || len(got.Sales) != 1 || got.Sales[0].Sale.ID != waiting.ID || got.Sales[0].Sale.State != pos.SaleCanceled ||
		len(got.Refunds) != 1 || got.Refunds[0].State != pos.RefundSucceeded {
		t.Fatalf("settlement %+v", got)
	}
	if n := len(got.Notes()); n != 2 {
		t.Errorf("%d audit notes, want the sale's and the refund's", n)
	}
}

// A separate charge's sale names where its transfer to the seller stands,
// in its line, in its audit note and read back from it in German.
func TestSettlementLineOfASeparateChargesTransfer(t *testing.T) {
	x := checkout.Reconciled{Sale: pos.Sale{ID: "s-sep", State: pos.SaleApproved, Amount: 2000, Currency: "usd", IntentID: "pi_6",
		Transfer: &pos.SaleTransfer{TransferStep: pos.TransferStep{State: pos.TransferDone, ID: "tr_1"}}}, Was: pos.SaleProcessing}
	if got, want := x.Line(), "s-sep: processing → approved, transfer done tr_1 · $20.00 · pi_6"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
	owed := x
	owed.Sale.Transfer = &pos.SaleTransfer{TransferStep: pos.TransferStep{State: pos.TransferOwed}}
	if got, want := owed.Summary(), "processing → approved, transfer owed"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	notes := checkout.Settlement{Sales: []checkout.Reconciled{x}}.Notes()
	if len(notes) != 1 {
		t.Fatalf("%d notes", len(notes))
	}
	if got, want := notes[0].Detail, "kind=sale sale=s-sep was=processing state=approved amount=2000 currency=usd intent=pi_6 transfer=done transfer_id=tr_1"; got != want {
		t.Errorf("audit detail %q, want %q", got, want)
	}
	m, ok := checkout.NoteMessage(notes[0].Detail)
	if got, want := i18n.New(i18n.German).Render(m), "Verkauf s-sep: processing → approved, Überweisung done tr_1 · 20,00\u00a0$ · pi_6"; !ok || got != want {
		t.Errorf("read back in German: %q (%v), want %q", got, ok, want)
	}
}
