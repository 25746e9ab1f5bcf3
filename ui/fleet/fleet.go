package fleet

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// fleetRefresh is how often the readers screens re-read while on screen.
const fleetRefresh = 5 * time.Second

// fleetScreen is the technician's view of every reader, grouped by
// location (the platform's and every seller's), with device type,
// online/offline, serial, software version, IP and the current action. It
// re-reads every fleetRefresh while on screen. Enter opens a reader; p
// pairs a new one.
type fleetScreen struct {
	deps    *app.Deps
	sess    *app.Session
	groups  []readers.LocationGroup
	flat    []readerRef // every reader, in display order
	sel     int         // index into flat
	offset  int         // first display line
	busy    bool
	loaded  bool
	err     error // nothing could be listed
	partial error // some accounts could not be read
	at      time.Time
	seq     int
	tickGen int
	paused  bool
}

type readerRef struct{ g, r int }

type fleetLoadedMsg struct {
	seq    int
	groups []readers.LocationGroup
	err    error
}

type fleetTickMsg struct{ gen int }

// New is the Readers area's first screen: the reader fleet.
func New(deps *app.Deps, sess *app.Session) app.Screen { return &fleetScreen{deps: deps, sess: sess} }

func (s *fleetScreen) Init() tea.Cmd { return s.load() }

func (s *fleetScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

func (s *fleetScreen) load() tea.Cmd {
	s.busy = true
	s.seq = s.sess.NextSeq()
	seq, f, timeout := s.seq, s.deps.Fleet, 2*s.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		gs, err := f.Inventory(ctx)
		return fleetLoadedMsg{seq: seq, groups: gs, err: err}
	})
}

// shown re-reads the fleet when the screen is back on top (after a
// pairing or a deregistration, or after the timer paused).
func (s *fleetScreen) Resume() tea.Cmd {
	s.paused = false
	return s.load()
}

// selected returns the reader under the cursor.
func (s *fleetScreen) selected() (readers.LocationGroup, pos.Reader, bool) {
	if s.sel < 0 || s.sel >= len(s.flat) {
		return readers.LocationGroup{}, pos.Reader{}, false
	}
	ref := s.flat[s.sel]
	g := s.groups[ref.g]
	return g, g.Readers[ref.r], true
}

func (s *fleetScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case fleetLoadedMsg:
		if msg.seq != s.seq {
			return nil
		}
		s.busy = false
		if msg.groups == nil && msg.err != nil {
			s.err = msg.err
		} else {
			_, keep, _ := s.selected()
			s.err, s.partial, s.loaded, s.at = nil, msg.err, true, s.deps.Now()
			s.setGroups(msg.groups, keep.ID)
		}
		s.tickGen = s.sess.NextSeq()
		return s.deps.After(fleetRefresh, fleetTickMsg{gen: s.tickGen})
	case fleetTickMsg:
		switch {
		case msg.gen != s.tickGen || s.busy:
		case !s.sess.IsTop(s):
			s.paused = true
		default:
			return s.load()
		}
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *fleetScreen) setGroups(gs []readers.LocationGroup, keepID string) {
	s.groups, s.flat = gs, s.flat[:0]
	for gi, g := range gs {
		for ri, r := range g.Readers {
			if r.ID == keepID {
				s.sel = len(s.flat)
			}
			s.flat = append(s.flat, readerRef{gi, ri})
		}
	}
	s.sel = max(0, min(s.sel, len(s.flat)-1))
}

func (s *fleetScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	switch {
	case key.Matches(msg, k.Back):
		return app.Pop()
	case key.Matches(msg, k.Refresh):
		return s.load()
	case widgets.MoveCursor(k, msg, &s.sel, len(s.flat)):
	case key.Matches(msg, k.Pair):
		return app.Push(newPairScreen(s.deps, s.sess, s.groups))
	case key.Matches(msg, k.Choose):
		if g, r, ok := s.selected(); ok {
			return app.Push(newReaderDetailScreen(s.deps, s.sess, g, r))
		}
	}
	return nil
}

