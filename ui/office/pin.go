package office

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

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
	form *widgets.Form
	op   *widgets.Field
	pin  *widgets.Field

	widgets.Request // the PIN check
	problem         string
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
	s := &pinScreen{deps: deps, sess: sess, area: area, open: open, op: widgets.TextField("Operator", 64, ""), pin: widgets.PINField()}
	s.form = widgets.NewForm(s.op, s.pin)
	if sess.RoleOrCashier() == app.AreaRole(area) && sess.Operator != "" {
		s.op.Set(sess.Operator)
		s.form.FocusOn(s.pin)
	} else {
		s.op.Hint = "the " + app.RoleNoun(app.AreaRole(area)) + "'s name"
	}
	return s
}

func (s *pinScreen) Init() tea.Cmd { return nil }

func (s *pinScreen) Area() string { return app.AreaTitle(s.area) }

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
		s.form.FocusOn(s.pin)
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case key.Matches(msg, k.Back):
			s.pin.Value = ""
			return app.Pop()
		case s.Busy:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.Key(msg):
			s.problem = ""
		}
	}
	return nil
}

// submit checks the PIN in a command; the field is cleared right away.
func (s *pinScreen) submit() tea.Cmd {
	op, pin := s.op.Text(), s.pin.Value
	s.pin.Value = ""
	switch {
	case op == "":
		s.problem = "Type the operator's name first."
		s.form.FocusOn(s.op)
		return nil
	case pin == "":
		s.problem = "Type the PIN."
		s.form.FocusOn(s.pin)
		return nil
	}
	s.problem = ""
	seq, area, g, timeout := s.Begin(s.sess), s.area, s.deps.Guard, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		err := g.Authorize(ctx, supervisor.Attempt{Operator: op, Action: area, PIN: supervisor.PIN(pin)})
		return pinCheckedMsg{seq: seq, area: area, operator: op, err: err}
	})
}

func (s *pinScreen) Title() string { return app.AreaTitle(s.area) + " — PIN" }

func (s *pinScreen) View(w, h int) string {
	st := s.deps.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(app.AreaTitle(s.area)+" needs a "+app.RoleNoun(app.AreaRole(s.area))+"'s PIN") + "\n")
	who := "Signed in: " + widgets.OrDash(s.sess.Operator) + " (" + string(s.sess.RoleOrCashier()) + ")"
	b.WriteString(st.Muted.Render(who) + "\n\n")
	b.WriteString(s.form.View(st, w, 10) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" Checking the PIN…"))
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.Err != nil:
		b.WriteString(widgets.StyledLines(st.Danger, pinErrText(s.Err), w))
	default:
		b.WriteString(st.Muted.Render("enter opens " + app.AreaTitle(s.area) + " · esc goes back"))
	}
	if hint := widgets.DemoHint(s.deps, s.area); hint != "" {
		b.WriteString("\n\n" + st.Muted.Render(widgets.Cell(hint, w)))
	}
	return b.String()
}

// pinErrText renders a refused PIN (or any other failure of the check).
func pinErrText(err error) string {
	if r, ok := supervisor.AsRefusal(err); ok {
		return r.Error()
	}
	return "The PIN could not be checked: " + widgets.ErrText(err)
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
