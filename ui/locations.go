package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// locationsScreen lists the locations the chosen seller can sell at: the
// platform's locations named after (or tagged with) the seller and the
// seller's own. The last choice per seller is preselected.
type locationsScreen struct {
	sh      *shared
	seller  pos.Seller
	list    pickList[pos.Location]
	busy    bool
	loaded  bool
	err     error
	partial error
}

func newLocationsScreen(sh *shared, seller pos.Seller) *locationsScreen {
	return &locationsScreen{sh: sh, seller: seller, list: newPickList(func(l pos.Location) string {
		a := l.Address
		return strings.ToLower(strings.Join([]string{l.DisplayName, l.ID, a.Line1, a.City, a.PostalCode, a.Country}, " "))
	})}
}

func (s *locationsScreen) load() tea.Cmd {
	s.busy, s.err = true, nil
	return loadLocationsCmd(s.sh.deps.Terminal, s.seller, s.sh.deps.Timeout)
}

func (s *locationsScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case locationsLoadedMsg:
		if msg.seller != s.seller.ID {
			return nil
		}
		s.busy, s.err, s.partial = false, msg.err, msg.partial
		if msg.err == nil {
			s.loaded = true
			s.list.setItems(msg.locations)
			if want := s.sh.prefs.Locations[s.seller.ID]; want != "" && !s.list.touched {
				s.list.selectWhere(func(l pos.Location) bool { return l.ID == want })
			}
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.Choose):
			if l, ok := s.list.selected(); ok {
				return emit(locationChosenMsg{location: l})
			}
		case s.list.handleKey(k, msg):
		case key.Matches(msg, k.Back):
			return emit(backMsg{})
		}
	}
	return nil
}

func (s *locationsScreen) title() string { return "Choose a location for " + sellerName(s.seller) }

func (s *locationsScreen) view(w, h int) string {
	st := s.sh.st
	top := st.Title.Render(s.title())
	switch {
	case s.busy && !s.loaded:
		return top + "\n\n" + s.sh.spinner() + st.Muted.Render(" Loading locations…")
	case s.err != nil && !s.loaded:
		return top + "\n\n" + st.Danger.Render("Could not load the locations: ") + errText(s.err) +
			"\n\n" + st.Muted.Render("ctrl+r tries again, esc picks another seller.")
	case len(s.list.all) == 0:
		return top + "\n\n" + st.Warning.Render(sellerName(s.seller)+" has no Terminal location yet.") +
			"\n" + st.Muted.Render("Create one (the platform names it after the seller), then ctrl+r.")
	}
	note := ""
	switch {
	case s.err != nil:
		note = st.Danger.Render("Reload failed: ") + errText(s.err)
	case s.partial != nil:
		note = st.Warning.Render("Some locations could not be listed: ") + errText(s.partial)
	case s.busy:
		note = s.sh.spinner() + st.Muted.Render(" Reloading…")
	}
	return top + "\n" + note + "\n" + s.list.render(s.sh, "locations", w, h-2, s.row)
}

func (s *locationsScreen) row(l pos.Location, selected bool, w int) string {
	st := s.sh.st
	mark := "  "
	if selected {
		mark = st.Cursor.Render("▸ ")
	}
	owner := "platform"
	if !l.Owner.IsPlatform() {
		owner = "seller's own"
	}
	addr := strings.Join(nonEmpty(l.Address.Line1, l.Address.City, l.Address.Country), ", ")
	nameW := max(12, min(32, w-50))
	line := cell(locationName(l), nameW) + "  " + cell(owner, 12) + "  " + addr
	line = cell(line, w-2)
	if selected {
		return mark + st.RowSelected.Render(line)
	}
	return mark + st.Row.Render(line)
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (s *locationsScreen) loading() bool      { return s.busy }
func (s *locationsScreen) capturesText() bool { return false }

func (s *locationsScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Back, k.Refresh, k.Help}
}

func (s *locationsScreen) fullHelp() [][]key.Binding {
	k := s.sh.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Filter, k.Choose, k.Refresh}}
}
