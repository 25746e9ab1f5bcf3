package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
)

// menuScreen is the back office's menu (f9): the areas, what each is for,
// whose PIN it needs and who is signed in.
type menuScreen struct {
	sh     *shared
	cursor int
}

type menuItem struct {
	area supervisor.Action
	key  key.Binding
	what string
}

func newMenuScreen(sh *shared) *menuScreen { return &menuScreen{sh: sh} }

func (s *menuScreen) items() []menuItem {
	k := s.sh.keys
	return []menuItem{
		{AreaTransactions, k.Transactions, "search sales, refund, void, capture"},
		{AreaEndOfDay, k.EndOfDay, "takings per seller, CSV and printable export"},
		{AreaReaders, k.Readers, "reader fleet, pairing, tests, diagnostics"},
	}
}

func (s *menuScreen) update(msg tea.Msg) tea.Cmd {
	m, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k := s.sh.keys
	items := s.items()
	switch {
	case key.Matches(m, k.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(m, k.Down):
		s.cursor = min(len(items)-1, s.cursor+1)
	case key.Matches(m, k.Choose):
		return emit(openAreaMsg{area: items[s.cursor].area, above: true})
	case key.Matches(m, k.Back):
		return emit(backMsg{})
	}
	return nil
}

func (s *menuScreen) title() string { return "Back office" }

func (s *menuScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render("Back office") + "\n")
	who := "Signed in: " + orDash(s.sh.deps.Operator) + " (" + s.sh.role() + ") @ " + s.sh.deps.ConsoleID
	b.WriteString(st.Muted.Render(who) + "\n\n")
	for i, it := range s.items() {
		mark, text := rowStyle(st, i == s.cursor)
		name := cell(areaTitle(it.area), 14)
		keyName := cell(it.key.Help().Key, 4)
		need := roleNoun(areaRole(it.area)) + " PIN"
		why := s.sh.areaMissing(it.area)
		line := name + " " + keyName + " " + cell(it.what, 46) + " " + need
		if why != "" {
			line, text = cell(name+" "+keyName+" "+why, w-2), st.RowDisabled
		}
		b.WriteString(mark + text.Render(line) + "\n")
	}
	b.WriteString("\n" + st.Muted.Render("Every area asks for a PIN; refunds, voids and captures ask again."))
	return b.String()
}

func (s *menuScreen) loading() bool      { return false }
func (s *menuScreen) capturesText() bool { return false }

func (s *menuScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Up, k.Down, k.Choose, k.Transactions, k.EndOfDay, k.Readers, k.Back, k.Help}
}

func (s *menuScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Up, k.Down, k.Choose}, k.areaHelp()}
}
