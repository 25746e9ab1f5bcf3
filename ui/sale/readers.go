package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
)

// readersScreen lists the readers at the chosen location with label, device
// type, online/offline and busy. Offline and busy readers can be chosen
// (Stripe's status field lags; the payment flow handles both), with a
// warning. The last reader per location is preselected.
type readersScreen struct {
	sh   *shared
	loc  pos.Location
	list pickList[pos.Reader]
	pickerLoad
	// moving: opened from the live view to move the payment.
	moving bool
}

func newReadersScreen(sh *shared, loc pos.Location) *readersScreen {
	return &readersScreen{sh: sh, loc: loc, list: newPickList(func(r pos.Reader) string {
		return strings.ToLower(strings.Join([]string{r.Label, r.ID, readers.DeviceType(r), r.SerialNumber, r.Status}, " "))
	})}
}

func (s *readersScreen) load() tea.Cmd {
	s.startLoad()
	return loadReadersCmd(s.sh.deps.Terminal, s.loc, s.sh.deps.Timeout)
}

func (s *readersScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case readersLoadedMsg:
		if msg.locationID != s.loc.ID {
			return nil
		}
		if s.loadDone(msg.err) {
			s.list.setItems(msg.readers)
			s.list.preselect(s.sh.prefs.Readers[s.loc.ID], func(r pos.Reader) string { return r.ID })
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.Choose):
			return s.choose()
		case s.list.handleKey(k, msg):
		case key.Matches(msg, k.Back):
			return emit(backMsg{})
		}
	}
	return nil
}

func (s *readersScreen) choose() tea.Cmd {
	r, ok := s.list.selected()
	if !ok {
		return nil
	}
	cmds := []tea.Cmd{emit(readerChosenMsg{reader: r})}
	switch {
	case !r.Online():
		cmds = append(cmds, say(toneWarn, readerName(r)+" reported offline; a charge may fail until it is back."))
	case r.Busy():
		cmds = append(cmds, say(toneWarn, readerName(r)+" is busy ("+r.Action.Type+"); a charge will wait for it."))
	}
	return tea.Batch(cmds...)
}

func (s *readersScreen) title() string {
	if s.moving {
		return "Move the payment to another reader at " + locationName(s.loc)
	}
	return "Choose a reader at " + locationName(s.loc)
}

func (s *readersScreen) view(w, h int) string {
	st := s.sh.st
	top := st.Title.Render(s.title())
	if v, ok := s.firstLoadView(s.sh, top, "Loading readers…", "Could not load the readers: ",
		"ctrl+r tries again, esc picks another location.", w); ok {
		return v
	}
	if len(s.list.all) == 0 {
		return top + "\n\n" + st.Warning.Render("No reader is registered at "+locationName(s.loc)+".") +
			"\n" + st.Muted.Render("Register one to this location, then ctrl+r; esc picks another location.")
	}
	note := reloadNote(s.sh, s.busy, s.err, w)
	return top + "\n" + note + "\n" + s.list.render(s.sh, "reader", w, h-1-max(1, lineCount(note)), s.row)
}

func (s *readersScreen) row(r pos.Reader, selected bool, w int) string {
	st := s.sh.st
	mark, text := rowStyle(st, selected)
	nameW := max(12, min(28, w-56))
	plain := cell(readerName(r), nameW) + "  " + cell(readers.DeviceType(r), 22) + "  "
	var state string
	switch {
	case !r.Online():
		state = st.Danger.Render("● offline")
	case r.Busy():
		state = st.Warning.Render("● busy") + st.Muted.Render(" "+r.Action.Type)
	default:
		state = st.Success.Render("● online")
	}
	return cell(mark+text.Render(plain)+state, w)
}

func (s *readersScreen) loading() bool      { return s.busy }
func (s *readersScreen) capturesText() bool { return false }

func (s *readersScreen) shortHelp() []key.Binding  { return pickerShortHelp(s.sh.keys) }
func (s *readersScreen) fullHelp() [][]key.Binding { return pickerFullHelp(s.sh.keys) }
