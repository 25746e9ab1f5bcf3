package office_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/reports"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

// inTransactions opens Transactions as bea.
func inTransactions(t *testing.T, o *uitest.Office) *uitest.Harness {
	t.Helper()
	h := uitest.OpenArea(t, o, "f2", "bea", "2468")
	if _, ok := h.Top().(*office.TxScreen); !ok {
		t.Fatalf("not in Transactions:\n%s", h.View())
	}
	return h
}

// openTx opens the detail of the row whose intent is id.
func openTx(t *testing.T, h *uitest.Harness, id string) {
	t.Helper()
	tx := h.Top().(*office.TxScreen)
	for i, r := range tx.Rows() {
		if r.IntentID == id {
			tx.Select(i)
		}
	}
	h.Keys("enter")
	d, ok := h.Top().(*office.TxDetailScreen)
	if !ok || d.Row().IntentID != id || !d.Loaded() {
		t.Fatalf("detail of %s not open:\n%s", id, h.View())
	}
}

func TestTransactionsShowTodayWithPartialFailures(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	q := o.Rep.Queries[0]
	if !q.From.Equal(uitest.At(0, 0)) || !q.To.Equal(uitest.At(0, 0).Add(24*time.Hour)) || q.Seller != "" || q.Status != "" {
		t.Fatalf("first query = %+v, want today, unfiltered", q)
	}
	h.Contains("3 transactions", "pi_paid", "pi_auth", "uncaptured", "part refunded",
		"⚠ Incomplete: Blumen Schmidt (acct_1Blumen): list intents: account not connected")
	h.Lacks("pi_yesterday")
	h.Golden("transactions_list")
}

func TestTransactionFiltersBuildTheQuery(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	h.Keys("/")
	h.Golden("transactions_filters")
	// Amounts need one currency: the demo sellers use four.
	h.Keys("down", "down", "down", "down", "down", "down", "text:10", "enter")
	h.Contains("sellers use different currencies: choose a seller to filter by amount")
	h.Keys("up", "up", "up", "right", "enter") // seller: Bäckerei Müller
	q := o.Rep.Queries[len(o.Rep.Queries)-1]
	if q.Seller != "acct_1Baeckerei" || q.MinAmount != 1000 {
		t.Fatalf("query = %+v, want Bäckerei, min 10.00", q)
	}
	h.Contains("Bäckerei Müller · any status · ≥ €10.00 · any card", "1 transaction")
	// A time range and card.
	h.Keys("/", "up", "up", "ctrl+u", "text:12:00", "down", "ctrl+u", "text:14:30",
		"down", "down", "right", "down", "right", "right", "down", "down", "down", "text:4242", "enter")
	q = o.Rep.Queries[len(o.Rep.Queries)-1]
	if !q.From.Equal(uitest.At(12, 0)) || !q.To.Equal(uitest.At(14, 30)) || q.Status != reports.StatusApproved || q.Last4 != "4242" ||
		q.Refund != reports.RefundedPartly {
		t.Fatalf("query = %+v", q)
	}
	// A backwards range is refused locally.
	n := len(o.Rep.Queries)
	h.Keys("/", "up", "up", "up", "up", "up", "up", "up", "ctrl+u", "text:16:00", "enter")
	h.Contains("the time range ends (14:30) before it starts (16:00)")
	if len(o.Rep.Queries) != n {
		t.Error("an invalid filter still searched")
	}
	h.Keys("esc")
	h.Contains("/ filters")
}

func TestTransactionDetailShowsChargeAndRefundable(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Contains("succeeded", "€12.50", "VISA ····4242", "ch_paid", "Refunds (0)", "Refundable", "till-1-20260314T140200-k1")
	h.Golden("tx_detail")
}

