package sale_test

import (
	"errors"
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestReconciledSalesAreNamedUntilDismissed(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	d.Reconciled = []pos.Sale{
		{ID: "till-1-20260314T150000-k7", State: pos.SaleApproved, Amount: 1250, Currency: "eur", IntentID: "pi_r1"},
		{ID: "till-1-20260314T150500-k8", State: pos.SaleCanceled, Amount: 300, Currency: "eur", IntentID: "pi_r2"},
	}
	h := uitest.New(t, d)
	h.Contains("Reconciled 2 unfinished sales at start:",
		"till-1-20260314T150000-k7 → approved · €12.50 · pi_r1", "till-1-20260314T150500-k8 → canceled")
	h.Golden("sellers_reconciled")
	h.Keys("text:bä", "esc") // esc clears the filter first
	h.Contains("Reconciled 2")
	h.Keys("esc")
	h.Lacks("Reconciled")
	if sellersOf(h).List().Shown() != 5 {
		t.Errorf("the list lost sellers: %d", sellersOf(h).List().Shown())
	}
}

func TestReceiptIsSavedOnApproval(t *testing.T) {
	saver := &uitest.FakeSaver{Dir: "/srv/kasse/receipts"}
	f := uitest.Charging(t, func(d *ui.Deps) { d.Receipts = saver })
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	f.H.Fire(sale.SaleTick{})
	if !f.H.On("Receipt") {
		t.Fatalf("no receipt:\n%s", f.H.View())
	}
	id := receipt(f.H).Sale().ID
	text := string(saver.File(id + ".txt"))
	for _, want := range []string{"Bäckerei Müller", "Coffee", "Total", "€5.70", "APPROVED", "VISA ····4242", "pi_1"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") || strings.Contains(text, "╭") {
		t.Errorf("the saved receipt is not plain text:\n%s", text)
	}
	f.H.Contains("Receipt saved to /srv/kasse/receipts/" + id + ".txt")
	f.H.Golden("receipt_saved")

	saver.Err = errors.New("disk full")
	g := uitest.Charging(t, func(d *ui.Deps) { d.Receipts = saver })
	g.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", 570, nil)}}
	g.H.Fire(sale.SaleTick{})
	g.H.Contains("Receipt not saved: disk full")
}

func TestReceiptEmailGoesIntoTheIntent(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	pay := d.Payments.(*uitest.FakePayments)
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("@", "text:guest@example", "enter")
	h.Contains("is not an email address")
	if reg(h).Email() != "" {
		t.Fatal("an invalid address was kept")
	}
	h.Keys("text:.com")
	h.Golden("register_email")
	h.Keys("enter")
	h.Contains("receipt → guest@example.com")
	h.Keys("c", "enter")
	if len(pay.Calls()) != 1 || pay.Calls()[0].Email != "guest@example.com" {
		t.Fatalf("create = %+v", pay.Calls())
	}
	// The next customer starts without it.
	f := uitest.Charging(t, nil)
	if f.Pay.Calls()[0].Email != "" {
		t.Errorf("an email leaked into another sale: %q", f.Pay.Calls()[0].Email)
	}
}

func TestReceiptEmailCanBeRemovedAndSurvivesAReaderChange(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	h := uitest.AtRegister(t, d, "bäck")
	h.Keys("@", "text:a@b.de", "enter", "@")
	if !reg(h).CapturesText() {
		t.Fatal("the email editor does not capture text (? would open help)")
	}
	h.Keys("ctrl+u", "enter")
	if reg(h).Email() != "" || reg(h).Sale().ReceiptEmail != "" {
		t.Fatal("an empty address did not remove it")
	}
	h.Keys("@", "text:x@y.org", "enter", "esc", "enter") // back to the readers, the same reader again
	if reg(h).Sale().ReceiptEmail != "x@y.org" {
		t.Errorf("after a reader change the sale's email = %q", reg(h).Sale().ReceiptEmail)
	}
}

func TestValidEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"guest@example.com": true, "a.b+c@shop.co.uk": true, "x@y.de": true,
		"": false, "guest": false, "guest@example": false, "a b@c.de": false, "a@b@c.de": false, "@c.de": false,
		"a@.de": false, "a@b.c": false, strings.Repeat("a", 250) + "@b.de": false,
	} {
		if got := sale.ValidEmail(in); got != want {
			t.Errorf("sale.ValidEmail(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestConfigWarningsShownWithReconciledUntilDismissed(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	d.Warnings = []i18n.Message{i18n.M("cli.config.key_file_readable", i18n.Args{"Path": "/home/ana/.config/kasse/config.toml", "Key": "api_key", "Mode": "0644"})}
	d.Reconciled = []pos.Sale{{ID: "till-1-s9", State: pos.SaleApproved, Amount: 800, Currency: "usd", IntentID: "pi_r9"}}
	h := uitest.New(t, d)
	h.Contains("⚠ /home/ana/.config/kasse/config.toml holds api_key", "chmod 600", "Reconciled 1 unfinished sale at start:")
	h.Golden("sellers_warning")
	h.Keys("esc")
	h.Lacks("holds api_key", "Reconciled")
	if sellersOf(h).List().Shown() != 5 {
		t.Errorf("the list lost sellers: %d", sellersOf(h).List().Shown())
	}
}

func TestReconciledRefundsAreNamedToo(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	d.Reconciled = []pos.Sale{{ID: "till-1-s9", State: pos.SaleApproved, Amount: 800, Currency: "usd", IntentID: "pi_r9"}}
	d.ReconciledRefunds = []pos.RefundFlow{{ID: "rf-till-1-r1", State: pos.RefundSucceeded, Amount: 250, Currency: "usd", RefundID: "re_r1"}}
	h := uitest.New(t, d)
	h.Contains("Reconciled 2 unfinished payments at start:", "till-1-s9 → approved · $8.00 · pi_r9",
		"refund rf-till-1-r1 → succeeded · $2.50 · re_r1")
}
