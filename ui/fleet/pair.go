package fleet

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// pairScreen registers a reader: its registration code (simulated-wpe or
// simulated-s700 in sandbox and test mode), a label and a location, an
// existing one or a new one for a seller, whose address fields follow the
// country's rules (readers.RequiredAddressFields; readers.ValidateAddress runs
// before any request). A new location is created first and then chosen,
// so a failed registration can be retried without creating it twice.
type pairScreen struct {
	deps *app.Deps
	sess *app.Session
	locs []readers.LocationGroup // existing locations (Readers unused)

	form                                             *widgets.Form
	code, label, loc, forSeller, owner               *widgets.Field
	name, line1, line2, city, state, postal, country *widgets.Field
	busy                                             string // "creating the location", "registering"
	seq                                              int
	err                                              error
	problem                                          string
}

type (
	pairLocationMsg struct {
		seq int
		loc pos.Location
		err error
	}
	pairedMsg struct {
		seq int
		r   pos.Reader
		err error
	}
)

const newLocationOption = "＋ new location"

func newPairScreen(deps *app.Deps, sess *app.Session, groups []readers.LocationGroup) *pairScreen {
	s := &pairScreen{deps: deps, sess: sess}
	hint := "3 words from the reader: admin PIN 07139 → Generate pairing code"
	if deps.TestKeys() {
		hint = "simulated-wpe / simulated-s700, or a real reader's 3 words"
	}
	s.code = widgets.TextField("Code", 64, hint)
	s.label = widgets.TextField("Label", 200, "what cashiers see, e.g. Counter 1")
	var opts []string
	for _, g := range groups {
		if g.Missing {
			continue
		}
		l := g.Location
		l.Owner = g.Owner
		s.locs = append(s.locs, readers.LocationGroup{Owner: g.Owner, OwnerName: g.OwnerName, Location: l})
		opts = append(opts, widgets.LocationName(l)+" · "+widgets.OrDash(g.OwnerName))
	}
	s.loc = widgets.ChoiceField("Location", append(opts, newLocationOption), "")
	s.forSeller = widgets.ChoiceField("For seller", sellerChoicesOnly(sess), "")
	s.owner = widgets.ChoiceField("Owned by", []string{"platform", "the seller's account"}, "who owns location and reader")
	s.name = widgets.TextField("Name", 200, "")
	s.line1, s.line2 = widgets.TextField("Address", 200, ""), widgets.TextField("Line 2", 200, "")
	s.city, s.state = widgets.TextField("City", 100, ""), widgets.TextField("State", 100, "")
	s.postal, s.country = widgets.TextField("Postal code", 20, ""), widgets.TextField("Country", 2, "ISO code: US, DE, GB…")
	s.form = widgets.NewForm(s.code, s.label, s.loc, s.forSeller, s.owner, s.name, s.line1, s.line2, s.city, s.state, s.postal, s.country)
	s.refresh()
	return s
}

func (s *pairScreen) Init() tea.Cmd { return nil }

func sellerChoicesOnly(sess *app.Session) []string {
	var out []string
	for _, x := range sess.Sellers {
		out = append(out, widgets.SellerName(x))
	}
	if len(out) == 0 {
		out = []string{"(no seller loaded)"}
	}
	return out
}

func (s *pairScreen) Area() string { return app.AreaTitle(app.AreaReaders) }

func (s *pairScreen) isNew() bool { return s.loc.Choice == len(s.locs) }

// refresh shows the new-location fields when needed, fills them from the
// seller until edited, and marks what the country requires.
func (s *pairScreen) refresh() {
	hidden := !s.isNew()
	for _, f := range []*widgets.Field{s.forSeller, s.owner, s.name, s.line1, s.line2, s.city, s.state, s.postal, s.country} {
		f.Hidden = hidden
	}
	if hidden {
		return
	}
	if sel, ok := s.seller(); ok {
		if !s.name.Edited {
			s.name.Set(widgets.SellerName(sel))
		}
		if !s.country.Edited {
			s.country.Set(sel.Country)
		}
	}
	need := map[string]bool{}
	for _, f := range readers.RequiredAddressFields(s.country.Text()) {
		need[f] = true
	}
	s.line1.Required, s.city.Required, s.state.Required, s.postal.Required = need["line1"], need["city"], need["state"], need["postal_code"]
	s.name.Required, s.country.Required = true, true
}

func (s *pairScreen) seller() (pos.Seller, bool) {
	if s.forSeller.Choice < len(s.sess.Sellers) {
		return s.sess.Sellers[s.forSeller.Choice], true
	}
	return pos.Seller{}, false
}

func (s *pairScreen) address() pos.Address {
	return pos.Address{Line1: s.line1.Text(), Line2: s.line2.Text(), City: s.city.Text(), State: s.state.Text(),
		PostalCode: s.postal.Text(), Country: strings.ToUpper(s.country.Text())}
}

