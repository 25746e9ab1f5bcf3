package fleet

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/internal/plural"
	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// readerDetailScreen is one reader's raw fields, health and current
// action, re-read every fleetRefresh while on screen, with the field
// tech's actions: rename, metadata, deregister, how to move it, a test
// payment, a display test, clear (after showing what it holds) and a
// diagnostics bundle export.
type readerDetailScreen struct {
	deps    *app.Deps
	sess    *app.Session
	g       readers.LocationGroup
	r       pos.Reader
	busy    bool
	err     error
	at      time.Time
	seq     int
	tickGen int
	paused  bool

	op           string   // the operation running ("" none)
	out          []string // what the last operation reported
	outTone      app.Tone
	confirmClear bool
}

type (
	readerReadMsg struct {
		seq int
		id  string
		r   pos.Reader
		err error
	}
	readerTickMsg struct {
		id  string
		gen int
	}
	// readerOpMsg reports an operation on reader id.
	readerOpMsg struct {
		id     string
		lines  []string
		tone   app.Tone
		reader *pos.Reader // the reader as the operation left it
	}
	// readerChangedMsg: a form changed reader r (rename, metadata).
	readerChangedMsg struct{ r pos.Reader }
)

func newReaderDetailScreen(deps *app.Deps, sess *app.Session, g readers.LocationGroup, r pos.Reader) *readerDetailScreen {
	if r.Owner == pos.Platform {
		r.Owner = g.Owner
	}
	return &readerDetailScreen{deps: deps, sess: sess, g: g, r: r, at: deps.Now()}
}

// Init starts the re-read timer.
func (s *readerDetailScreen) Init() tea.Cmd { return s.arm() }

func (s *readerDetailScreen) Area() string { return app.AreaTitle(app.AreaReaders) }

// arm schedules the next re-read.
func (s *readerDetailScreen) arm() tea.Cmd {
	s.tickGen = s.sess.NextSeq()
	return s.deps.After(fleetRefresh, readerTickMsg{id: s.r.ID, gen: s.tickGen})
}

func (s *readerDetailScreen) read() tea.Cmd {
	s.busy = true
	s.seq = s.sess.NextSeq()
	seq, t, owner, id, timeout := s.seq, s.deps.Terminal, s.r.Owner, s.r.ID, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := t.GetReader(ctx, owner, id)
		return readerReadMsg{seq: seq, id: id, r: r, err: err}
	})
}

func (s *readerDetailScreen) Resume() tea.Cmd {
	s.paused = false
	return s.read()
}

func (s *readerDetailScreen) setReader(r pos.Reader) {
	owner := s.r.Owner
	s.r = r
	if s.r.Owner == pos.Platform {
		s.r.Owner = owner
	}
	s.at = s.deps.Now()
}

func (s *readerDetailScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case readerReadMsg:
		if msg.seq != s.seq || msg.id != s.r.ID {
			return nil
		}
		s.busy, s.err = false, msg.err
		if msg.err == nil {
			s.setReader(msg.r)
		}
		return s.arm()
	case readerTickMsg:
		switch {
		case msg.id != s.r.ID || msg.gen != s.tickGen || s.busy:
		case !s.sess.IsTop(s):
			s.paused = true
		default:
			return s.read()
		}
	case readerOpMsg:
		if msg.id != s.r.ID {
			return nil
		}
		s.op, s.out, s.outTone = "", msg.lines, msg.tone
		if msg.reader != nil && msg.reader.ID == s.r.ID {
			s.setReader(*msg.reader)
		}
	case readerChangedMsg:
		if msg.r.ID == s.r.ID {
			s.setReader(msg.r)
		}
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *readerDetailScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	if s.confirmClear {
		switch {
		case key.Matches(msg, k.Yes) && !s.busy:
			s.confirmClear = false
			return s.run("clear", s.clearCmd())
		case key.Matches(msg, k.No):
			s.confirmClear = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		return app.Pop()
	case key.Matches(msg, k.Refresh):
		return s.read()
	case key.Matches(msg, k.Move):
		s.out, s.outTone = []string{readers.MoveExplanation}, app.ToneInfo
	case s.op != "":
		s.out, s.outTone = []string{"Wait for the " + s.op + " to finish."}, app.ToneWarn
	case key.Matches(msg, k.Rename):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formRename, s.g, s.r))
	case key.Matches(msg, k.Metadata):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formMetadata, s.g, s.r))
	case key.Matches(msg, k.Deregister):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formDeregister, s.g, s.r))
	case key.Matches(msg, k.TestPayment):
		return app.Push(newTestTxnScreen(s.deps, s.sess, s.g, s.r))
	case key.Matches(msg, k.DisplayTest):
		return s.run("display test", s.displayCmd())
	case key.Matches(msg, k.ClearReader):
		s.confirmClear = true
		s.out = nil
		return s.read() // show what it holds right now
	case key.Matches(msg, k.Diagnostics):
		if s.deps.Exports == nil {
			s.out, s.outTone = []string{"Exports are not set up on this console."}, app.ToneWarn
			return nil
		}
		return s.run("diagnostics export", s.diagnosticsCmd())
	}
	return nil
}

