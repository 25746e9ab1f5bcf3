package ui

import (
	"errors"
	"strings"
	"testing"

	"kasse/pos"
)

func TestReconciledSalesAreNamedUntilDismissed(t *testing.T) {
	d, _, _, _ := demoDeps()
	d.Reconciled = []pos.Sale{
		{ID: "till-1-20260314T150000-k7", State: pos.SaleApproved, Amount: 1250, Currency: "eur", IntentID: "pi_r1"},
		{ID: "till-1-20260314T150500-k8", State: pos.SaleCanceled, Amount: 300, Currency: "eur", IntentID: "pi_r2"},
	}
	h := newHarness(t, d)
	h.contains("Reconciled 2 unfinished sales at start:",
		"till-1-20260314T150000-k7 → approved · 12.50 EUR · pi_r1", "till-1-20260314T150500-k8 → canceled")
	h.golden("sellers_reconciled")
	h.keys("text:bä", "esc") // esc clears the filter first
	h.contains("Reconciled 2")
	h.keys("esc")
	h.lacks("Reconciled")
	if len(h.m.sellers.list.shown) != 5 {
		t.Errorf("the list lost sellers: %d", len(h.m.sellers.list.shown))
	}
}

func TestReceiptIsSavedOnApproval(t *testing.T) {
	saver := &fakeSaver{dir: "/srv/kasse/receipts"}
	f := charging(t, func(d *Deps) { d.Receipts = saver })
	f.term.getReader = []readerAnswer{{r: approved("pi_1", 570, nil)}}
	f.h.fire(saleTickMsg{})
	if f.h.m.active != scrReceipt {
		t.Fatalf("no receipt:\n%s", f.h.view())
	}
	id := f.h.m.receipt.sale.ID
	text := string(saver.files[id+".txt"])
	for _, want := range []string{"Bäckerei Müller", "Coffee", "Total", "5.70 EUR", "APPROVED", "VISA ····4242", "pi_1"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") || strings.Contains(text, "╭") {
		t.Errorf("the saved receipt is not plain text:\n%s", text)
	}
	f.h.contains("Receipt saved to /srv/kasse/receipts/" + id + ".txt")
	f.h.golden("receipt_saved")

	saver.err = errors.New("disk full")
	g := charging(t, func(d *Deps) { d.Receipts = saver })
	g.term.getReader = []readerAnswer{{r: approved("pi_1", 570, nil)}}
	g.h.fire(saleTickMsg{})
	g.h.contains("Receipt not saved: disk full")
}

func TestReceiptEmailGoesIntoTheIntent(t *testing.T) {
	d, _ := registerDeps()
	pay := d.Payments.(*fakePayments)
	h := atRegister(t, d, "bäck")
	h.keys("@", "text:guest@example", "enter")
	h.contains("is not an email address")
	if h.m.register.email != "" {
		t.Fatal("an invalid address was kept")
	}
	h.keys("text:.com")
	h.golden("register_email")
	h.keys("enter")
	h.contains("receipt → guest@example.com")
	h.keys("c", "enter")
	if len(pay.calls) != 1 || pay.calls[0].Email != "guest@example.com" {
		t.Fatalf("create = %+v", pay.calls)
	}
	// The next customer starts without it.
	f := charging(t, nil)
	if f.pay.calls[0].Email != "" {
		t.Errorf("an email leaked into another sale: %q", f.pay.calls[0].Email)
	}
}

func TestReceiptEmailCanBeRemovedAndSurvivesAReaderChange(t *testing.T) {
	d, _ := registerDeps()
	h := atRegister(t, d, "bäck")
	h.keys("@", "text:a@b.de", "enter", "@")
	if !h.m.register.capturesText() {
		t.Fatal("the email editor does not capture text (? would open help)")
	}
	h.keys("ctrl+u", "enter")
	if h.m.register.email != "" || h.m.register.sale.ReceiptEmail != "" {
		t.Fatal("an empty address did not remove it")
	}
	h.keys("@", "text:x@y.org", "enter", "esc", "enter") // back to the readers, the same reader again
	if h.m.register.sale.ReceiptEmail != "x@y.org" {
		t.Errorf("after a reader change the sale's email = %q", h.m.register.sale.ReceiptEmail)
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"guest@example.com": true, "a.b+c@shop.co.uk": true, "x@y.de": true,
		"": false, "guest": false, "guest@example": false, "a b@c.de": false, "a@b@c.de": false, "@c.de": false,
		"a@.de": false, "a@b.c": false, strings.Repeat("a", 250) + "@b.de": false,
	} {
		if got := validEmail(in); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestConfigWarningsShownWithReconciledUntilDismissed(t *testing.T) {
	d, _, _, _ := demoDeps()
	d.Warnings = []string{"/home/ana/.config/kasse/config.toml holds api_key but other users can read it (mode 0644): run chmod 600 /home/ana/.config/kasse/config.toml"}
	d.Reconciled = []pos.Sale{{ID: "till-1-s9", State: pos.SaleApproved, Amount: 800, Currency: "usd", IntentID: "pi_r9"}}
	h := newHarness(t, d)
	h.contains("⚠ /home/ana/.config/kasse/config.toml holds api_key", "chmod 600", "Reconciled 1 unfinished sale at start:")
	h.golden("sellers_warning")
	h.keys("esc")
	h.lacks("holds api_key", "Reconciled")
	if len(h.m.sellers.list.shown) != 5 {
		t.Errorf("the list lost sellers: %d", len(h.m.sellers.list.shown))
	}
}

func TestReconciledRefundsAreNamedToo(t *testing.T) {
	d, _, _, _ := demoDeps()
	d.Reconciled = []pos.Sale{{ID: "till-1-s9", State: pos.SaleApproved, Amount: 800, Currency: "usd", IntentID: "pi_r9"}}
	d.ReconciledRefunds = []pos.RefundFlow{{ID: "rf-till-1-r1", State: pos.RefundSucceeded, Amount: 250, Currency: "usd", RefundID: "re_r1"}}
	h := newHarness(t, d)
	h.contains("Reconciled 2 unfinished payments at start:", "till-1-s9 → approved · 8.00 USD · pi_r9",
		"refund rf-till-1-r1 → succeeded · 2.50 USD · re_r1")
}
