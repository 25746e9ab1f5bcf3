package office

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
	"kasse/reports"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// txDetailScreen shows one PaymentIntent: its status, its charge, every
// refund and what is still refundable. A paid one can be refunded (r); an
// authorized one captured (c) or voided (v). It reloads whenever it is on
// top again, so a finished refund shows at once.
type txDetailScreen struct {
	deps            *app.Deps
	sess            *app.Session
	row             reports.Row
	d               reports.Detail
	widgets.Request // the detail's read
	loaded          bool
	problem         string
}

// txDetailMsg answers Reports.Detail.
type txDetailMsg struct {
	seq int
	d   reports.Detail
	err error
}

func newTxDetailScreen(deps *app.Deps, sess *app.Session, row reports.Row) *txDetailScreen {
	return &txDetailScreen{deps: deps, sess: sess, row: row}
}

func (s *txDetailScreen) Init() tea.Cmd { return s.load() }

func (s *txDetailScreen) Area() string { return app.AreaTitle(app.AreaTransactions) }

func (s *txDetailScreen) load() tea.Cmd {
	seq, r, seller, id, timeout := s.Begin(s.sess), s.deps.Reports, s.row.Seller, s.row.IntentID, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		d, err := r.Detail(ctx, seller, id)
		return txDetailMsg{seq: seq, d: d, err: err}
	})
}

func (s *txDetailScreen) Resume() tea.Cmd { return s.load() }

func (s *txDetailScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case txDetailMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			s.loaded, s.d = true, msg.d
		}
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

// voidable reports whether the intent can still be canceled.
func voidable(status string) bool {
	switch status {
	case pos.IntentRequiresCapture, pos.IntentRequiresPaymentMethod, pos.IntentRequiresConfirmation, pos.IntentRequiresAction:
		return true
	}
	return false
}

func (s *txDetailScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	s.problem = ""
	switch {
	case key.Matches(msg, k.Back):
		return app.Pop()
	case key.Matches(msg, k.Refresh):
		return s.load()
	case !s.loaded || s.Busy:
	case key.Matches(msg, k.Refund):
		if _, err := pos.RefundableFromIntent(s.intentWithCharge()); err != nil {
			s.problem = err.Error()
			return nil
		}
		if s.d.Refundable <= 0 {
			s.problem = "Nothing can be refunded: " + widgets.OrDash(s.d.NotRefundable)
			return nil
		}
		return s.open(actRefund)
	case key.Matches(msg, k.CaptureIntent):
		if s.d.Intent.Status != pos.IntentRequiresCapture {
			s.problem = "Only an authorized, uncaptured payment can be captured; this one is " + s.d.Intent.Status + "."
			return nil
		}
		return s.open(actCapture)
	case key.Matches(msg, k.Void):
		if !voidable(s.d.Intent.Status) {
			s.problem = "Only a payment that is not captured can be voided; this one is " + s.d.Intent.Status + ". Refund it instead."
			return nil
		}
		return s.open(actVoid)
	}
	return nil
}

// intentWithCharge is the intent with its charge filled in from the detail.
func (s *txDetailScreen) intentWithCharge() pos.Intent {
	in := s.d.Intent
	if in.LatestCharge == nil && s.d.Charge != nil {
		c := *s.d.Charge
		in.LatestCharge = &c
	}
	return in
}

func (s *txDetailScreen) open(act moneyAction) tea.Cmd {
	return app.Push(newMoneyScreen(s.deps, s.sess, act, s.row, s.d))
}

func (s *txDetailScreen) Title() string { return "Payment " + s.row.IntentID }

