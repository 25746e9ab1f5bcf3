package fleet

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/i18n"
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

	op           string   // the operation running: its message key ("" none)
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

func (s *readerDetailScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

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
			return s.run("fleet.op.clear", s.clearCmd())
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
		s.out, s.outTone = []string{s.sess.Loc.Render(readers.MoveExplanation)}, app.ToneInfo
	case s.op != "":
		s.out, s.outTone = []string{s.sess.T("fleet.detail.wait", i18n.Args{"Operation": s.sess.T(s.op)})}, app.ToneWarn
	case key.Matches(msg, k.Rename):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formRename, s.g, s.r))
	case key.Matches(msg, k.Metadata):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formMetadata, s.g, s.r))
	case key.Matches(msg, k.Deregister):
		return app.Push(newReaderFormScreen(s.deps, s.sess, formDeregister, s.g, s.r))
	case key.Matches(msg, k.TestPayment):
		return app.Push(newTestTxnScreen(s.deps, s.sess, s.g, s.r))
	case key.Matches(msg, k.DisplayTest):
		return s.run("fleet.op.display_test", s.displayCmd())
	case key.Matches(msg, k.ClearReader):
		s.confirmClear = true
		s.out = nil
		return s.read() // show what it holds right now
	case key.Matches(msg, k.Diagnostics):
		if s.deps.Exports == nil {
			s.out, s.outTone = []string{s.sess.T("office.eod.no_exports")}, app.ToneWarn
			return nil
		}
		return s.run("fleet.op.diagnostics", s.diagnosticsCmd())
	}
	return nil
}

func (s *readerDetailScreen) run(op string, cmd tea.Cmd) tea.Cmd {
	s.op, s.out = op, nil
	return cmd
}

// The commands below render their outcome in the session's language: a
// Locale is immutable and safe to use from a command.

func (s *readerDetailScreen) displayCmd() tea.Cmd {
	f, owner, id, cur, timeout := s.deps.Fleet, s.r.Owner, s.r.ID, readerCurrency(s.sess, s.g), s.deps.Timeout
	loc := s.sess.Loc
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		res, err := f.DisplayTest(ctx, owner, id, cur)
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{loc.T("fleet.detail.display_failed", i18n.Args{"Error": widgets.ErrText(loc, err)})}}
		}
		r := res.Reader
		return readerOpMsg{id: id, tone: app.ToneOK, reader: &r, lines: []string{loc.T("fleet.detail.display_sent",
			i18n.Args{"Lines": loc.N("count.lines", len(res.Cart.Lines)), "Total": i18n.Money{Amount: res.Cart.Total, Currency: res.Cart.Currency}})}}
	})
}

func (s *readerDetailScreen) clearCmd() tea.Cmd {
	f, owner, id, timeout := s.deps.Fleet, s.r.Owner, s.r.ID, s.deps.Timeout
	loc := s.sess.Loc
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		rep, err := f.Clear(ctx, owner, id)
		r := rep.Reader
		var rp *pos.Reader
		if r.ID != "" {
			rp = &r
		}
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, reader: rp, lines: []string{loc.T("fleet.detail.clear_failed", i18n.Args{"Error": widgets.ErrText(loc, err)})}}
		}
		t := app.ToneOK
		if !rep.Cleared {
			t = app.ToneInfo
		}
		return readerOpMsg{id: id, tone: t, reader: rp, lines: []string{loc.T("fleet.detail.held", i18n.Args{"Action": describeAction(loc, rep.Held)}), loc.Render(rep.NoteMsg)}}
	})
}

func (s *readerDetailScreen) diagnosticsCmd() tea.Cmd {
	f, sv, owner, id, timeout := s.deps.Fleet, s.deps.Exports, s.r.Owner, s.r.ID, s.deps.Timeout
	recent, loc := s.deps.RecentRequests, s.sess.Loc
	name := "diagnostics-" + id + "-" + s.deps.Now().UTC().Format("20060102T150405") + ".json" // i18n:ok a file name
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		var rs []readers.RequestRecord
		if recent != nil {
			rs = recent()
		}
		data, derr := f.Diagnostics(ctx, owner, id, rs)
		if len(data) == 0 {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{loc.T("fleet.detail.no_bundle", i18n.Args{"Error": widgets.ErrText(loc, derr)})}}
		}
		p, err := sv.Save(name, data)
		if err != nil {
			return readerOpMsg{id: id, tone: app.ToneError, lines: []string{loc.T("fleet.detail.bundle_not_saved", i18n.Args{"Error": widgets.ErrText(loc, err)})}}
		}
		lines := []string{loc.T("fleet.detail.bundle_saved", i18n.Args{"Path": p}), loc.T("fleet.detail.bundle_redacted")}
		if derr != nil {
			lines = append(lines, loc.T("fleet.detail.bundle_unread", i18n.Args{"Error": widgets.ErrText(loc, derr)}))
			return readerOpMsg{id: id, tone: app.ToneWarn, lines: lines}
		}
		return readerOpMsg{id: id, tone: app.ToneOK, lines: lines}
	})
}

