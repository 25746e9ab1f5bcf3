package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
)

// The back office (Transactions, End of day, Readers) lives on a stack of
// screens above the seller list: the menu, the PIN prompt, an area's
// screen and whatever it opens (a detail, a form). Esc pops; leaving the
// last one returns to the seller list and forgets the PIN approval.

// Back-office navigation messages.
type (
	// openAreaMsg asks for area's PIN prompt; above keeps the stack (from
	// the menu), otherwise the prompt replaces it.
	openAreaMsg struct {
		area  supervisor.Action
		above bool
	}
	// areaGrantedMsg: the PIN prompt accepted operator's PIN for area.
	areaGrantedMsg struct {
		area     supervisor.Action
		operator string
	}
	// pushMsg opens s above the current screen and runs cmd.
	pushMsg struct {
		s   screen
		cmd tea.Cmd
	}
	// replaceMsg replaces the top screen with s and runs cmd.
	replaceMsg struct {
		s   screen
		cmd tea.Cmd
	}
	// popMsg closes the n top screens.
	popMsg struct{ n int }
)

// shower is a screen that wants to know when it is on top again (to
// reload, or to resume its refresh timer).
type shower interface{ shown() tea.Cmd }

// areaNamer is a screen that names the area for the header.
type areaNamer interface{ areaName() string }

func areaTitle(area supervisor.Action) string {
	switch area {
	case AreaTransactions:
		return "Transactions"
	case AreaEndOfDay:
		return "End of day"
	case AreaReaders:
		return "Readers"
	}
	return "Back office"
}

// areaMissing says why area cannot open, or "".
func (sh *shared) areaMissing(area supervisor.Action) string {
	d := sh.deps
	switch {
	case d.Guard == nil:
		return "The back office is not set up on this console (no PIN guard)."
	case (area == AreaTransactions || area == AreaEndOfDay) && d.Reports == nil:
		return areaTitle(area) + " is not set up on this console (no reports)."
	case area == AreaReaders && d.Fleet == nil:
		return "Reader management is not set up on this console."
	}
	return ""
}

// areaKey opens the back office from the seller list or inside it.
func (m *Model) areaKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.sh.keys
	var area supervisor.Action
	switch {
	case key.Matches(msg, k.Menu):
	case key.Matches(msg, k.Transactions):
		area = AreaTransactions
	case key.Matches(msg, k.EndOfDay):
		area = AreaEndOfDay
	case key.Matches(msg, k.Readers):
		area = AreaReaders
	default:
		return nil, false
	}
	if len(m.stack) == 0 && m.active != scrSellers {
		return say(toneWarn, "The back office opens from the seller list: esc back to it first."), true
	}
	if area == "" {
		m.stack = []screen{newMenuScreen(m.sh)}
		return nil, true
	}
	return m.openArea(area, false), true
}

func (m *Model) openArea(area supervisor.Action, above bool) tea.Cmd {
	if why := m.sh.areaMissing(area); why != "" {
		return say(toneWarn, why)
	}
	p := newPinScreen(m.sh, area)
	if above {
		m.stack = append(m.stack, p)
	} else {
		m.stack = []screen{p}
	}
	m.sh.approver = ""
	return nil
}

// grantArea replaces the PIN prompt with the area's first screen.
func (m *Model) grantArea(msg areaGrantedMsg) tea.Cmd {
	n := len(m.stack)
	if n == 0 {
		return nil
	}
	if _, ok := m.stack[n-1].(*pinScreen); !ok {
		return nil
	}
	var s screen
	var cmd tea.Cmd
	switch msg.area {
	case AreaTransactions:
		t := newTxScreen(m.sh)
		s, cmd = t, t.load()
	case AreaEndOfDay:
		e := newEODScreen(m.sh)
		s, cmd = e, e.load()
	case AreaReaders:
		f := newFleetScreen(m.sh)
		s, cmd = f, f.load()
	default:
		return nil
	}
	m.sh.approver = msg.operator
	m.stack[n-1] = s
	return cmd
}

// navigateArea handles the back-office navigation messages.
func (m *Model) navigateArea(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case openAreaMsg:
		return m.openArea(msg.area, msg.above), true
	case areaGrantedMsg:
		return m.grantArea(msg), true
	case pushMsg:
		if len(m.stack) == 0 || msg.s == nil {
			return nil, true
		}
		m.stack = append(m.stack, msg.s)
		return msg.cmd, true
	case replaceMsg:
		if len(m.stack) == 0 || msg.s == nil {
			return nil, true
		}
		m.stack[len(m.stack)-1] = msg.s
		return msg.cmd, true
	case popMsg:
		return m.pop(max(1, msg.n)), true
	}
	return nil, false
}

// pop closes the n top screens of the back office.
func (m *Model) pop(n int) tea.Cmd {
	n = min(n, len(m.stack))
	for i := len(m.stack) - n; i < len(m.stack); i++ {
		m.stack[i] = nil
	}
	m.stack = m.stack[:len(m.stack)-n]
	if len(m.stack) == 0 {
		m.stack = nil
		m.sh.approver = ""
		return nil
	}
	if s, ok := m.stack[len(m.stack)-1].(shower); ok {
		return s.shown()
	}
	return nil
}

// areaCrumb names the back-office area on screen for the header.
func (m *Model) areaCrumb() string {
	if len(m.stack) == 0 {
		return ""
	}
	name := "Back office"
	for _, s := range m.stack {
		if a, ok := s.(areaNamer); ok {
			name = a.areaName()
		}
	}
	return name
}