func TestRefundOverTheRemainderIsRefusedBeforeAnyRequest(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r")
	if _, ok := h.Top().(*office.MoneyScreen); !ok {
		t.Fatalf("r did not open the refund form:\n%s", h.View())
	}
	h.Keys("text:13.00", "tab", "tab", "tab", "tab", "text:2468", "enter")
	h.Contains("refund €13.00 exceeds the €12.50 still refundable")
	if len(o.Sup.Calls()) != 0 {
		t.Fatalf("a request was made: %v", o.Sup.Calls())
	}
	if m := h.Top().(*office.MoneyScreen); m.PINField().Value != "" {
		t.Error("the PIN stayed in the form")
	}
	// The refusal put the cursor back on the amount.
	h.Keys("ctrl+u", "text:1.005", "tab", "tab", "tab", "tab", "text:2468", "enter")
	h.Contains("“1.005”: EUR has 2 decimals")
	if len(o.Sup.Calls()) != 0 {
		t.Fatalf("a request was made for a malformed amount: %v", o.Sup.Calls())
	}
}

func TestPartialRefundWithPINShowsWhatRemains(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r", "text:5", "tab", "right", "tab", "text:customer changed mind", "tab")
	m := h.Top().(*office.MoneyScreen)
	if m.OperatorField().Value != "bea" {
		t.Errorf("operator = %q, want the approver", m.OperatorField().Value)
	}
	h.Keys("tab", "text:2468")
	h.Golden("refund_form")
	h.Lacks("2468")
	h.Keys("enter")
	if got := strings.Join(o.Sup.Calls(), "|"); got != "refund acct_1Baeckerei pi_paid 500 duplicate by bea" {
		t.Fatalf("supervisor calls = %s", got)
	}
	h.Contains("Refund re_1 succeeded: €5.00. Still refundable: €7.50.")
	h.Golden("refund_done")
	h.Keys("enter") // back to the detail, which reloads
	h.Contains("Refunds (1)", "re_1", "€7.50", "duplicate")
	n := len(o.Rep.Queries)
	h.Keys("esc") // and the list searches again
	if len(o.Rep.Queries) != n+1 {
		t.Errorf("the list did not reload after the refund (%d searches)", len(o.Rep.Queries)-n)
	}
	h.Keys("enter", "esc")
	if len(o.Rep.Queries) != n+1 {
		t.Error("the list reloaded though nothing changed")
	}
}

func TestFullRefundSendsTheExplicitRemainder(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r", "tab", "tab", "tab", "tab", "text:2468", "enter")
	if got := strings.Join(o.Sup.Calls(), "|"); got != "refund acct_1Baeckerei pi_paid 1250 requested_by_customer by bea" {
		t.Fatalf("supervisor calls = %s", got)
	}
}

func TestRefundWithAWrongPINSaysSoAndKeepsTheForm(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_paid")
	h.Keys("r", "tab", "tab", "tab", "tab", "text:0000", "enter")
	h.Contains("wrong PIN, 2 tries left")
	m, ok := h.Top().(*office.MoneyScreen)
	if !ok || m.PINField().Value != "" || m.PINField() != m.Form.Current() {
		t.Fatalf("after a wrong PIN: form open %v, PIN kept %v", ok, ok && m.PINField().Value != "")
	}
	if d := o.Rep.Details["pi_paid"]; len(d.Refunds) != 0 {
		t.Fatal("a refund was made with a wrong PIN")
	}
}

func TestUncapturedPaymentIsVoidedOrCapturedNotRefunded(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_auth")
	h.Contains("Authorized $20.00, not captured.", "c capture", "v void")
	h.Keys("r")
	if _, ok := h.Top().(*office.TxDetailScreen); !ok {
		t.Fatal("r opened a refund on an uncaptured payment")
	}
	h.Contains("authorized but not captured")
	h.Keys("v")
	h.Golden("void_form")
	h.Keys("right", "tab", "tab", "tab", "text:2468", "enter")
	if got := strings.Join(o.Sup.Calls(), "|"); got != "void acct_1Taco pi_auth 0 duplicate by bea" {
		t.Fatalf("supervisor calls = %s", got)
	}
	h.Contains("Voided pi_auth (canceled)")
	h.Keys("esc")
	h.Contains("canceled")
}