// describeAction renders an action for people in loc: readers.ActionMessage
// and the failure message.
func describeAction(loc *i18n.Locale, a *pos.ReaderAction) string {
	s := loc.Render(readers.ActionMessage(a))
	if a != nil && a.FailureMessage != "" {
		s += " — " + a.FailureMessage
	}
	return s
}

func (s *readerDetailScreen) Title() string { return widgets.ReaderName(s.r) }

func (s *readerDetailScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	r := s.r
	var b strings.Builder
	read := sess.T("fleet.detail.read_at", i18n.Args{"Time": sess.FormatTime(s.at, "format.time")})
	if s.busy {
		read = s.deps.Spinner(s.sess) + " " + sess.T("fleet.detail.reading")
	}
	b.WriteString(widgets.Spread(st.Title.Render(widgets.ReaderName(r))+st.Muted.Render("  "+r.ID), st.Muted.Render(read), w) + "\n")
	row := func(label, value string) {
		b.WriteString(widgets.Cell(st.Label.Render(widgets.Cell(label, 11))+value, w) + "\n")
	}
	owner := sess.T("widgets.platform")
	if !r.Owner.IsPlatform() {
		owner = widgets.AccountName(s.sess, r.Owner) + st.Muted.Render(" ("+string(r.Owner)+")")
	}
	row(sess.T("fleet.detail.owner"), owner)
	row(sess.T("fleet.detail.location"), groupTitle(sess.Loc, s.g)+st.Muted.Render(groupWhere(sess.Loc, s.g)))
	row(sess.T("fleet.col_device"), widgets.OrDash(readers.DeviceType(r)))
	status := st.Success.Render("● " + sess.T("sale.reader.online"))
	if !r.Online() {
		status = st.Danger.Render("● " + widgets.OrDash(readerStatus(sess.Loc, r.Status)))
	}
	row(sess.T("office.tx.status"), status)
	row(sess.T("fleet.col_serial"), widgets.OrDash(r.SerialNumber))
	row(sess.T("fleet.col_software"), widgets.OrDash(r.SoftwareVersion))
	row(sess.T("fleet.col_ip"), widgets.OrDash(r.IPAddress))
	row(sess.T("fleet.col_action"), describeAction(sess.Loc, r.Action))
	md := "–"
	if len(r.Metadata) > 0 {
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(r.Metadata)) {
			kv = append(kv, k+"="+r.Metadata[k])
		}
		md = strings.Join(kv, ", ")
	}
	row(sess.T("fleet.detail.metadata"), md)
	if s.err != nil {
		b.WriteString(widgets.WrapText(st.Label.Render(widgets.Cell(sess.T("fleet.detail.read"), 11))+
			st.Danger.Render(sess.T("fleet.detail.read_failed"))+widgets.ErrText(sess.Loc, s.err), w) + "\n")
	}
	hr := readers.Health(r, s.deps.Now())
	row(sess.T("fleet.detail.health"), levelStyle(st, hr.Level).Render(hr.Level.String())+" "+sess.Loc.Render(hr.SummaryMsg))
	bottom := s.bottomView(w)
	// The findings give way to what can be done (a dialog, the outcome):
	// as many as fit, then how many more.
	problems := hr.Problems()
	room := h - strings.Count(b.String(), "\n") - 1 - lipgloss.Height(bottom)
	for i, c := range problems {
		if i == room-1 && len(problems) > room {
			row("", st.Muted.Render(sess.N("fleet.detail.more_findings", len(problems)-i)))
			break
		}
		if i >= room {
			break
		}
		row("", levelStyle(st, c.Level).Render("• "+c.Name)+" "+sess.Loc.Render(c.Msg))
	}
	b.WriteString("\n" + bottom)
	return b.String()
}

// readerDetailFixedLines are the detail's lines above the health findings.
const readerDetailFixedLines = 12

// bottomView is what follows the fields: the clear dialog, an operation
// under way, its outcome or the keys.
func (s *readerDetailScreen) bottomView(w int) string {
	st, sess := s.deps.Styles, s.sess
	r := s.r
	var b strings.Builder
	switch {
	case s.confirmClear:
		held := sess.T("fleet.detail.clear_checking")
		if !s.busy {
			held = sess.T("fleet.detail.clear_holds", i18n.Args{"Action": describeAction(sess.Loc, r.Action)})
		}
		b.WriteString(st.Dialog.Render(st.Title.Render(sess.T("fleet.detail.clear_title", i18n.Args{"Reader": widgets.ReaderName(r)})) + "\n" +
			widgets.Wrap(held, w-6) + "\n" + st.Muted.Render(sess.T("fleet.detail.clear_hint"))))
	case s.op != "":
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("fleet.detail.running", i18n.Args{"Operation": sess.T(s.op)})))
	case len(s.out) == 0:
		b.WriteString(st.Muted.Render(sess.T("fleet.detail.hint")))
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
