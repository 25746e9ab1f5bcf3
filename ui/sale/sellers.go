package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/internal/plural"
	"kasse/pos"
)

// sellersScreen lists the platform's connected accounts. Sellers that cannot
// take card payments are listed, dimmed, with the reason, and cannot be
// chosen.
type sellersScreen struct {
	sh   *shared
	list pickList[pos.Seller]
	pickerLoad
	problem string // why the last Enter did nothing
	// reconciled lists what this start's reconciliation settled (sales,
	// then refunds) and could not settle, one line each, until dismissed;
	// earlier starts' are in the reconcile log (ctrl+l).
	reconciled []string
	// warnings are the configuration's warnings, until dismissed.
	warnings []string
}

func newSellersScreen(sh *shared) *sellersScreen {
	return &sellersScreen{sh: sh, pickerLoad: pickerLoad{busy: true}, reconciled: reconciledLines(sh.deps.Reconciled, sh.deps.ReconciledRefunds, sh.deps.Unsettled), warnings: sh.deps.Warnings, list: newPickList(func(s pos.Seller) string {
		return strings.ToLower(strings.Join([]string{s.DisplayName, string(s.ID), s.Country, s.Currency}, " "))
	})}
}

func (s *sellersScreen) load() tea.Cmd {
	s.startLoad()
	return loadSellersCmd(s.sh.deps.Sellers, s.sh.deps.Timeout)
}

// sellerBlock returns why a seller cannot take card payments, or "".
func sellerBlock(s pos.Seller) string {
	switch {
	case s.CardPayments == pos.CapabilityPending:
		return "card_payments pending verification"
	case s.CardPayments == pos.CapabilityInactive:
		return "card_payments inactive"
	case s.CardPayments != pos.CapabilityActive:
		return "card_payments not requested"
	case !s.ChargesEnabled:
		return "charges disabled"
	}
	return ""
}

func (s *sellersScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case sellersLoadedMsg:
		if s.loadDone(msg.err) {
			s.sh.sellers = append([]pos.Seller(nil), msg.sellers...)
			s.list.setItems(msg.sellers)
			s.preselect()
		}
	case prefsLoadedMsg:
		s.preselect()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.ReconcileLog) && s.sh.deps.ReconcileLog != nil:
			return emit(openReconcileLogMsg{})
		case key.Matches(msg, k.Choose):
			return s.choose()
		case s.list.handleKey(k, msg):
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
	s.list.preselect(string(s.sh.prefs.Seller), func(x pos.Seller) string { return string(x.ID) })
}

func (s *sellersScreen) choose() tea.Cmd {
	sel, ok := s.list.selected()
	if !ok {
		return nil
	}
	if why := sellerBlock(sel); why != "" {
		s.problem = sellerName(sel) + " cannot take card payments: " + why + "."
		return nil
	}
	s.problem = ""
	return emit(sellerChosenMsg{seller: sel})
}

func (s *sellersScreen) title() string { return "Choose a seller" }

