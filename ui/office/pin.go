package office

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/config"
	"kasse/i18n"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// pinScreen asks for an operator's PIN before a back-office area opens.
// The PIN is typed masked (digits only), copied into the command that
// checks it and cleared from the form at once: the model never keeps it.
// Accepted, the area's first screen (open) takes the prompt's place.
type pinScreen struct {
	deps *app.Deps
	sess *app.Session
	area supervisor.Action
	open func() app.Screen
	ok   widgets.Approval

	widgets.FormState // the PIN check
}

// pinCheckedMsg answers Guard.Authorize.
type pinCheckedMsg struct {
	seq      int
	area     supervisor.Action
	operator string
	err      error
}

// NewPIN is area's PIN prompt; open builds the area's first screen once
// the PIN is accepted.
func NewPIN(deps *app.Deps, sess *app.Session, area supervisor.Action, open func() app.Screen) app.Screen {
	s := &pinScreen{deps: deps, sess: sess, area: area, open: open, ok: widgets.NewApproval(sess.Loc, sess.T("office.operator"), "", "")}
	s.Form = widgets.NewForm(s.ok.Op, s.ok.PIN)
	switch {
	case sess.RoleOrCashier() == app.AreaRole(area) && sess.Operator != "":
		s.ok.Op.Set(sess.Operator)
		s.Form.FocusOn(s.ok.PIN)
	case app.AreaRole(area) == config.RoleTech:
		s.ok.Op.Hint = sess.T("office.pin.tech_name")
	default:
		s.ok.Op.Hint = sess.T("office.pin.supervisor_name")
	}
	return s
}

func (s *pinScreen) Init() tea.Cmd { return nil }

func (s *pinScreen) Area() string { return app.AreaTitle(s.sess.Loc, s.area) }

func (s *pinScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pinCheckedMsg:
		if msg.area != s.area || !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			s.sess.Approver = msg.operator
			return app.Replace(s.open())
		}
		s.Form.FocusOn(s.ok.PIN)
	case tea.KeyMsg:
		return s.FormKey(s.deps.Keys, msg, s.submit)
	}
	return nil
}

// submit checks the PIN in a command; the field is cleared right away.
func (s *pinScreen) submit() tea.Cmd {
	op, pin := s.ok.Take()
	if f, problem := s.ok.Missing(s.sess.Loc, op, pin); f != nil {
		return s.Refuse(f, problem)
	}
	s.Problem = ""
	seq, area, g, timeout := s.Begin(s.sess), s.area, s.deps.Guard, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		err := g.Authorize(ctx, supervisor.Attempt{Operator: op, Action: area, PIN: supervisor.PIN(pin)})
		return pinCheckedMsg{seq: seq, area: area, operator: op, err: err}
	})
}

func (s *pinScreen) Title() string {
	return s.sess.T("office.pin.title", i18n.Args{"Area": app.AreaTitle(s.sess.Loc, s.area)})
}

func (s *pinScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	area := i18n.Args{"Area": app.AreaTitle(sess.Loc, s.area)}
	head := sess.T("office.pin.needs_supervisor", area)
	if app.AreaRole(s.area) == config.RoleTech {
		head = sess.T("office.pin.needs_tech", area)
	}
	b.WriteString(st.Title.Render(head) + "\n")
	b.WriteString(st.Muted.Render(sess.T("office.signed_in", i18n.Args{"Who": signedIn(sess, "")})) + "\n\n")
	b.WriteString(s.Form.View(st, w, 10) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("office.pin.checking")))
	case s.Problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.Problem, w))
	case s.Err != nil:
		b.WriteString(widgets.StyledLines(st.Danger, widgets.ApprovalErr(sess.Loc, s.deps.Now(), s.Err, "office.pin.check_failed"), w))
	default:
		b.WriteString(st.Muted.Render(sess.T("office.pin.hint", area)))
	}
	if hint := widgets.DemoHint(s.deps, sess.Loc, s.area); hint != "" {
		b.WriteString("\n\n" + st.Muted.Render(widgets.Cell(hint, w)))
	}
	return b.String()
}

func (s *pinScreen) Loading() bool      { return s.Busy }
func (s *pinScreen) CapturesText() bool { return true }

func (s *pinScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Fields, k.Submit, k.Back, k.Quit}
}

func (s *pinScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{s.deps.Keys.FormHelp()}
}

func (s *pinScreen) MinSize() (int, int) { return app.DefaultMinSize() }