func (s *fleetScreen) Title() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

func (s *fleetScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	right := ""
	if s.loaded {
		right = sess.T("fleet.summary", i18n.Args{"Readers": sess.N("count.readers", len(s.flat)), "Locations": sess.N("count.locations", len(s.groups)),
			"Time": sess.FormatTime(s.at, "format.time"), "Every": int(fleetRefresh.Seconds())})
	}
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(right), w) + "\n")
	lines := 1
	note := func(text string) {
		text = widgets.WrapText(text, w)
		b.WriteString(text + "\n")
		lines += widgets.LineCount(text)
	}
	switch {
	case s.busy && !s.loaded:
		return b.String() + "\n" + s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T("fleet.reading"))
	case s.err != nil && !s.loaded:
		return b.String() + "\n" + widgets.ErrLines(s.deps.Styles, sess.Loc, sess.T("fleet.list_failed"), s.err, w) +
			"\n\n" + st.Muted.Render(sess.T("sale.sellers.load_hint"))
	case s.err != nil:
		note(st.Danger.Render(sess.T("widgets.reload_failed")) + widgets.ErrText(sess.Loc, s.err))
	}
	if s.partial != nil {
		note(st.Warning.Render("⚠ ") + widgets.ErrText(sess.Loc, s.partial))
	}
	if len(s.groups) == 0 {
		return b.String() + "\n" + st.Muted.Render(sess.T("fleet.empty"))
	}
	b.WriteString(st.Label.Render("  "+fleetRow(sess.Loc, nil, w-2)) + "\n")
	lines++
	b.WriteString(s.body(w, max(1, h-lines)))
	return b.String()
}

// body renders the grouped list in h lines, scrolled to the selection.
func (s *fleetScreen) body(w, h int) string {
	st := s.deps.Styles
	type line struct {
		text string
		sel  bool
	}
	var out []line
	selLine, i := 0, 0
	for _, g := range s.groups {
		out = append(out, line{text: widgets.Cell(st.Title.Render(groupTitle(s.sess.Loc, g))+st.Muted.Render(groupWhere(s.sess.Loc, g)), w)})
		if len(g.Readers) == 0 {
			out = append(out, line{text: st.Faint.Render("    " + s.sess.T("fleet.no_readers"))})
		}
		for _, r := range g.Readers {
			sel := i == s.sel
			if sel {
				selLine = len(out)
			}
			mark, text := widgets.RowStyle(st, sel)
			out = append(out, line{text: mark + text.Render(fleetRow(s.sess.Loc, &r, w-2)), sel: sel})
			i++
		}
	}
	if selLine < s.offset {
		s.offset = max(0, selLine-1) // keep the location's title in view
	}
	if selLine >= s.offset+h {
		s.offset = selLine - h + 1
	}
	s.offset = max(0, min(s.offset, len(out)-h))
	var b strings.Builder
	for j := s.offset; j < min(len(out), s.offset+h); j++ {
		if j > s.offset {
			b.WriteByte('\n')
		}
		b.WriteString(out[j].text)
	}
	return b.String()
}

func groupTitle(loc *i18n.Locale, g readers.LocationGroup) string {
	if g.Missing {
		return loc.T("fleet.location_missing", i18n.Args{"ID": g.Location.ID})
	}
	return widgets.LocationName(g.Location)
}

func groupWhere(loc *i18n.Locale, g readers.LocationGroup) string {
	owner := g.OwnerName
	switch {
	case g.Owner.IsPlatform():
		owner = loc.T("widgets.platform")
	case owner == "":
		owner = g.Owner.String()
	}
	a := g.Location.Address
	where := strings.Join(widgets.NonEmpty(a.Line1, a.City, a.Country), ", ")
	return " · " + strings.Join(widgets.NonEmpty(owner, where, g.Location.ID), " · ")
}

