package office

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// menuScreen is the back office's menu (f9): the areas, what each is for,
// whose PIN it needs and who is signed in. Enter asks the root for the
// area's PIN prompt (app.OpenArea).
type menuScreen struct {
	deps   *app.Deps
	sess   *app.Session
	cursor int
}

type menuItem struct {
	area supervisor.Action
	key  key.Binding
	what string
}

// NewMenu is the back office's menu.
func NewMenu(deps *app.Deps, sess *app.Session) app.Screen {
	return &menuScreen{deps: deps, sess: sess}
}

func (s *menuScreen) Init() tea.Cmd { return nil }

func (s *menuScreen) items() []menuItem {
	k := s.deps.Keys
	return []menuItem{
		{app.AreaTransactions, k.Transactions, "search sales, refund, void, capture"},
		{app.AreaEndOfDay, k.EndOfDay, "takings per seller, CSV and printable export"},
		{app.AreaReaders, k.Readers, "reader fleet, pairing, tests, diagnostics"},
	}
}

func (s *menuScreen) Update(msg tea.Msg) tea.Cmd {
	m, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k := s.deps.Keys
	items := s.items()
	switch {
	case key.Matches(m, k.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(m, k.Down):
		s.cursor = min(len(items)-1, s.cursor+1)
	case key.Matches(m, k.Choose):
		return app.OpenArea(items[s.cursor].area)
	case key.Matches(m, k.Back):
		return app.Pop()
	}
	return nil
}

func (s *menuScreen) Title() string { return "Back office" }
func (s *menuScreen) Area() string  { return "Back office" }

func (s *menuScreen) View(w, h int) string {
	st := s.deps.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Back office") + "\n")
	who := "Signed in: " + widgets.OrDash(s.sess.Operator) + " (" + string(s.sess.RoleOrCashier()) + ") @ " + s.deps.ConsoleID
	b.WriteString(st.Muted.Render(who) + "\n\n")
	for i, it := range s.items() {
		mark, text := widgets.RowStyle(st, i == s.cursor)
		name := widgets.Cell(app.AreaTitle(it.area), 14)
		keyName := widgets.Cell(it.key.Help().Key, 4)
		need := app.RoleNoun(app.AreaRole(it.area)) + " PIN"
		why := s.deps.AreaMissing(it.area)
		line := name + " " + keyName + " " + widgets.Cell(it.what, 46) + " " + need
		if why != "" {
			line, text = widgets.Cell(name+" "+keyName+" "+why, w-2), st.RowDisabled
		}
		b.WriteString(mark + text.Render(line) + "\n")
	}
	b.WriteString("\n" + st.Muted.Render("Every area asks for a PIN; refunds, voids and captures ask again."))
	return b.String()
}

func (s *menuScreen) Loading() bool      { return false }
func (s *menuScreen) CapturesText() bool { return false }

func (s *menuScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Up, k.Down, k.Choose, k.Transactions, k.EndOfDay, k.Readers, k.Back, k.Help}
}

func (s *menuScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Choose}, k.AreaHelp()}
}

func (s *menuScreen) MinSize() (int, int) { return app.DefaultMinSize() }