func (s *pairScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pairLocationMsg:
		if msg.seq != s.seq {
			return nil
		}
		if msg.err != nil {
			s.busy, s.err = "", msg.err
			return nil
		}
		sel, _ := s.seller()
		name := "platform"
		if !msg.loc.Owner.IsPlatform() {
			name = widgets.SellerName(sel)
		}
		s.locs = append(s.locs, readers.LocationGroup{Owner: msg.loc.Owner, OwnerName: name, Location: msg.loc})
		opts := s.loc.Options[:len(s.loc.Options)-1]
		s.loc.Options = append(append(opts[:len(opts):len(opts)], widgets.LocationName(msg.loc)+" · "+name), newLocationOption)
		s.loc.Choose(len(s.locs) - 1)
		s.refresh()
		return s.register()
	case pairedMsg:
		if msg.seq != s.seq {
			return nil
		}
		s.busy, s.err = "", msg.err
		if msg.err != nil {
			return nil
		}
		g := s.locs[s.loc.Choice]
		r := msg.r
		if r.Owner.IsPlatform() {
			r.Owner = g.Owner
		}
		d := newReaderDetailScreen(s.deps, s.sess, g, r)
		d.out, d.outTone = []string{"Registered " + widgets.ReaderName(r) + " (" + r.ID + ") at " + widgets.LocationName(g.Location) +
			". t runs a test payment."}, app.ToneOK
		return app.Replace(d)
	case tea.KeyMsg:
		k := s.deps.Keys
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case s.busy != "":
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.Key(msg):
			s.problem = ""
			s.refresh()
		}
	}
	return nil
}

// submit checks code, label and (for a new location) name and address
// before any request.
func (s *pairScreen) submit() tea.Cmd {
	s.err = nil
	switch {
	case s.code.Text() == "":
		return s.refuse(s.code, "Type the registration code.")
	case s.label.Text() == "":
		return s.refuse(s.label, "Give the reader a label cashiers recognise.")
	case !s.isNew():
		return s.register()
	}
	sel, ok := s.seller()
	if !ok {
		return s.refuse(s.forSeller, "No seller is loaded: go back to the seller list and reload it.")
	}
	if s.name.Text() == "" {
		return s.refuse(s.name, "Name the location (after the shop or the seller).")
	}
	addr := s.address()
	if err := readers.ValidateAddress(addr); err != nil {
		return s.refuse(s.line1, "Address: "+err.Error()+".")
	}
	owner := pos.Platform
	if s.owner.Choice == 1 {
		owner = sel.ID
	}
	s.busy, s.problem = "Creating the location", ""
	s.seq = s.sess.NextSeq()
	seq, f, name, timeout, seller := s.seq, s.deps.Fleet, s.name.Text(), s.deps.Timeout, sel.ID
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		l, err := f.CreateLocation(ctx, owner, seller, name, addr)
		if err == nil && l.Owner != owner {
			l.Owner = owner
		}
		return pairLocationMsg{seq: seq, loc: l, err: err}
	})
}

func (s *pairScreen) refuse(f *widgets.Field, problem string) tea.Cmd {
	s.problem = problem
	s.form.FocusOn(f)
	return nil
}

func (s *pairScreen) register() tea.Cmd {
	g := s.locs[s.loc.Choice]
	s.busy, s.problem = "Registering the reader", ""
	s.seq = s.sess.NextSeq()
	seq, f, timeout := s.seq, s.deps.Fleet, s.deps.Timeout
	owner, code, label, locID := g.Owner, s.code.Text(), s.label.Text(), g.Location.ID
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := f.Register(ctx, owner, code, label, locID)
		return pairedMsg{seq: seq, r: r, err: err}
	})
}

func (s *pairScreen) Title() string { return "Pair a reader" }

func (s *pairScreen) View(w, h int) string {
	st := s.deps.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Pair a reader") + "\n")
	b.WriteString(st.Muted.Render("A reader is registered on the account that owns its location.") + "\n\n")
	b.WriteString(s.form.View(st, w, 14) + "\n\n")
	switch {
	case s.busy != "":
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+s.busy+"…"))
	case s.problem != "":
		b.WriteString(st.Warning.Render(widgets.Wrap(s.problem, w)))
	case s.err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(widgets.ErrText(s.err), w)))
	default:
		b.WriteString(st.Muted.Render("enter registers · esc cancels · * = required in this country"))
	}
	return b.String()
}

func (s *pairScreen) Loading() bool      { return s.busy != "" }
func (s *pairScreen) CapturesText() bool { return true }

func (s *pairScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *pairScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.deps.Keys.FormHelp()} }

// MinSize: the form's fields, a line of outcome and the keys.
func (s *pairScreen) MinSize() (int, int) { return 64, app.BodyLines(3 + 14 + 2) }