// fleetRow renders a reader's columns (nil: the heads) in w columns.
func fleetRow(loc *i18n.Locale, r *pos.Reader, w int) string {
	const dw, stw, snw, vw, ipw, aw = 19, 9, 13, 8, 14, 15
	lw := max(10, w-dw-stw-snw-vw-ipw-aw-6)
	if r == nil {
		return widgets.Cell(loc.T("fleet.col_label"), lw) + " " + widgets.Cell(loc.T("fleet.col_device"), dw) + " " +
			widgets.Cell(loc.T("office.tx.status"), stw) + " " + widgets.Cell(loc.T("fleet.col_serial"), snw) + " " +
			widgets.Cell(loc.T("fleet.col_software"), vw) + " " + widgets.Cell(loc.T("fleet.col_ip"), ipw) + " " + widgets.Cell(loc.T("fleet.col_action"), aw)
	}
	status := "● " + widgets.OrDash(readerStatus(loc, r.Status))
	return widgets.Cell(widgets.ReaderName(*r), lw) + " " + widgets.Cell(readers.DeviceType(*r), dw) + " " + widgets.Cell(status, stw) + " " +
		widgets.Cell(widgets.OrDash(r.SerialNumber), snw) + " " + widgets.Cell(widgets.OrDash(r.SoftwareVersion), vw) + " " + widgets.Cell(widgets.OrDash(r.IPAddress), ipw) + " " +
		widgets.Cell(actionShort(loc, r.Action), aw)
}

// readerStatus is a reader's network status in loc.
func readerStatus(loc *i18n.Locale, status string) string {
	switch status {
	case "online":
		return loc.T("sale.reader.online")
	case "offline":
		return loc.T("sale.reader.offline")
	}
	return status
}

// actionShort renders a reader action in a few characters, in loc.
func actionShort(loc *i18n.Locale, a *pos.ReaderAction) string {
	if a == nil {
		return "–"
	}
	t := a.Type
	switch a.Type {
	case pos.ActionProcessPaymentIntent:
		t = loc.T("fleet.action.payment")
	case pos.ActionSetReaderDisplay:
		t = loc.T("fleet.action.display")
	case pos.ActionProcessSetupIntent:
		t = loc.T("fleet.action.setup")
	case pos.ActionRefundPayment:
		t = loc.T("fleet.action.refund")
	}
	switch a.Status {
	case pos.ActionInProgress:
		return loc.T("fleet.action.running", i18n.Args{"Action": t})
	case pos.ActionSucceeded:
		return t + " ✓"
	case pos.ActionFailed:
		return t + " ✗ " + a.FailureCode
	}
	return t + " " + a.Status
}

// readerCurrency is the currency for display tests and test payments: the
// seller that owns the reader or its location, else the first seller's.
func readerCurrency(sess *app.Session, g readers.LocationGroup) string {
	if s, ok := readerSeller(sess, g); ok {
		return s.Currency
	}
	return "usd" // i18n:ok a currency code
}

// readerSeller is the seller a reader's payments are for: the one owning
// it or its location, else the first that can take card payments.
func readerSeller(sess *app.Session, g readers.LocationGroup) (pos.Seller, bool) {
	if !g.Owner.IsPlatform() {
		if s, ok := sess.SellerByID(g.Owner); ok {
			return s, true
		}
	}
	for _, s := range sess.Sellers {
		if pos.LocationServes(g.Location, s) && !widgets.Blocked(s) {
			return s, true
		}
	}
	for _, s := range sess.Sellers {
		if !widgets.Blocked(s) {
			return s, true
		}
	}
	return pos.Seller{}, false
}

func (s *fleetScreen) Loading() bool      { return s.busy }
func (s *fleetScreen) CapturesText() bool { return false }

func (s *fleetScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Up, k.Down, k.Choose, k.Pair, k.Refresh, k.Back, k.Help}
}

func (s *fleetScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Choose}, {k.Pair, k.Refresh}, k.AreaHelp()}
}

// MinSize: every column at 80.
func (s *fleetScreen) MinSize() (int, int) { return 80, app.DefaultMinHeight }
