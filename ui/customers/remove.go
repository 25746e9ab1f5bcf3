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

	ok widgets.Approval
	widgets.FormState
}

func newRemove(deps *app.Deps, sess *app.Session, c pos.Customer, card pos.SavedCard) *removeScreen {
	who := ""
	if sess.RoleOrCashier() == config.RoleSupervisor {
		who = sess.Operator
	}
	s := &removeScreen{deps: deps, sess: sess, c: c, card: card,
		ok: widgets.NewApproval(sess.Loc, sess.T("customers.remove.supervisor"), sess.T("customers.remove.supervisor_hint"), who)}
	s.Form = widgets.NewForm(s.ok.Op, s.ok.PIN)
	if s.ok.Op.Text() != "" {
		s.Form.FocusOn(s.ok.PIN)
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
			s.Form.FocusOn(s.ok.PIN)
			return nil
		}
		return tea.Batch(app.Pop(), app.Say(app.ToneOK, s.sess.T("customers.remove.done",
			i18n.Args{"Card": cardLabel(s.sess.Loc, s.card, s.deps.Now()), "Name": s.c.Label()})))
	case tea.KeyMsg:
		return s.FormKey(k, msg, s.submit)
	}
	return nil
}

// submit checks the PIN and removes the card in one command; the PIN
// field is cleared right away.
func (s *removeScreen) submit() tea.Cmd {
	op, pin := s.ok.Take()
	if f, problem := s.ok.Missing(s.sess.Loc, op, pin); f != nil {
		return s.Refuse(f, problem)
	}
	if s.deps.Guard == nil {
		s.Problem = s.sess.T("customers.remove.no_guard")
		return nil
	}
	s.Problem = ""
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
	b.WriteString(s.Form.View(st, w, 12) + "\n\n")
	switch {
	case s.Busy:
		b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.remove.removing")))
	case s.Problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.Problem, w))
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
