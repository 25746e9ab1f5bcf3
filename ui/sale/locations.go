package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// locationsScreen lists every location the chosen seller can sell at: the
// platform's locations tied to the seller by metadata
// (pos.LocationSellerKey) or, for locations without the key, named after
// it (pos.LocationServes), and the seller's own. The last choice per
// seller is preselected.
type locationsScreen struct {
	sh     *shared
	seller pos.Seller
	list   pickList[pos.Location]
	pickerLoad
	partial error // some locations could not be listed
}

func newLocationsScreen(sh *shared, seller pos.Seller) *locationsScreen {
	return &locationsScreen{sh: sh, seller: seller, list: newPickList(func(l pos.Location) string {
		a := l.Address
		return strings.ToLower(strings.Join([]string{l.DisplayName, l.ID, a.Line1, a.City, a.PostalCode, a.Country}, " "))
	})}
}

func (s *locationsScreen) load() tea.Cmd {
	s.startLoad()
	return loadLocationsCmd(s.sh.deps.Terminal, s.seller, s.sh.deps.Timeout)
}

func (s *locationsScreen) update(msg tea.Msg) tea.Cmd {
	k := s.sh.keys
	switch msg := msg.(type) {
	case locationsLoadedMsg:
		if msg.seller != s.seller.ID {
			return nil
		}
		s.partial = msg.partial
		if s.loadDone(msg.err) {
			s.list.setItems(msg.locations)
			s.list.preselect(s.sh.prefs.Locations[s.seller.ID], func(l pos.Location) string { return l.ID })
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
	if v, ok := s.firstLoadView(s.sh, top, "Loading locations…", "Could not load the locations: ",
		"ctrl+r tries again, esc picks another seller.", w); ok {
		return v
	}
	if len(s.list.all) == 0 {
		return top + "\n\n" + st.Warning.Render(sellerName(s.seller)+" has no Terminal location yet.") +
			"\n" + st.Muted.Render(wrap("A technician creates one for this seller, then ctrl+r: in the back office "+
			"(f4 Readers, p pairs a reader at a new location) or with", w)) +
			"\n  " + st.Muted.Render("kasse readers create-location --seller "+string(s.seller.ID)+" …")
	}
	note := reloadNote(s.sh, s.busy, s.err, w)
	if s.err == nil && s.partial != nil {
		note = errorLines(st.Warning, "Some locations could not be listed: ", errText(s.partial), w)
	}
	return top + "\n" + note + "\n" + s.list.render(s.sh, "location", w, h-1-max(1, lineCount(note)), s.row)
}

func (s *locationsScreen) row(l pos.Location, selected bool, w int) string {
	mark, text := rowStyle(s.sh.st, selected)
	owner := "platform"
	if !l.Owner.IsPlatform() {
		owner = "seller's own"
	}
	addr := strings.Join(nonEmpty(l.Address.Line1, l.Address.City, l.Address.Country), ", ")
	nameW := max(12, min(32, w-50))
	line := cell(locationName(l), nameW) + "  " + cell(owner, 12) + "  " + addr
	return mark + text.Render(cell(line, w-2))
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

func (s *locationsScreen) shortHelp() []key.Binding  { return pickerShortHelp(s.sh.keys) }
func (s *locationsScreen) fullHelp() [][]key.Binding { return pickerFullHelp(s.sh.keys) }
