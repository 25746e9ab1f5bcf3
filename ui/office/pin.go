package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
)

// pinScreen asks for an operator's PIN before a back-office area opens.
// The PIN is typed masked (digits only), copied into the command that
// checks it and cleared from the form at once: the model never keeps it.
type pinScreen struct {
	sh   *shared
	area supervisor.Action
	form *form
	op   *field
	pin  *field

	request // the PIN check
	problem string
}

// pinCheckedMsg answers Guard.Authorize.
type pinCheckedMsg struct {
	seq      int
	area     supervisor.Action
	operator string
	err      error
}

func newPinScreen(sh *shared, area supervisor.Action) *pinScreen {
	s := &pinScreen{sh: sh, area: area, op: textField("Operator", 64, ""), pin: pinField()}
	s.form = newForm(s.op, s.pin)
	if sh.role() == areaRole(area) && sh.deps.Operator != "" {
		s.op.set(sh.deps.Operator)
		s.form.focusOn(s.pin)
	} else {
		s.op.hint = "the " + roleNoun(areaRole(area)) + "'s name"
	}
	return s
}

func roleNoun(role string) string {
	if role == RoleTech {
		return "technician"
	}
	return role
}

func (s *pinScreen) areaName() string { return areaTitle(s.area) }

func (s *pinScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pinCheckedMsg:
		if msg.area != s.area || !s.answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err == nil {
			return emit(areaGrantedMsg{area: s.area, operator: msg.operator})
		}
		s.form.focusOn(s.pin)
	case tea.KeyMsg:
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			s.pin.value = ""
			return emit(backMsg{})
		case s.busy:
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.key(msg):
			s.problem = ""
		}
	}
	return nil
}

// submit checks the PIN in a command; the field is cleared right away.
func (s *pinScreen) submit() tea.Cmd {
	op, pin := s.op.text(), s.pin.value
	s.pin.value = ""
	switch {
	case op == "":
		s.problem = "Type the operator's name first."
		s.form.focusOn(s.op)
		return nil
	case pin == "":
		s.problem = "Type the PIN."
		s.form.focusOn(s.pin)
		return nil
	}
	s.problem = ""
	seq, area, g, timeout := s.begin(s.sh), s.area, s.sh.deps.Guard, s.sh.deps.Timeout
	return timed(timeout, func(ctx context.Context) tea.Msg {
		err := g.Authorize(ctx, supervisor.Attempt{Operator: op, Action: area, PIN: supervisor.PIN(pin)})
		return pinCheckedMsg{seq: seq, area: area, operator: op, err: err}
	})
}

func (s *pinScreen) title() string { return areaTitle(s.area) + " — PIN" }

func (s *pinScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render(areaTitle(s.area)+" needs a "+roleNoun(areaRole(s.area))+"'s PIN") + "\n")
	who := "Signed in: " + orDash(s.sh.deps.Operator) + " (" + s.sh.role() + ")"
	b.WriteString(st.Muted.Render(who) + "\n\n")
	b.WriteString(s.form.view(st, w, 10) + "\n\n")
	switch {
	case s.busy:
		b.WriteString(s.sh.spinner() + st.Muted.Render(" Checking the PIN…"))
	case s.problem != "":
		b.WriteString(styledLines(st.Warning, s.problem, w))
	case s.err != nil:
		b.WriteString(styledLines(st.Danger, pinErrText(s.err), w))
	default:
		b.WriteString(st.Muted.Render("enter opens " + areaTitle(s.area) + " · esc goes back"))
	}
	if hint := s.sh.demoHint(s.area); hint != "" {
		b.WriteString("\n\n" + st.Muted.Render(cell(hint, w)))
	}
	return b.String()
}

// pinErrText renders a refused PIN (or any other failure of the check).
func pinErrText(err error) string {
	if r, ok := supervisor.AsRefusal(err); ok {
		return r.Error()
	}
	return "The PIN could not be checked: " + errText(err)
}

func (s *pinScreen) loading() bool      { return s.busy }
func (s *pinScreen) capturesText() bool { return true }

func (s *pinScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Fields, k.Submit, k.Back, k.Quit}
}

func (s *pinScreen) fullHelp() [][]key.Binding {
	return [][]key.Binding{s.sh.keys.formHelp()}
}