func (s *sellersScreen) view(w, h int) string {
	st := s.sh.st
	top := st.Title.Render(s.title())
	if v, ok := s.firstLoadView(s.sh, top, "Loading connected accounts…", "Could not load the sellers: ",
		"ctrl+r tries again.", w); ok {
		return v
	}
	note := reloadNote(s.sh, s.busy, s.err, w)
	if s.problem != "" {
		note = styledLines(st.Warning, s.problem, w)
	}
	notice := s.warningsView(w)
	if d := s.sh.demoOperatorsView(w); d != "" {
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
	body := s.list.render(s.sh, "seller", w, h-1-max(1, lineCount(note))-lipgloss.Height(notice)+1, s.row)
	return top + "\n" + note + "\n" + notice + body
}

// reconciledMax is how many reconciled sales the notice names.
const reconciledMax = 4

// reconciledLines describes each sale that could not be settled, then
// each settled sale and refund, in one line.
func reconciledLines(sales []pos.Sale, refunds []pos.RefundFlow, unsettled []string) []string {
	var out []string
	for _, u := range unsettled {
		out = append(out, "not settled: "+u)
	}
	for _, x := range sales {
		line := x.ID + " → " + string(x.State)
		if x.Amount > 0 {
			line += " · " + pos.Format(x.Amount, x.Currency)
		}
		if x.IntentID != "" {
			line += " · " + x.IntentID
		}
		out = append(out, line)
	}
	for _, r := range refunds {
		line := "refund " + r.ID + " → " + string(r.State)
		if r.Amount > 0 {
			line += " · " + pos.Format(r.Amount, r.Currency)
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

// warningsView shows the configuration's warnings, one wrapped line each.
func (s *sellersScreen) warningsView(w int) string {
	if len(s.warnings) == 0 {
		return ""
	}
	st := s.sh.st
	out := make([]string, len(s.warnings))
	for i, x := range s.warnings {
		out[i] = st.Warning.Width(max(w, 20)).Render("⚠ " + x)
	}
	if len(s.reconciled) == 0 {
		out = append(out, st.Muted.Render("esc dismisses"))
	}
	return strings.Join(out, "\n")
}

// reconciledView names what reconciliation settled at start.
func (s *sellersScreen) reconciledView(w int) string {
	n := len(s.reconciled)
	if n == 0 {
		return ""
	}
	st := s.sh.st
	open := len(s.sh.deps.Unsettled)
	done := n - open
	noun := "unfinished payment"
	if len(s.sh.deps.ReconciledRefunds) == 0 {
		noun = "unfinished sale"
	}
	head := fmt.Sprintf("Reconciled %s at start:", plural.Count(done, noun))
	if open > 0 {
		head = fmt.Sprintf("Reconciled %s at start, %d not settled:", plural.Count(done, noun), open)
	}
	out := spread(st.Warning.Render(head), st.Muted.Render("esc dismisses"), w)
	for i, line := range s.reconciled {
		if i == reconciledMax {
			more := fmt.Sprintf("  … and %d more (see the log file)", n-reconciledMax)
			if s.sh.deps.ReconcileLog != nil {
				more = fmt.Sprintf("  … and %d more: ctrl+l shows them in the reconcile log", n-reconciledMax)
			}
			out += "\n" + st.Muted.Render(more)
			break
		}
		out += "\n" + cell("  "+line, w)
	}
	return out
}

func (s *sellersScreen) row(x pos.Seller, selected bool, w int) string {
	st := s.sh.st
	why := sellerBlock(x)
	mark, text := rowStyle(st, selected)
	if why != "" {
		text = st.RowDisabled
	}
	nameW := max(12, min(36, w-48))
	status := "✓ card payments"
	if why != "" {
		status = "✗ " + why
	}
	line := cell(sellerName(x), nameW) + "  " + cell(x.Country, 3) + " " +
		cell(strings.ToUpper(x.Currency), 4) + " " + status
	return mark + text.Render(cell(line, w-2))
}

func (s *sellersScreen) loading() bool      { return s.busy }
func (s *sellersScreen) capturesText() bool { return false }

func (s *sellersScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	b := []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Refresh}
	if s.hasNotice() {
		b = append(b, k.Dismiss)
	}
	if s.sh.deps.ReconcileLog != nil && len(s.reconciled) > 0 {
		b = append(b, k.ReconcileLog)
	}
	if s.sh.deps.Guard != nil {
		b = append(b, k.Menu)
	}
	b = append(b, k.Help)
	if len(b) < 7 {
		b = append(b, k.Quit)
	}
	return b
}

func (s *sellersScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	g := pickerFullHelp(k)
	if s.hasNotice() {
		g[1] = append(g[1], k.Dismiss)
	}
	if s.sh.deps.ReconcileLog != nil {
		g[1] = append(g[1], k.ReconcileLog)
	}
	if s.sh.deps.Guard != nil {
		g = append(g, k.areaHelp())
	}
	return g
}