func (s *readerDetailScreen) run(op string, cmd tea.Cmd) tea.Cmd {
	s.op, s.out = op, nil
	return cmd
}

func (s *readerDetailScreen) displayCmd() tea.Cmd {
	f, owner, id, cur, timeout := s.deps.Fleet, s.r.Owner, s.r.ID, readerCurrency(s.sess, s.g), s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := f.DisplayTest(ctx, owner, id, cur)
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{"Display test failed: " + widgets.ErrText(err)}}
		}
		r := res.Reader
		return readerOpMsg{id: id, tone: app.ToneOK, reader: &r, lines: []string{fmt.Sprintf(
			"Display test sent: the reader should show %s, total %s. Nothing is charged.",
			plural.Count(len(res.Cart.Lines), "line"), pos.Format(res.Cart.Total, res.Cart.Currency))}}
	})
}

func (s *readerDetailScreen) clearCmd() tea.Cmd {
	f, owner, id, timeout := s.deps.Fleet, s.r.Owner, s.r.ID, s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		rep, err := f.Clear(ctx, owner, id)
		r := rep.Reader
		var rp *pos.Reader
		if r.ID != "" {
			rp = &r
		}
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, reader: rp, lines: []string{"Clear failed: " + widgets.ErrText(err)}}
		}
		t := app.ToneOK
		if !rep.Cleared {
			t = app.ToneInfo
		}
		return readerOpMsg{id: id, tone: t, reader: rp, lines: []string{"Held: " + describeAction(rep.Held), rep.Note}}
	})
}

func (s *readerDetailScreen) diagnosticsCmd() tea.Cmd {
	f, sv, owner, id, timeout := s.deps.Fleet, s.deps.Exports, s.r.Owner, s.r.ID, s.deps.Timeout
	recent := s.deps.RecentRequests
	name := "diagnostics-" + id + "-" + s.deps.Now().UTC().Format("20060102T150405") + ".json"
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		var rs []readers.RequestRecord
		if recent != nil {
			rs = recent()
		}
		data, derr := f.Diagnostics(ctx, owner, id, rs)
		if len(data) == 0 {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{"No diagnostics bundle: " + widgets.ErrText(derr)}}
		}
		p, err := sv.Save(name, data)
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{"The bundle could not be saved: " + widgets.ErrText(err)}}
		}
		lines := []string{"Diagnostics bundle saved to " + p, "Secrets are redacted; send it to support as is."}
		if derr != nil {
			lines = append(lines, "The reader could not be read, the bundle says why: "+widgets.ErrText(derr))
			return readerOpMsg{id: id, tone: app.ToneWarn, lines: lines}
		}
		return readerOpMsg{id: id, tone: app.ToneOK, lines: lines}
	})
}

// describeAction renders an action for people: readers.DescribeAction
// and the failure message.
func describeAction(a *pos.ReaderAction) string {
	s := readers.DescribeAction(a)
	if a != nil && a.FailureMessage != "" {
		s += " — " + a.FailureMessage
	}
	return s
}

func (s *readerDetailScreen) Title() string { return widgets.ReaderName(s.r) }

