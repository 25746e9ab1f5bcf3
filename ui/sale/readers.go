package sale

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

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
	var cmds []tea.Cmd
	if s.moving {
		cmds = append(cmds, s.flow.moveTo(r))
	} else {
		cmds = append(cmds, s.flow.chooseReader(r))
	}
	switch {
	case !r.Online():
		cmds = append(cmds, app.Say(app.ToneWarn, widgets.ReaderName(r)+" reported offline; a charge may fail until it is back."))
	case r.Busy():
		cmds = append(cmds, app.Say(app.ToneWarn, widgets.ReaderName(r)+" is busy ("+r.Action.Type+"); a charge will wait for it."))
	}
	return tea.Batch(cmds...)
}

func (s *readersScreen) Title() string {
	if s.moving {
		return "Move the payment to another reader at " + widgets.LocationName(s.loc)
	}
	return "Choose a reader at " + widgets.LocationName(s.loc)
}

func (s *readersScreen) View(w, h int) string {
	st := s.deps.Styles
	top := st.Title.Render(s.Title())
	if v, ok := s.firstLoadView(s.deps, s.sess, top, "Loading readers…", "Could not load the readers: ",
		"ctrl+r tries again, esc picks another location.", w); ok {
		return v
	}
	if len(s.list.Items()) == 0 {
		return top + "\n\n" + st.Warning.Render("No reader is registered at "+widgets.LocationName(s.loc)+".") +
			"\n" + st.Muted.Render("Register one to this location, then ctrl+r; esc picks another location.")
	}
	note := widgets.ReloadNote(s.deps, s.sess, s.busy, s.err, w)
	return top + "\n" + note + "\n" + s.list.Render(s.deps.Styles, "reader", w, h-1-max(1, widgets.LineCount(note)), s.row)
}

func (s *readersScreen) row(r pos.Reader, selected bool, w int) string {
	st := s.deps.Styles
	mark, text := widgets.RowStyle(st, selected)
	nameW := max(12, min(28, w-56))
	plain := widgets.Cell(widgets.ReaderName(r), nameW) + "  " + widgets.Cell(readers.DeviceType(r), 22) + "  "
	var state string
	switch {
	case !r.Online():
		state = st.Danger.Render("● offline")
	case r.Busy():
		state = st.Warning.Render("● busy") + st.Muted.Render(" "+r.Action.Type)
	default:
		state = st.Success.Render("● online")
	}
	return widgets.Cell(mark+text.Render(plain)+state, w)
}

func (s *readersScreen) Loading() bool      { return s.busy }
func (s *readersScreen) CapturesText() bool { return false }

func (s *readersScreen) ShortHelp() []key.Binding  { return pickerShortHelp(s.deps.Keys) }
func (s *readersScreen) FullHelp() [][]key.Binding { return pickerFullHelp(s.deps.Keys) }

func (s *readersScreen) MinSize() (int, int) { return app.DefaultMinSize() }
