package sale

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// sellersScreen lists the platform's connected accounts. Sellers that cannot
// take card payments are listed, dimmed, with the reason, and cannot be
// chosen. It is the sale flow's home: the bottom of the stack.
type sellersScreen struct {
	flow *Flow
	deps *app.Deps
	sess *app.Session
	list widgets.PickList[pos.Seller]
	pickerLoad
	problem string // why the last Enter did nothing
	// reconciled lists what this start's reconciliation settled (sales,
	// then refunds) and could not settle, one line each, until dismissed;
	// earlier starts' are in the reconcile log (ctrl+l).
	reconciled []string
	// warnings are the configuration's warnings, until dismissed.
	warnings []string
}

func newSellersScreen(f *Flow) *sellersScreen {
	d := f.deps
	return &sellersScreen{flow: f, deps: d, sess: f.sess, pickerLoad: pickerLoad{busy: true},
		reconciled: reconciledLines(f.sess, d.Reconciled, d.ReconciledRefunds, d.Unsettled), warnings: rendered(f.sess, d.Warnings),
		list: widgets.NewPickList(func(s pos.Seller) string {
			return strings.ToLower(strings.Join([]string{s.DisplayName, string(s.ID), s.Country, s.Currency}, " "))
		})}
}

// Init loads the sellers and the remembered choices.
func (s *sellersScreen) Init() tea.Cmd {
	return tea.Batch(s.load(), loadPrefsCmd(s.deps.Prefs))
}

func (s *sellersScreen) load() tea.Cmd {
	s.startLoad()
	return loadSellersCmd(s.deps.Sellers, s.deps.Timeout)
}

func (s *sellersScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case sellersLoadedMsg:
		if s.loadDone(msg.err) {
			s.sess.Sellers = append([]pos.Seller(nil), msg.sellers...)
			s.list.SetItems(msg.sellers)
			s.preselect()
		}
	case prefsLoadedMsg:
		if msg.err != nil {
			return app.Say(app.ToneWarn, s.sess.T("sale.sellers.prefs_unread", i18n.Args{"Error": widgets.ErrText(s.sess.Loc, msg.err)}))
		}
		s.sess.Prefs = msg.prefs
		s.preselect()
	case prefsSavedMsg:
		if msg.err != nil {
			return app.Say(app.ToneWarn, s.sess.T("sale.sellers.prefs_unsaved", i18n.Args{"Error": widgets.ErrText(s.sess.Loc, msg.err)}))
		}
	case offerLoadedMsg:
		return s.flow.openOffered(msg)
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.ReconcileLog) && s.deps.ReconcileLog != nil:
			return app.Push(newReconcileLogScreen(s.deps, s.sess))
		case key.Matches(msg, k.Customers) && s.deps.Customers != nil: // ui/customers
			return app.OpenCustomers(s.sess.Seller, "")
		case key.Matches(msg, k.Choose):
			return s.choose()
		case s.list.HandleKey(k, msg):
			s.problem = ""
		case key.Matches(msg, k.Dismiss) && s.hasNotice():
			s.reconciled, s.warnings = nil, nil
		}
	}
	return nil
}

// preselect puts the cursor on the remembered seller until the operator
// moves it.
func (s *sellersScreen) preselect() {
	s.list.Preselect(string(s.sess.Prefs.Seller), func(x pos.Seller) string { return string(x.ID) })
}

func (s *sellersScreen) choose() tea.Cmd {
	sel, ok := s.list.Selected()
	if !ok {
		return nil
	}
	if why := widgets.SellerBlock(s.sess.Loc, sel); why != "" {
		s.problem = s.sess.T("sale.sellers.blocked", i18n.Args{"Seller": widgets.SellerName(sel), "Reason": why})
		return nil
	}
	s.problem = ""
	return s.flow.chooseSeller(sel, false)
}

func (s *sellersScreen) Title() string { return s.sess.T("sale.sellers.title") }

func (s *sellersScreen) View(w, h int) string {
	st := s.deps.Styles
	top := st.Title.Render(s.Title())
	if v, ok := s.firstLoadView(s.deps, s.sess, top, s.sess.T("sale.sellers.loading"), s.sess.T("sale.sellers.load_failed"),
		s.sess.T("sale.sellers.load_hint"), w); ok {
		return v
	}
	note := widgets.ReloadNote(s.deps, s.sess, s.busy, s.err, w)
	if s.problem != "" {
		note = widgets.StyledLines(st.Warning, s.problem, w)
	}
	notice := s.warningsView(w)
	if d := widgets.DemoOperatorsView(s.deps, s.sess.Loc, w); d != "" {
		if notice != "" {
			d += "\n"
		}
		notice = d + notice
	}
	if r := s.reconciledView(w); r != "" {
		if notice != "" {
			notice += "\n"
		}
		notice += r
	}
	if notice != "" {
		notice += "\n"
	}
	count := func(n int) string { return s.sess.N("count.sellers", n) }
	body := s.list.Render(s.deps.Styles, s.sess.Loc, count, w, h-1-max(1, widgets.LineCount(note))-lipgloss.Height(notice)+1, s.row)
	return top + "\n" + note + "\n" + notice + body
}

// reconciledMax is how many reconciled sales the notice names.
const reconciledMax = 4

