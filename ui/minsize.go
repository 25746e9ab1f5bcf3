package ui

import "github.com/charmbracelet/lipgloss"

// Minimum terminal sizes of the screens that need more than the default
// (layout.go): wide tables need 80 columns, tall forms and dialogs their
// lines. None needs more than 80×24.

// Tables of the back office: every column at 80.
func (s *txScreen) minSize() (int, int)    { return 80, defaultMinHeight }
func (s *eodScreen) minSize() (int, int)   { return 80, defaultMinHeight }
func (s *fleetScreen) minSize() (int, int) { return 80, defaultMinHeight }

// Forms: their fields, a line of outcome and the keys.
func (s *pairScreen) minSize() (int, int)     { return 64, bodyLines(3 + 14 + 2) }
func (s *moneyScreen) minSize() (int, int)    { return 64, bodyLines(12) }
func (s *testTxnScreen) minSize() (int, int)  { return 64, bodyLines(14) }
func (s *txDetailScreen) minSize() (int, int) { return 70, bodyLines(16) }

// readerDetailScreen: its fields, and the clear dialog when open (the
// health findings give way: see view).
func (s *readerDetailScreen) minSize() (int, int) {
	if s.confirmClear {
		return 72, bodyLines(readerDetailFixedLines + 1 + 5)
	}
	return 72, bodyLines(readerDetailFixedLines + 2)
}

// paymentScreen: with the test-card picker open, the picker whole below
// the one-line summary of the panels.
func (p *paymentScreen) minSize() (int, int) {
	if p.cards != nil {
		cards := p.cards.view()
		return max(defaultMinWidth, lipgloss.Width(cards)), bodyLines(4 + lipgloss.Height(cards))
	}
	return defaultMinWidth, defaultMinHeight
}

// receiptScreen: the whole slip and its notes.
func (r *receiptScreen) minSize() (int, int) {
	box := r.sh.st.Box.Render(r.slip())
	return max(defaultMinWidth, lipgloss.Width(box)), max(defaultMinHeight, bodyLines(lipgloss.Height(box)+2))
}
