package office

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/config"
	"kasse/i18n"
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
	k, sess := s.deps.Keys, s.sess
	return []menuItem{
		{app.AreaTransactions, k.Transactions, sess.T("office.menu.transactions")},
		{app.AreaEndOfDay, k.EndOfDay, sess.T("office.menu.end_of_day")},
		{app.AreaReaders, k.Readers, sess.T("office.menu.readers")},
		{app.AreaDisputes, k.Disputes, sess.T("disputes.menu")},
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

func (s *menuScreen) Title() string { return app.AreaTitle(s.sess.Loc, "") }
func (s *menuScreen) Area() string  { return s.Title() }

func (s *menuScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	b.WriteString(st.Muted.Render(sess.T("office.signed_in", i18n.Args{"Who": signedIn(sess, s.deps.ConsoleID)})) + "\n\n")
	for i, it := range s.items() {
		mark, text := widgets.RowStyle(st, i == s.cursor)
		name := widgets.Cell(app.AreaTitle(sess.Loc, it.area), 14)
		keyName := widgets.Cell(it.key.Help().Key, 4)
		need := pinNeed(sess, app.AreaRole(it.area))
		why := s.deps.AreaMissing(sess.Loc, it.area)
		line := name + " " + keyName + " " + widgets.Cell(it.what, 46) + " " + need
		if why != "" {
			line, text = widgets.Cell(name+" "+keyName+" "+why, w-2), st.RowDisabled
		}
		b.WriteString(mark + text.Render(line) + "\n")
	}
	b.WriteString("\n" + st.Muted.Render(sess.T("office.menu.footer")))
	return b.String()
}

// signedIn names the session's operator and role (at console, when not
// ""): "anna (cashier) @ till-1".
func signedIn(sess *app.Session, console string) string {
	a := i18n.Args{"Operator": widgets.OrDash(sess.Operator), "Role": app.RoleName(sess.Loc, sess.RoleOrCashier()), "Console": console}
	if console == "" {
		return sess.T("office.operator_role", a)
	}
	return sess.T("ui.header.who_role", a)
}

// pinNeed says whose PIN an area needs ("supervisor PIN").
func pinNeed(sess *app.Session, role config.Role) string {
	if role == config.RoleTech {
		return sess.T("office.menu.tech_pin")
	}
	return sess.T("office.menu.supervisor_pin")
}

func (s *menuScreen) Loading() bool      { return false }
func (s *menuScreen) CapturesText() bool { return false }

func (s *menuScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Up, k.Down, k.Choose, k.Transactions, k.EndOfDay, k.Readers, k.Disputes, k.Back, k.Help}
}

func (s *menuScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Choose}, k.AreaHelp()}
}

func (s *menuScreen) MinSize() (int, int) { return app.DefaultMinSize() }
