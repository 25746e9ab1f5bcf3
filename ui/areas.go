package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/fleet"
	"kasse/ui/office"
)

// The back office (Transactions, End of day, Readers, Disputes) opens
// above the seller list: f2, f3, f4, f5 or the menu (f9). Every area first asks for a
// PIN (office.NewPIN); accepted, the area's first screen takes the
// prompt's place. Esc pops; leaving the last area screen forgets the
// approval (Model.forgetApproval).

// areaKey opens the back office from the seller list, or another area
// inside it. done reports that the key was one of the back-office keys.
func (m *Model) areaKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.deps.Keys
	var area supervisor.Action
	switch {
	case key.Matches(msg, k.Menu):
	case key.Matches(msg, k.Transactions):
		area = app.AreaTransactions
	case key.Matches(msg, k.EndOfDay):
		area = app.AreaEndOfDay
	case key.Matches(msg, k.Readers):
		area = app.AreaReaders
	case key.Matches(msg, k.Disputes):
		area = app.AreaDisputes
	default:
		return nil, false
	}
	if !m.areaOpen() && len(m.stack) > 1 {
		return app.Say(app.ToneWarn, m.sess.T("ui.area.from_sellers")), true
	}
	if area == "" {
		m.closeAreas()
		return m.push(office.NewMenu(m.deps, m.sess)), true
	}
	return m.openArea(area, false), true
}

// openArea opens area's PIN prompt: above the screen on top (from the
// menu), or in place of the back office open.
func (m *Model) openArea(area supervisor.Action, above bool) tea.Cmd {
	if why := m.deps.AreaMissing(m.sess.Loc, area); why != "" {
		return app.Say(app.ToneWarn, why)
	}
	if !above {
		m.closeAreas()
	}
	m.sess.Approver = ""
	return m.push(office.NewPIN(m.deps, m.sess, area, func() app.Screen { return m.areaScreen(area) }))
}

// areaScreen is the first screen of area.
func (m *Model) areaScreen(area supervisor.Action) app.Screen {
	switch area {
	case app.AreaTransactions:
		return office.NewTransactions(m.deps, m.sess)
	case app.AreaEndOfDay:
		return office.NewEndOfDay(m.deps, m.sess)
	case app.AreaReaders:
		return fleet.New(m.deps, m.sess)
	case app.AreaDisputes:
		return office.NewDisputes(m.deps, m.sess)
	}
	return nil
}

// closeAreas closes the area screens (the approval stays: another area
// opens at once).
func (m *Model) closeAreas() { m.truncate(m.areaStart()) }

// areaStart is the stack index of the first area screen (the length of
// the stack when none is open).
func (m *Model) areaStart() int {
	for i, s := range m.stack {
		if _, ok := s.(app.Area); ok {
			return i
		}
	}
	return len(m.stack)
}

// areaOpen reports whether an area is open above the seller list.
func (m *Model) areaOpen() bool { return m.areaStart() < len(m.stack) }

// areaCrumb names the area on screen for the header ("" outside one).
func (m *Model) areaCrumb() string {
	name := ""
	for _, s := range m.stack {
		if a, ok := s.(app.Area); ok {
			name = a.Area()
		}
	}
	return name
}
