package ui

import (
	"context"
	"kasse/internal/plural"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// reconcileLogScreen lists what start-up reconciliation settled, on every
// start of every Kasse command on this journal, newest first. The start
// notice names only what this start settled; the rest is here (ctrl+l on
// the seller list).
type reconcileLogScreen struct {
	sh *shared
	request
	entries []LogEntry
	loaded  bool
	offset  int
	height  int // rows of the last view, for paging
}

// reconcileLogLimit is how many entries the screen reads.
const reconcileLogLimit = 500

type (
	openReconcileLogMsg struct{}
	reconcileLogMsg     struct {
		seq     int
		entries []LogEntry
		err     error
	}
)

func newReconcileLogScreen(sh *shared) *reconcileLogScreen { return &reconcileLogScreen{sh: sh} }

func (s *reconcileLogScreen) load() tea.Cmd {
	seq := s.begin(s.sh)
	src := s.sh.deps.ReconcileLog
	return timed(s.sh.deps.Timeout, func(ctx context.Context) tea.Msg {
		es, err := src.ReconcileLog(ctx, reconcileLogLimit)
		return reconcileLogMsg{seq: seq, entries: es, err: err}
	})
}

func (s *reconcileLogScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case reconcileLogMsg:
		if s.answered(msg.seq, msg.err) && msg.err == nil {
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
			return emit(backMsg{})
		}
	}
	return nil
}

func (s *reconcileLogScreen) scroll(d int) {
	s.offset = max(0, min(s.offset+d, len(s.entries)-1))
}

func (s *reconcileLogScreen) title() string    { return "Reconcile log" }
func (s *reconcileLogScreen) areaName() string { return "Reconcile log" }

func (s *reconcileLogScreen) view(w, h int) string {
	st := s.sh.st
	s.height = h
	top := spread(st.Title.Render("Reconcile log")+st.Muted.Render(" · what each start settled, newest first"),
		st.Muted.Render(plural.Count(len(s.entries), "line")), w)
	switch {
	case !s.loaded && s.err != nil:
		return top + "\n\n" + s.sh.errLines("Could not read the log: ", s.err, w) + "\n" + st.Muted.Render("ctrl+r tries again.")
	case !s.loaded:
		return top + "\n\n" + s.sh.spinner() + st.Muted.Render(" Reading the journal…")
	case len(s.entries) == 0:
		return top + "\n\n" + st.Muted.Render("Nothing was ever left unfinished: no start had anything to settle.")
	}
	var b strings.Builder
	b.WriteString(top + "\n" + reloadNote(s.sh, s.busy, s.err, w) + "\n")
	rows := max(1, h-2)
	end := min(len(s.entries), s.offset+rows)
	for _, e := range s.entries[s.offset:end] {
		who := strings.Trim(e.Console+" · "+e.Who, " ·")
		head := st.Faint.Render(e.At.In(s.sh.deps.Now().Location()).Format("2006-01-02 15:04")+"  ") + st.Muted.Render(cell(who, 18)) + "  "
		b.WriteString(cell(head+st.Value.Render(e.Text), w) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *reconcileLogScreen) loading() bool      { return s.busy }
func (s *reconcileLogScreen) capturesText() bool { return false }

func (s *reconcileLogScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Refresh, k.Back, k.Help}
}

func (s *reconcileLogScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Refresh}}
}
