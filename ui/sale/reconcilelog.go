package sale

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
	"kasse/ui/widgets"
)

// reconcileLogScreen lists what start-up reconciliation settled, on every
// start of every Kasse command on this journal, newest first. The start
// notice names only what this start settled; the rest is here (ctrl+l on
// the seller list).
type reconcileLogScreen struct {
	deps *app.Deps
	sess *app.Session
	widgets.Request
	entries []app.LogEntry
	loaded  bool
	offset  int
	height  int // rows of the last view, for paging
}

// reconcileLogLimit is how many entries the screen reads.
const reconcileLogLimit = 500

type (
	reconcileLogMsg struct {
		seq     int
		entries []app.LogEntry
		err     error
	}
)

func newReconcileLogScreen(deps *app.Deps, sess *app.Session) *reconcileLogScreen {
	return &reconcileLogScreen{deps: deps, sess: sess}
}

func (s *reconcileLogScreen) Init() tea.Cmd { return s.load() }

func (s *reconcileLogScreen) load() tea.Cmd {
	seq := s.Begin(s.sess)
	src := s.deps.ReconcileLog
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		es, err := src.ReconcileLog(ctx, reconcileLogLimit)
		return reconcileLogMsg{seq: seq, entries: es, err: err}
	})
}

func (s *reconcileLogScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case reconcileLogMsg:
		if s.Answered(msg.seq, msg.err) && msg.err == nil {
			s.entries, s.loaded, s.offset = msg.entries, true, 0
		}
	case tea.KeyMsg:
		page := max(1, s.height-3)
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.Up):
			s.scroll(-1)
		case key.Matches(msg, k.Down):
			s.scroll(1)
		case key.Matches(msg, k.PageUp):
			s.scroll(-page)
		case key.Matches(msg, k.PageDown):
			s.scroll(page)
		case key.Matches(msg, k.Back):
			return app.Pop()
		}
	}
	return nil
}

func (s *reconcileLogScreen) scroll(d int) {
	s.offset = max(0, min(s.offset+d, len(s.entries)-1))
}

func (s *reconcileLogScreen) Title() string { return s.sess.T("sale.reconcile_log.title") }
func (s *reconcileLogScreen) Area() string  { return s.Title() }

func (s *reconcileLogScreen) View(w, h int) string {
	st := s.deps.Styles
	s.height = h
	sess := s.sess
	top := widgets.Spread(st.Title.Render(s.Title())+st.Muted.Render(" · "+sess.T("sale.reconcile_log.subtitle")),
		st.Muted.Render(sess.N("count.lines", len(s.entries))), w)
	switch {
	case !s.loaded && s.Err != nil:
		return top + "\n\n" + widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("sale.reconcile_log.failed"), s.Err, w) + "\n" +
			st.Muted.Render(sess.T("sale.sellers.load_hint"))
	case !s.loaded:
		return top + "\n\n" + s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("sale.reconcile_log.reading"))
	case len(s.entries) == 0:
		return top + "\n\n" + st.Muted.Render(sess.T("sale.reconcile_log.empty"))
	}
	var b strings.Builder
	b.WriteString(top + "\n" + widgets.ReloadNote(s.deps, s.sess, s.Busy, s.Err, w) + "\n")
	rows := max(1, h-2)
	end := min(len(s.entries), s.offset+rows)
	for _, e := range s.entries[s.offset:end] {
		who := strings.Trim(e.Console+" · "+e.Who, " ·")
		head := st.Faint.Render(sess.FormatTime(e.At.In(s.deps.Now().Location()), "format.datetime_minutes")+"  ") + st.Muted.Render(widgets.Cell(who, 18)) + "  "
		text := e.Text
		if e.Msg.ID != "" {
			text = sess.Loc.Render(e.Msg)
		}
		b.WriteString(widgets.Cell(head+st.Value.Render(text), w) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *reconcileLogScreen) Loading() bool      { return s.Busy }
func (s *reconcileLogScreen) CapturesText() bool { return false }

func (s *reconcileLogScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Refresh, k.Back, k.Help}
}

func (s *reconcileLogScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Refresh}}
}

func (s *reconcileLogScreen) MinSize() (int, int) { return app.DefaultMinSize() }