func (s *readerDetailScreen) View(w, h int) string {
	st := s.deps.Styles
	r := s.r
	var b strings.Builder
	read := "read " + s.at.Format("15:04:05")
	if s.busy {
		read = s.deps.Spinner(s.sess) + " reading…"
	}
	b.WriteString(widgets.Spread(st.Title.Render(widgets.ReaderName(r))+st.Muted.Render("  "+r.ID), st.Muted.Render(read), w) + "\n")
	row := func(label, value string) {
		b.WriteString(widgets.Cell(st.Label.Render(widgets.Cell(label, 11))+value, w) + "\n")
	}
	owner := "platform"
	if !r.Owner.IsPlatform() {
		owner = widgets.AccountName(s.sess, r.Owner) + st.Muted.Render(" ("+string(r.Owner)+")")
	}
	row("Owner", owner)
	row("Location", groupTitle(s.g)+st.Muted.Render(groupWhere(s.g)))
	row("Device", widgets.OrDash(readers.DeviceType(r)))
	status := st.Success.Render("● online")
	if !r.Online() {
		status = st.Danger.Render("● " + widgets.OrDash(r.Status))
	}
	row("Status", status)
	row("Serial", widgets.OrDash(r.SerialNumber))
	row("Software", widgets.OrDash(r.SoftwareVersion))
	row("IP", widgets.OrDash(r.IPAddress))
	row("Action", describeAction(r.Action))
	md := "–"
	if len(r.Metadata) > 0 {
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
			kv = append(kv, k+"="+r.Metadata[k])
		}
		md = strings.Join(kv, ", ")
	}
	row("Metadata", md)
	if s.err != nil {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell("Read", 11))+st.Danger.Render("failed: ")+widgets.ErrText(s.err), w) + "\n")
	}
	hr := readers.Health(r, s.deps.Now())
	row("Health", levelStyle(st, hr.Level).Render(hr.Level.String())+" "+hr.Summary)
	bottom := s.bottomView(w)
	// The findings give way to what can be done (a dialog, the outcome):
	// as many as fit, then how many more.
	problems := hr.Problems()
	room := h - strings.Count(b.String(), "\n") - 1 - lipgloss.Height(bottom)
	for i, c := range problems {
		if i == room-1 && len(problems) > room {
			row("", st.Muted.Render(fmt.Sprintf("… %d more (x saves the diagnostics)", len(problems)-i)))
			break
		}
		if i >= room {
			break
		}
		row("", levelStyle(st, c.Level).Render("• "+c.Name)+" "+c.Detail)
	}
	b.WriteString("\n" + bottom)
	return b.String()
}

// readerDetailFixedLines are the detail's lines above the health findings.
const readerDetailFixedLines = 12

// bottomView is what follows the fields: the clear dialog, an operation
// under way, its outcome or the keys.
func (s *readerDetailScreen) bottomView(w int) string {
	st := s.deps.Styles
	r := s.r
	var b strings.Builder
	switch {
	case s.confirmClear:
		held := "checking what it holds…"
		if !s.busy {
			held = "It holds: " + describeAction(r.Action) + "."
		}
		b.WriteString(st.Dialog.Render(st.Title.Render("Clear "+widgets.ReaderName(r)+"?") + "\n" + widgets.Wrap(held, w-6) + "\n" +
			st.Muted.Render("Clearing cancels that action on the reader; y clears, n keeps it.")))
	case s.op != "":
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+s.op+"…"))
	case len(s.out) == 0:
		b.WriteString(st.Muted.Render("n renames · m sets metadata · v explains moving it · ctrl+r reads it now"))
	default:
		for _, l := range s.out {
			b.WriteString(st.Status(s.outTone).Render(widgets.Wrap(l, w)) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func levelStyle(st app.Styles, level readers.Level) lipgloss.Style {
	switch level {
	case readers.LevelOK:
		return st.Success
	case readers.LevelWarn:
		return st.Warning
	case readers.LevelFail:
		return st.Danger
	}
	return st.Muted
}

func (s *readerDetailScreen) Loading() bool      { return s.busy || s.op != "" }
func (s *readerDetailScreen) CapturesText() bool { return false }

func (s *readerDetailScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.confirmClear {
		return []key.Binding{k.Yes, k.No}
	}
	return []key.Binding{k.TestPayment, k.DisplayTest, k.ClearReader, k.Deregister, k.Diagnostics, k.Back, k.Help}
}

func (s *readerDetailScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.TestPayment, k.DisplayTest, k.ClearReader, k.Diagnostics},
		{k.Rename, k.Metadata, k.Deregister, k.Move, k.Refresh}}
}

// MinSize: its fields, and the clear dialog when open (the health findings
// give way: see View).
func (s *readerDetailScreen) MinSize() (int, int) {
	if s.confirmClear {
		return 72, app.BodyLines(readerDetailFixedLines + 1 + 5)
	}
	return 72, app.BodyLines(readerDetailFixedLines + 2)
}
