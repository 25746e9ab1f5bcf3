package sale

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// readersScreen lists the readers at the chosen location with label, device
// type, online/offline and busy. Offline and busy readers can be chosen
// (Stripe's status field lags; the payment flow handles both), with a
// warning. The last reader per location is preselected.
type readersScreen struct {
	flow *Flow
	deps *app.Deps
	sess *app.Session
	loc  pos.Location
	list widgets.PickList[pos.Reader]
	pickerLoad
	// moving: opened from the live view to move the payment.
	moving bool
}

func newReadersScreen(f *Flow, loc pos.Location) *readersScreen {
	return &readersScreen{flow: f, deps: f.deps, sess: f.sess, loc: loc, list: widgets.NewPickList(func(r pos.Reader) string {
		return strings.ToLower(strings.Join([]string{r.Label, r.ID, readers.DeviceType(r), r.SerialNumber, r.Status}, " "))
	})}
}

func (s *readersScreen) Init() tea.Cmd { return s.load() }

func (s *readersScreen) load() tea.Cmd {
	s.startLoad()
	return loadReadersCmd(s.deps.Terminal, s.loc, s.deps.Timeout)
}

func (s *readersScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case readersLoadedMsg:
		if msg.locationID != s.loc.ID {
			return nil
		}
		if s.loadDone(msg.err) {
			s.list.SetItems(msg.readers)
			s.list.Preselect(s.sess.Prefs.Readers[s.loc.ID], func(r pos.Reader) string { return r.ID })
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.Choose):
			return s.choose()
		case s.list.HandleKey(k, msg):
		case key.Matches(msg, k.Back):
			return s.back()
		}
	}
	return nil
}

// back returns to the locations, or, when moving a payment, to the
// payment on its reader.
func (s *readersScreen) back() tea.Cmd {
	if p := s.flow.payment; s.moving && p != nil {
		r := p.reader
		s.sess.Reader = &r
		return app.Pop()
	}
	s.sess.Location, s.sess.Reader = nil, nil
	return app.Pop()
}

func (s *readersScreen) choose() tea.Cmd {
	r, ok := s.list.Selected()
	if !ok {
		return nil
	}
	if _, held := s.deps.ReaderHolder(r.ID); held {
		if refused := s.flow.hold(r); refused != nil {
			return refused
		}
	}
	var cmds []tea.Cmd
	if s.moving {
		cmds = append(cmds, s.flow.moveTo(r))
	} else {
		cmds = append(cmds, s.flow.chooseReader(r))
	}
	switch {
	case !r.Online():
		cmds = append(cmds, app.Say(app.ToneWarn, s.sess.T("sale.readers.offline_warning", i18n.Args{"Reader": widgets.ReaderName(r)})))
	case r.Busy():
		cmds = append(cmds, app.Say(app.ToneWarn, s.sess.T("sale.readers.busy_warning", i18n.Args{"Reader": widgets.ReaderName(r), "Action": r.Action.Type})))
	}
	return tea.Batch(cmds...)
}

func (s *readersScreen) Title() string {
	if s.moving {
		return s.sess.T("sale.readers.title_move", i18n.Args{"Location": widgets.LocationName(s.loc)})
	}
	return s.sess.T("sale.readers.title", i18n.Args{"Location": widgets.LocationName(s.loc)})
}

func (s *readersScreen) View(w, h int) string {
	st := s.deps.Styles
	top := st.Title.Render(s.Title())
	sess := s.sess
	if v, ok := s.firstLoadView(s.deps, s.sess, top, sess.T("sale.readers.loading"), sess.T("sale.readers.load_failed"),
		sess.T("sale.readers.load_hint"), w); ok {
		return v
	}
	if len(s.list.Items()) == 0 {
		return top + "\n\n" + st.Warning.Render(sess.T("sale.readers.none", i18n.Args{"Location": widgets.LocationName(s.loc)})) +
			"\n" + st.Muted.Render(sess.T("sale.readers.none_hint"))
	}
	note := widgets.ReloadNote(s.deps, s.sess, s.busy, s.err, w)
	count := func(n int) string { return sess.N("count.readers", n) }
	return top + "\n" + note + "\n" + s.list.Render(s.deps.Styles, sess.Loc, count, w, h-1-max(1, widgets.LineCount(note)), s.row)
}

func (s *readersScreen) row(r pos.Reader, selected bool, w int) string {
	st := s.deps.Styles
	mark, text := widgets.RowStyle(st, selected)
	nameW := max(12, min(28, w-56))
	plain := widgets.Cell(widgets.ReaderName(r), nameW) + "  " + widgets.Cell(readers.DeviceType(r), 22) + "  "
	var state string
	held, isHeld := s.deps.ReaderHolder(r.ID)
	switch {
	case isHeld:
		state = st.Warning.Render("● " + s.sess.T("serve.reader.in_use", i18n.Args{"Operator": held.Operator, "Counter": held.Counter}))
	case !r.Online():
		state = st.Danger.Render("● " + s.sess.T("sale.reader.offline"))
	case r.Busy():
		state = st.Warning.Render("● "+s.sess.T("sale.reader.busy")) + st.Muted.Render(" "+r.Action.Type)
	default:
		state = st.Success.Render("● " + s.sess.T("sale.reader.online"))
	}
	return widgets.Cell(mark+text.Render(plain)+state, w)
}

func (s *readersScreen) Loading() bool      { return s.busy }
func (s *readersScreen) CapturesText() bool { return false }

func (s *readersScreen) ShortHelp() []key.Binding  { return pickerShortHelp(s.deps.Keys) }
func (s *readersScreen) FullHelp() [][]key.Binding { return pickerFullHelp(s.deps.Keys) }

func (s *readersScreen) MinSize() (int, int) { return app.DefaultMinSize() }