// reconciledLines describes each sale that could not be settled, then
// each settled sale and refund, in one line, in the session's language.
func reconciledLines(sess *app.Session, sales []pos.Sale, refunds []pos.RefundFlow, unsettled []i18n.Message) []string {
	var out []string
	for _, u := range unsettled {
		out = append(out, sess.T("sale.sellers.not_settled", i18n.Args{"What": u}))
	}
	for _, x := range sales {
		line := x.ID + " → " + stateText(sess.Loc, x.State)
		if x.Amount > 0 {
			line += " · " + sess.Money(x.Amount, x.Currency)
		}
		if x.IntentID != "" {
			line += " · " + x.IntentID
		}
		out = append(out, line)
	}
	for _, r := range refunds {
		line := sess.T("sale.sellers.refund_line", i18n.Args{"ID": r.ID, "State": refundStateText(sess.Loc, r.State)})
		if r.Amount > 0 {
			line += " · " + sess.Money(r.Amount, r.Currency)
		}
		if r.RefundID != "" {
			line += " · " + r.RefundID
		}
		out = append(out, line)
	}
	return out
}

// hasNotice reports whether a start notice (warnings, reconciliation) is
// shown; esc dismisses it.
func (s *sellersScreen) hasNotice() bool { return len(s.reconciled) > 0 || len(s.warnings) > 0 }

// rendered is ms in the session's words.
func rendered(sess *app.Session, ms []i18n.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = sess.Loc.Render(m)
	}
	return out
}

// warningsView shows the configuration's warnings, one wrapped line each.
func (s *sellersScreen) warningsView(w int) string {
	if len(s.warnings) == 0 {
		return ""
	}
	st := s.deps.Styles
	out := make([]string, len(s.warnings))
	for i, x := range s.warnings {
		out[i] = st.Warning.Width(max(w, 20)).Render("⚠ " + x)
	}
	if len(s.reconciled) == 0 {
		out = append(out, st.Muted.Render(s.sess.T("sale.sellers.esc_dismisses")))
	}
	return strings.Join(out, "\n")
}

// reconciledView names what reconciliation settled at start.
func (s *sellersScreen) reconciledView(w int) string {
	n := len(s.reconciled)
	if n == 0 {
		return ""
	}
	st := s.deps.Styles
	open := len(s.deps.Unsettled)
	done := n - open
	var head string
	switch {
	case len(s.deps.ReconciledRefunds) == 0 && open > 0:
		head = s.sess.N("sale.sellers.reconciled_sales_open", done, i18n.Args{"Open": open})
	case len(s.deps.ReconciledRefunds) == 0:
		head = s.sess.N("sale.sellers.reconciled_sales", done)
	case open > 0:
		head = s.sess.N("sale.sellers.reconciled_payments_open", done, i18n.Args{"Open": open})
	default:
		head = s.sess.N("sale.sellers.reconciled_payments", done)
	}
	out := widgets.Spread(st.Warning.Render(head), st.Muted.Render(s.sess.T("sale.sellers.esc_dismisses")), w)
	for i, line := range s.reconciled {
		if i == reconciledMax {
			more := s.sess.N("sale.sellers.more_in_log_file", n-reconciledMax)
			if s.deps.ReconcileLog != nil {
				more = s.sess.N("sale.sellers.more_in_reconcile_log", n-reconciledMax)
			}
			out += "\n" + st.Muted.Render("  "+more)
			break
		}
		out += "\n" + widgets.Cell("  "+line, w)
	}
	return out
}

func (s *sellersScreen) row(x pos.Seller, selected bool, w int) string {
	st := s.deps.Styles
	why := widgets.SellerBlock(s.sess.Loc, x)
	mark, text := widgets.RowStyle(st, selected)
	if why != "" {
		text = st.RowDisabled
	}
	nameW := max(12, min(36, w-48))
	status := "✓ " + s.sess.T("sale.sellers.card_payments")
	if why != "" {
		status = "✗ " + why
	}
	if c := widgets.SellerCharges(s.sess.Loc, x); c != "" && why == "" {
		status += " · " + c // i18n:ok a separator
	}
	line := widgets.Cell(widgets.SellerName(x), nameW) + "  " + widgets.Cell(x.Country, 3) + " " +
		widgets.Cell(strings.ToUpper(x.Currency), 4) + " " + status
	return mark + text.Render(widgets.Cell(line, w-2))
}

func (s *sellersScreen) Loading() bool      { return s.busy }
func (s *sellersScreen) CapturesText() bool { return false }

func (s *sellersScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	b := []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Refresh}
	if s.hasNotice() {
		b = append(b, k.Dismiss)
	}
	if s.deps.ReconcileLog != nil && len(s.reconciled) > 0 {
		b = append(b, k.ReconcileLog)
	}
	if s.deps.Guard != nil {
		b = append(b, k.Menu)
	}
	b = append(b, k.Help)
	if len(b) < 7 {
		b = append(b, k.Quit)
	}
	return b
}

func (s *sellersScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	g := pickerFullHelp(k)
	if s.hasNotice() {
		g[1] = append(g[1], k.Dismiss)
	}
	if s.deps.ReconcileLog != nil {
		g[1] = append(g[1], k.ReconcileLog)
	}
	if s.deps.Customers != nil {
		g[1] = append(g[1], k.Customers)
	}
	if s.deps.Guard != nil {
		g = append(g, k.AreaHelp())
	}
	return g
}

func (s *sellersScreen) MinSize() (int, int) { return app.DefaultMinSize() }
