package office

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/i18n"
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

func (s *txDetailScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaTransactions) }

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
		if err := pos.CheckDispute(s.intentWithCharge(), s.d.Dispute); err != nil {
			s.problem = disputeRefusal(s.sess, s.d.Dispute)
			return nil
		}
		if _, err := pos.RefundableFromIntent(s.intentWithCharge()); err != nil {
			s.problem = refundProblem(s.sess.Loc, err, 0, s.d.Refundable, s.d.Intent.Currency)
			return nil
		}
		if s.d.Refundable <= 0 {
			s.problem = s.sess.T("office.detail.nothing_refundable", i18n.Args{"Why": s.why()})
			return nil
		}
		return s.open(actRefund)
	case key.Matches(msg, k.CaptureIntent):
		if s.d.Intent.Status != pos.IntentRequiresCapture {
			s.problem = s.sess.T("office.detail.not_capturable", i18n.Args{"Status": s.d.Intent.Status})
			return nil
		}
		return s.open(actCapture)
	case key.Matches(msg, k.Void):
		if !voidable(s.d.Intent.Status) {
			s.problem = s.sess.T("office.detail.not_voidable", i18n.Args{"Status": s.d.Intent.Status})
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

func (s *txDetailScreen) Title() string {
	return s.sess.T("office.detail.title", i18n.Args{"Intent": s.row.IntentID})
}

func (s *txDetailScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	title, who := st.Title.Render(s.Title()), st.Muted.Render(s.sellerName()+" ("+s.row.Seller.String()+")")
	if lipgloss.Width(title)+1+lipgloss.Width(who) <= w {
		b.WriteString(widgets.Spread(title, who, w) + "\n")
	} else { // the id is never cut to make room for the seller
		b.WriteString(title + "\n" + who + "\n")
	}
	switch {
	case s.Busy && !s.loaded:
		return b.String() + "\n" + s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("office.detail.reading"))
	case s.Err != nil && !s.loaded:
		return b.String() + "\n" + widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("office.detail.read_failed"), s.Err, w) +
			"\n\n" + st.Muted.Render(sess.T("office.detail.read_hint"))
	}
	in, cur := s.d.Intent, s.d.Intent.Currency
	row := func(label, value string) { b.WriteString(st.Label.Render(widgets.Cell(label, 12)) + value + "\n") }
	b.WriteString("\n")
	row(sess.T("office.tx.status"), statusWord(st, in.Status)+st.Muted.Render(" · "+sess.T("office.detail.capture_method",
		i18n.Args{"Method": widgets.OrDash(in.CaptureMethod)})))
	amount := sess.Money(in.Amount, cur)
	if in.Tip != nil && *in.Tip > 0 {
		amount += st.Muted.Render(" " + sess.T("office.detail.with_tip", i18n.Args{"Tip": sess.MoneyNumber(*in.Tip, cur)}))
	}
	row(sess.T("office.tx.col_amount"), st.Total.Render(amount))
	if !in.Created.IsZero() {
		row(sess.T("office.detail.created"), sess.FormatTime(in.Created.In(s.deps.Now().Location()), "format.datetime"))
	}
	if id := s.saleID(); id != "" {
		row(sess.T("office.detail.sale"), id)
	}
	if in.Description != "" {
		row(sess.T("sale.register.col_description"), in.Description)
	}
	if c := s.d.Charge; c != nil {
		row(sess.T("office.tx.col_card"), widgets.OrDash(strings.TrimSpace(strings.ToUpper(c.Card.Brand)+" ····"+c.Card.Last4)))
		row(sess.T("office.detail.charge"), sess.T("office.detail.charge_line", i18n.Args{"ID": c.ID, "Status": c.Status,
			"Captured": sess.MoneyNumber(c.AmountCaptured, cur), "Refunded": sess.MoneyNumber(c.AmountRefunded, cur)}))
	} else {
		row(sess.T("office.detail.charge"), st.Faint.Render(sess.T("office.detail.none")))
	}
	if d := s.d.Dispute; d != nil {
		row(sess.T("disputes.word"), st.Warning.Render(disputeLine(sess, *d)))
	}
	if in.LastError != nil {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell(sess.T("office.detail.last_error"), 12))+st.Warning.Render(widgets.OrDash(in.LastError.Code)+" "+in.LastError.DeclineCode)+
			" "+in.LastError.Message, w) + "\n")
	}
	b.WriteString("\n" + st.Title.Render(sess.T("office.detail.refunds", i18n.Args{"N": len(s.d.Refunds)})) + "\n")
	if len(s.d.Refunds) == 0 {
		b.WriteString(st.Faint.Render("  "+sess.T("office.detail.none")) + "\n")
	}
	for _, r := range s.d.Refunds {
		at := ""
		if !r.Created.IsZero() {
			at = sess.FormatTime(r.Created.In(s.deps.Now().Location()), "format.short_day_time")
		}
		b.WriteString("  " + widgets.Cell(r.ID, 30) + " " + widgets.CellRight(sess.Money(r.Amount, orCur(r.Currency, cur)), 14) + "  " +
			widgets.Cell(r.Status, 10) + " " + widgets.Cell(r.Reason, 22) + " " + st.Muted.Render(at) + "\n")
	}
	b.WriteString("\n")
	switch {
	case in.Status == pos.IntentRequiresCapture:
		b.WriteString(st.Warning.Render(sess.T("office.detail.authorized", i18n.Args{"Amount": i18n.Money{Amount: in.AmountCapturable, Currency: cur}})) +
			st.Muted.Render(" "+sess.T("office.detail.authorized_hint")))
	case in.Status == pos.IntentSucceeded && s.d.Dispute != nil && s.d.Dispute.BlocksRefund():
		if why := disputeRefusal(sess, s.d.Dispute); why != s.problem { // r refused: said once, as the problem below
			b.WriteString(st.Warning.Render(widgets.Wrap(why, w)))
		}
	case in.Status == pos.IntentSucceeded:
		b.WriteString(st.Label.Render(widgets.Cell(sess.T("office.detail.refundable"), 12)) + st.Total.Render(sess.Money(s.d.Refundable, cur)))
		if s.d.Refundable > 0 {
			b.WriteString(st.Muted.Render("  " + sess.T("office.detail.refund_hint")))
		} else if s.d.NotRefundable.ID != "" {
			b.WriteString(st.Muted.Render("  " + s.why()))
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

// why is why the payment cannot be refunded, in the session's words ("–"
// when it can).
func (s *txDetailScreen) why() string {
	if s.d.NotRefundable.ID == "" {
		return widgets.OrDash("")
	}
	return s.sess.Loc.Render(s.d.NotRefundable)
}
