package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// readersScreen lists the readers at the chosen location with label, device
// type, online/offline and busy. Offline and busy readers can be chosen
// (Stripe's status field lags; the payment flow handles both), with a
// warning. The last reader per location is preselected.
type readersScreen struct {
	sh     *shared
	loc    pos.Location
	list   pickList[pos.Reader]
	busy   bool
	loaded bool
	err    error
	// moving: opened from the live view to move the payment.
	moving bool
}

func newReadersScreen(sh *shared, loc pos.Location) *readersScreen {
	return &readersScreen{sh: sh, loc: loc, list: newPickList(func(r pos.Reader) string {
		return strings.ToLower(strings.Join([]string{r.Label, r.ID, r.DeviceType, r.SerialNumber, r.Status}, " "))
	})}
}

func (s *readersScreen) load() tea.Cmd {
	s.busy, s.err = true, nil
	return loadReadersCmd(s.sh.deps.Terminal, s.loc, s.sh.deps.Timeout)
}

func (s *readersScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case readersLoadedMsg:
		if msg.locationID != s.loc.ID {
			return nil
		}
		s.busy, s.err = false, msg.err
		if msg.err == nil {
			s.loaded = true
			s.list.setItems(msg.readers)
			if want := s.sh.prefs.Readers[s.loc.ID]; want != "" && !s.list.touched {
				s.list.selectWhere(func(r pos.Reader) bool { return r.ID == want })
			}
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
	switch {
	case s.busy && !s.loaded:
		return top + "\n\n" + s.sh.spinner() + st.Muted.Render(" Loading readers…")
	case s.err != nil && !s.loaded:
		return top + "\n\n" + st.Danger.Render("Could not load the readers: ") + errText(s.err) +
			"\n\n" + st.Muted.Render("ctrl+r tries again, esc picks another location.")
	case len(s.list.all) == 0:
		return top + "\n\n" + st.Warning.Render("No reader is registered at "+locationName(s.loc)+".") +
			"\n" + st.Muted.Render("Register one to this location, then ctrl+r; esc picks another location.")
	}
	note := ""
	switch {
	case s.err != nil:
		note = st.Danger.Render("Reload failed: ") + errText(s.err)
	case s.busy:
		note = s.sh.spinner() + st.Muted.Render(" Reloading…")
	}
	return top + "\n" + note + "\n" + s.list.render(s.sh, "readers", w, h-2, s.row)
}

func (s *readersScreen) row(r pos.Reader, selected bool, w int) string {
	st := s.sh.st
	mark := "  "
	if selected {
		mark = st.Cursor.Render("▸ ")
	}
	nameW := max(12, min(28, w-56))
	plain := cell(readerName(r), nameW) + "  " + cell(r.DeviceType, 22) + "  "
	var state string
	switch {
	case !r.Online():
		state = st.Danger.Render("● offline")
	case r.Busy():
		state = st.Warning.Render("● busy") + st.Muted.Render(" "+r.Action.Type)
	default:
		state = st.Success.Render("● online")
	}
	base := st.Row
	if selected {
		base = st.RowSelected
	}
	return cell(mark+base.Render(plain)+state, w)
}

func (s *readersScreen) loading() bool      { return s.busy }
func (s *readersScreen) capturesText() bool { return false }

func (s *readersScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Back, k.Refresh, k.Help}
}

func (s *readersScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Filter, k.Choose, k.Refresh}}
}