func TestCaptureAboveTheAuthorizationIsRefused(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	openTx(t, h, "pi_auth")
	h.Keys("c", "text:25", "tab", "tab", "tab", "text:2468", "enter")
	h.Contains("capture $25.00 exceeds the $20.00 authorized")
	if len(o.Sup.Calls()) != 0 {
		t.Fatalf("calls = %v", o.Sup.Calls())
	}
	h.Keys("ctrl+u", "tab", "tab", "tab", "text:2468", "enter")
	if got := strings.Join(o.Sup.Calls(), "|"); got != "capture acct_1Taco pi_auth 0  by bea" {
		t.Fatalf("supervisor calls = %s", got)
	}
	h.Contains("Captured $20.00 on pi_auth (succeeded)")
}

// At 80 columns every payment id is readable whole (issue 10): the
// narrow list drops the card and refunded columns (the status still says
// "refunded"/"part refunded"; the detail has both), never the id.
func TestTransactionsShowWholePaymentIDsAt80Columns(t *testing.T) {
	o := uitest.OfficeDeps()
	ids := []string{"pi_3MtwBwLkdIwHu7ix28a3tqPa", "pi_GZDnwSS9vw3wJQHaJPgRj3cE", "pi_21SZMwpBGOrfbYIYDUtLEAzB", "pi_6gdFEggdiTcU8oI5eJBYYQQ2"}
	for i := range o.Rep.Rows {
		o.Rep.Rows[i].IntentID = ids[i]
	}
	h := uitest.OpenArea(t, o, "f2", "bea", "2468")
	h.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.Contains(ids[0], ids[1], ids[2], "part refunded")
	h.Golden("transactions_list_80")
	h.Send(tea.WindowSizeMsg{Width: 100, Height: 30}) // wide enough: card and refunded come back
	h.Contains(ids[0], "VISA ··4242", "Refunded")

	// The detail's title keeps the id whole next to a long seller name.
	d := o.Rep.Details["pi_paid"]
	d.Intent.ID = ids[0]
	o.Rep.Details[ids[0]] = d
	o.Rep.Rows[0].SellerName = "Bäckerei Müller am Marktplatz, Filiale Kreuzberg"
	h.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.Keys("ctrl+r", "enter")
	h.Contains("Payment "+ids[0], "Bäckerei Müller am Marktplatz, Filiale Kreuzberg (acct_1Baeckerei)")
}

// A reader's test payment is listed apart from the sales: its status says
// "test", and the status filter has the reader tests on their own (issue
// 10, finding 9). End of day names them and leaves them out of the figures.
func TestReaderTestsAreShownApart(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Rep.Rows = append(o.Rep.Rows,
		reports.Row{Kind: reports.KindTest, Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_test1",
			Status: reports.StatusCanceled, Amount: 50, Currency: "usd", Created: uitest.At(11, 0), RefundedKnown: true},
		reports.Row{Kind: reports.KindTest, Seller: "acct_1Taco", SellerName: "Taco Loco", IntentID: "pi_test2",
			Status: reports.StatusApproved, Amount: 50, Currency: "usd", Created: uitest.At(11, 5), RefundedKnown: true})
	h := inTransactions(t, o)
	h.Contains("test voided", "test captured")
	if got := office.TxStatusChoices(i18n.New(i18n.English)); got[len(got)-1] != "reader tests" {
		t.Fatalf("status choices = %v", got)
	}
	o.Rep.EOD.Sellers[1].Currencies[0].Tests, o.Rep.EOD.Sellers[1].Currencies[0].TestAmount = 2, 50
	h = inEOD(t, o)
	h.Contains("2 reader tests (0.50 captured), not counted")
}
