package customers

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// removeScreen removes a saved card: a supervisor confirms with their PIN
// (typed masked, cleared at once; the Guard checks it and audits it), then
// the card is detached from the customer and can no longer pay anywhere.
type removeScreen struct {
	deps *app.Deps
	sess *app.Session
	c    pos.Customer
	card pos.SavedCard

	form    *widgets.Form
	op, pin *widgets.Field
	widgets.Request
	problem string
}

func newRemove(deps *app.Deps, sess *app.Session, c pos.Customer, card pos.SavedCard) *removeScreen {
	s := &removeScreen{deps: deps, sess: sess, c: c, card: card,
		op:  widgets.TextField(sess.T("customers.remove.supervisor"), 64, sess.T("customers.remove.supervisor_hint")),
		pin: widgets.PINField(sess.Loc)}
	if sess.RoleOrCashier() == config.RoleSupervisor && sess.Operator != "" {
		s.op.Set(sess.Operator)
	}
	s.form = widgets.NewForm(s.op, s.pin)
	if s.op.Text() != "" {
		s.form.FocusOn(s.pin)
	}
	return s
}

func (s *removeScreen) Init() tea.Cmd { return nil }

func (s *removeScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case removedMsg:
		if !s.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			s.form.FocusOn(s.pin)
			return nil
		}
		return tea.Batch(app.Pop(), app.Say(app.ToneOK, s.sess.T("customers.remove.done",
			i18n.Args{"Card": cardLabel(s.sess.Loc, s.card, s.deps.Now()), "Name": s.c.Label()})))
	case tea.KeyMsg:
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

// submit checks the PIN and removes the card in one command; the PIN
// field is cleared right away.
func (s *removeScreen) submit() tea.Cmd {
	op, pin := s.op.Text(), s.pin.Value
	s.pin.Value = ""
	switch {
	case op == "":
		s.problem = s.sess.T("office.pin.type_operator")
		s.form.FocusOn(s.op)
		return nil
	case pin == "":
		s.problem = s.sess.T("office.pin.type_pin")
		s.form.FocusOn(s.pin)
		return nil
	case s.deps.Guard == nil:
		s.problem = s.sess.T("customers.remove.no_guard")
		return nil
	}
	s.problem = ""
	g, svc, c, card := s.deps.Guard, s.deps.Customers, s.c, s.card
	seq := s.Begin(s.sess)
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		if err := g.Authorize(ctx, supervisor.Attempt{Operator: op, Action: supervisor.ActionRemoveCard, PIN: supervisor.PIN(pin),
			Subject: card.ID}); err != nil {
			return removedMsg{seq: seq, err: err}
		}
		_, err := svc.Remove(ctx, c, card.ID)
		return removedMsg{seq: seq, card: card, err: err}
	})
}

func (s *removeScreen) Title() string { return s.sess.T("customers.remove.title") }

func (s *removeScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	args := i18n.Args{"Card": cardLabel(sess.Loc, s.card, s.deps.Now()), "Name": s.c.Label()}
	b.WriteString(st.Title.Render(s.Title()) + "\n\n")
	b.WriteString(widgets.StyledLines(st.Value, sess.T("customers.remove.question", args), w) + "\n")
	b.WriteString(widgets.StyledLines(st.Muted, sess.T("customers.remove.note"), w) + "\n\n")
	b.WriteString(s.form.View(st, w, 12) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.remove.removing")))
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w))
	case s.Err != nil:
		if r, ok := supervisor.AsRefusal(s.Err); ok {
			b.WriteString(widgets.StyledLines(st.Danger, widgets.Refusal(sess.Loc, r, s.deps.Now()), w))
		} else {
			b.WriteString(widgets.ErrLines(st, sess.Loc, sess.T("customers.remove.failed"), s.Err, w))
		}
	}
	return b.String()
}

func (s *removeScreen) Loading() bool      { return s.Busy }
func (s *removeScreen) CapturesText() bool { return true }

func (s *removeScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Fields, k.Submit, k.Back}
}

func (s *removeScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

func (s *removeScreen) MinSize() (int, int) { return app.DefaultMinSize() }
