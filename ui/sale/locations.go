package sale

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// locationsScreen lists every location the chosen seller can sell at: the
// platform's locations tied to the seller by metadata
// (pos.LocationSellerKey) or, for locations without the key, named after
// it (pos.LocationServes), and the seller's own. The last choice per
// seller is preselected.
type locationsScreen struct {
	flow   *Flow
	deps   *app.Deps
	sess   *app.Session
	seller pos.Seller
	list   widgets.PickList[pos.Location]
	pickerLoad
	partial error // some locations could not be listed
}

func newLocationsScreen(f *Flow, seller pos.Seller) *locationsScreen {
	return &locationsScreen{flow: f, deps: f.deps, sess: f.sess, seller: seller, list: widgets.NewPickList(func(l pos.Location) string {
		a := l.Address
		return strings.ToLower(strings.Join([]string{l.DisplayName, l.ID, a.Line1, a.City, a.PostalCode, a.Country}, " "))
	})}
}

func (s *locationsScreen) Init() tea.Cmd { return s.load() }

func (s *locationsScreen) load() tea.Cmd {
	s.startLoad()
	return loadLocationsCmd(s.deps.Terminal, s.seller, s.deps.Timeout)
}

func (s *locationsScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case locationsLoadedMsg:
		if msg.seller != s.seller.ID {
			return nil
		}
		s.partial = msg.partial
		if s.loadDone(msg.err) {
			s.list.SetItems(msg.locations)
			s.list.Preselect(s.sess.Prefs.Locations[s.seller.ID], func(l pos.Location) string { return l.ID })
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Refresh):
			return s.load()
		case key.Matches(msg, k.Choose):
			if l, ok := s.list.Selected(); ok {
				return s.flow.chooseLocation(l, false)
			}
		case s.list.HandleKey(k, msg):
		case key.Matches(msg, k.Back):
			s.sess.Seller, s.sess.Location, s.sess.Reader = nil, nil, nil
			return app.Pop()
		}
	}
	return nil
}

func (s *locationsScreen) Title() string {
	return s.sess.T("sale.locations.title", i18n.Args{"Seller": widgets.SellerName(s.seller)})
}

func (s *locationsScreen) View(w, h int) string {
	st := s.deps.Styles
	top := st.Title.Render(s.Title())
	sess := s.sess
	if v, ok := s.firstLoadView(s.deps, s.sess, top, sess.T("sale.locations.loading"), sess.T("sale.locations.load_failed"),
		sess.T("sale.locations.load_hint"), w); ok {
		return v
	}
	if len(s.list.Items()) == 0 {
		return top + "\n\n" + st.Warning.Render(sess.T("sale.locations.none", i18n.Args{"Seller": widgets.SellerName(s.seller)})) +
			"\n" + st.Muted.Render(widgets.Wrap(sess.T("sale.locations.none_hint"), w)) +
			"\n  " + st.Muted.Render("kasse readers create-location --seller "+string(s.seller.ID)+" …") // i18n:ok a command line
	}
	note := widgets.ReloadNote(s.deps, s.sess, s.busy, s.err, w)
	if s.err == nil && s.partial != nil {
		note = widgets.ErrorLines(st.Warning, sess.T("sale.locations.partial"), widgets.ErrText(sess.Loc, s.partial), w)
	}
	count := func(n int) string { return sess.N("count.locations", n) }
	return top + "\n" + note + "\n" + s.list.Render(s.deps.Styles, sess.Loc, count, w, h-1-max(1, widgets.LineCount(note)), s.row)
}

func (s *locationsScreen) row(l pos.Location, selected bool, w int) string {
	mark, text := widgets.RowStyle(s.deps.Styles, selected)
	owner := s.sess.T("widgets.platform")
	if !l.Owner.IsPlatform() {
		owner = s.sess.T("sale.locations.sellers_own")
	}
	addr := strings.Join(widgets.NonEmpty(l.Address.Line1, l.Address.City, l.Address.Country), ", ")
	nameW := max(12, min(32, w-50))
	line := widgets.Cell(widgets.LocationName(l), nameW) + "  " + widgets.Cell(owner, 12) + "  " + addr
	return mark + text.Render(widgets.Cell(line, w-2))
}

func (s *locationsScreen) Loading() bool      { return s.busy }
func (s *locationsScreen) CapturesText() bool { return false }

func (s *locationsScreen) ShortHelp() []key.Binding  { return pickerShortHelp(s.deps.Keys) }
func (s *locationsScreen) FullHelp() [][]key.Binding { return pickerFullHelp(s.deps.Keys) }

func (s *locationsScreen) MinSize() (int, int) { return app.DefaultMinSize() }