func (s *txDetailScreen) View(w, h int) string {
	st := s.deps.Styles
	var b strings.Builder
	title, who := st.Title.Render("Payment "+s.row.IntentID), st.Muted.Render(s.sellerName()+" ("+s.row.Seller.String()+")")
	if lipgloss.Width(title)+1+lipgloss.Width(who) <= w {
		b.WriteString(widgets.Spread(title, who, w) + "\n")
	} else { // the id is never cut to make room for the seller
		b.WriteString(title + "\n" + who + "\n")
	}
	switch {
	case s.Busy && !s.loaded:
		return b.String() + "\n" + s.deps.Spinner(s.sess) + st.Muted.Render(" Reading the payment…")
	case s.Err != nil && !s.loaded:
		return b.String() + "\n" + widgets.ErrLines(s.deps.Styles, "Could not read the payment: ", s.Err, w) +
			"\n\n" + st.Muted.Render("ctrl+r tries again, esc goes back.")
	}
	in, cur := s.d.Intent, s.d.Intent.Currency
	row := func(label, value string) { b.WriteString(st.Label.Render(widgets.Cell(label, 12)) + value + "\n") }
	b.WriteString("\n")
	row("Status", statusWord(st, in.Status)+st.Muted.Render(" · capture "+widgets.OrDash(in.CaptureMethod)))
	amount := pos.Format(in.Amount, cur)
	if in.Tip != nil && *in.Tip > 0 {
		amount += st.Muted.Render(" (tip " + widgets.AmountNum(*in.Tip, cur) + ")")
	}
	row("Amount", st.Total.Render(amount))
	if !in.Created.IsZero() {
		row("Created", in.Created.In(s.deps.Now().Location()).Format("2006-01-02 15:04:05"))
	}
	if id := s.saleID(); id != "" {
		row("Sale", id)
	}
	if in.Description != "" {
		row("Description", in.Description)
	}
	if c := s.d.Charge; c != nil {
		row("Card", widgets.OrDash(strings.TrimSpace(strings.ToUpper(c.Card.Brand)+" ····"+c.Card.Last4)))
		row("Charge", fmt.Sprintf("%s · %s · captured %s · refunded %s", c.ID, c.Status,
			widgets.AmountNum(c.AmountCaptured, cur), widgets.AmountNum(c.AmountRefunded, cur)))
	} else {
		row("Charge", st.Faint.Render("none"))
	}
	if in.LastError != nil {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell("Last error", 12))+st.Warning.Render(widgets.OrDash(in.LastError.Code)+" "+in.LastError.DeclineCode)+
			" "+in.LastError.Message, w) + "\n")
	}
	b.WriteString("\n" + st.Title.Render(fmt.Sprintf("Refunds (%d)", len(s.d.Refunds))) + "\n")
	if len(s.d.Refunds) == 0 {
		b.WriteString(st.Faint.Render("  none") + "\n")
	}
	for _, r := range s.d.Refunds {
		at := ""
		if !r.Created.IsZero() {
			at = r.Created.In(s.deps.Now().Location()).Format("01-02 15:04")
		}
		b.WriteString("  " + widgets.Cell(r.ID, 30) + " " + widgets.CellRight(pos.Format(r.Amount, orCur(r.Currency, cur)), 14) + "  " +
			widgets.Cell(r.Status, 10) + " " + widgets.Cell(r.Reason, 22) + " " + st.Muted.Render(at) + "\n")
	}
	b.WriteString("\n")
	switch {
	case in.Status == pos.IntentRequiresCapture:
		b.WriteString(st.Warning.Render("Authorized "+pos.Format(in.AmountCapturable, cur)+", not captured.") +
			st.Muted.Render(" c captures it, v voids it (releases the hold)."))
	case in.Status == pos.IntentSucceeded:
		b.WriteString(st.Label.Render(widgets.Cell("Refundable", 12)) + st.Total.Render(pos.Format(s.d.Refundable, cur)))
		if s.d.Refundable > 0 {
			b.WriteString(st.Muted.Render("  r refunds all or part of it"))
		} else if s.d.NotRefundable != "" {
			b.WriteString(st.Muted.Render("  " + s.d.NotRefundable))
		}
	}
	b.WriteString("\n")
	if s.problem != "" {
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	} else {
		b.WriteString(widgets.ReloadNote(s.deps, s.sess, s.Busy, s.Err, w))
	}
	return b.String()
}

func (s *txDetailScreen) sellerName() string {
	if s.row.SellerName != "" {
		return s.row.SellerName
	}
	return widgets.AccountName(s.sess, s.row.Seller)
}

func (s *txDetailScreen) saleID() string {
	if s.d.Journal != nil && s.d.Journal.Sale.ID != "" {
		return s.d.Journal.Sale.ID
	}
	if id := s.d.Intent.Metadata["kasse_sale_id"]; id != "" {
		return id
	}
	return s.row.SaleID
}

func orCur(c, def string) string {
	if c == "" {
		return def
	}
	return c
}

// statusWord colours an intent status.
func statusWord(st app.Styles, status string) string {
	switch status {
	case pos.IntentSucceeded:
		return st.Success.Render(status)
	case pos.IntentRequiresCapture, pos.IntentProcessing:
		return st.Warning.Render(status)
	case pos.IntentCanceled:
		return st.Muted.Render(status)
	}
	return st.Value.Render(widgets.OrDash(status))
}

func (s *txDetailScreen) Loading() bool      { return s.Busy }
func (s *txDetailScreen) CapturesText() bool { return false }

func (s *txDetailScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	b := []key.Binding{}
	switch s.d.Intent.Status {
	case pos.IntentSucceeded:
		b = append(b, k.Refund)
	case pos.IntentRequiresCapture:
		b = append(b, k.CaptureIntent, k.Void)
	default:
		if voidable(s.d.Intent.Status) {
			b = append(b, k.Void)
		}
	}
	return append(b, k.Refresh, k.Back, k.Help)
}

func (s *txDetailScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Refund, k.CaptureIntent, k.Void, k.Refresh}}
}

func (s *txDetailScreen) MinSize() (int, int) { return 70, app.BodyLines(16) }
