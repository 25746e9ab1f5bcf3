package ui_test

import (
	"testing"

	"kasse/config"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
)

// Notices of applied events reach the status line: a refund made in the
// Dashboard for everyone, a dispute for supervisors only; what was there
// before the console started is not told again.
func TestNoticesReachTheStatusLine(t *testing.T) {
	o := uitest.OfficeDeps()
	feed := &uitest.FakeNotices{}
	feed.Add(pos.Notice{Kind: pos.NoticeRefundElsewhere, Seller: "acct_1Baeckerei", SaleID: "old-sale", Amount: 100, Currency: "eur"})
	o.D.Notices = feed
	h := uitest.New(t, o.D)
	if !h.HasPending(ui.NoticeTick{}) {
		t.Fatal("the console does not look for notices")
	}
	h.Lacks("old-sale") // from before the start
	feed.Add(pos.Notice{Kind: pos.NoticeRefundElsewhere, Seller: "acct_1Baeckerei", SaleID: "till-1-s7", Amount: 400, Currency: "eur"})
	h.Fire(ui.NoticeTick{})
	h.Contains("€4.00 refunded outside Kasse: sale till-1-s7 at Bäckerei Müller")
	if !h.HasPending(ui.NoticeTick{}) {
		t.Fatal("the console stops looking after a notice")
	}
	// A dispute: not for a cashier…
	feed.Add(pos.Notice{Kind: pos.NoticeDisputeOpened, Seller: "acct_1Taco", IntentID: "pi_x", Amount: 900, Currency: "usd", Reason: "fraudulent"})
	h.Fire(ui.NoticeTick{})
	h.Lacks("Dispute opened")
	// …but for a supervisor's console.
	o2 := uitest.OfficeDeps()
	feed2 := &uitest.FakeNotices{}
	o2.D.Notices, o2.D.Operator, o2.D.Role = feed2, "bea", string(config.RoleSupervisor)
	h2 := uitest.New(t, o2.D)
	feed2.Add(pos.Notice{Kind: pos.NoticeDisputeOpened, Seller: "acct_1Taco", IntentID: "pi_x", Amount: 900, Currency: "usd", Reason: "product_not_received"},
		pos.Notice{Kind: pos.NoticeCaptured, Seller: "acct_1Taco", SaleID: "till-1-s9", Amount: 2000, Currency: "usd"})
	h2.Fire(ui.NoticeTick{})
	// Arriving together, the dispute is what the status line says (the capture is the "+1 more").
	h2.Lacks("captured elsewhere")
	h2.Contains("Dispute opened: $9.00 at Taco Loco, product not received", "(+1 more)")
	h2.Golden("notice_status_line")
}

// The transactions list reloads when a notice arrives while it is on top.
func TestTransactionsReloadOnNotice(t *testing.T) {
	o := uitest.OfficeDeps()
	feed := &uitest.FakeNotices{}
	o.D.Notices = feed
	h := uitest.OpenArea(t, o, "f2", "bea", "2468")
	h.MustBeOn("Transactions")
	before := len(o.Rep.Queries)
	feed.Add(pos.Notice{Kind: pos.NoticeCanceled, Seller: "acct_1Taco", SaleID: "till-1-s2", Amount: 2000, Currency: "usd"})
	h.Fire(ui.NoticeTick{})
	if len(o.Rep.Queries) != before+1 {
		t.Errorf("%d searches after the notice, want %d", len(o.Rep.Queries), before+1)
	}
	h.Contains("Sale till-1-s2 at Taco Loco ($20.00) was canceled elsewhere")
}
