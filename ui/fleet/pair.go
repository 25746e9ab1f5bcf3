package fleet

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
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
	busy                                             string // what runs: its message key ("" none)
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

func newPairScreen(deps *app.Deps, sess *app.Session, groups []readers.LocationGroup) *pairScreen {
	s := &pairScreen{deps: deps, sess: sess}
	t := sess.T
	hint := t("fleet.pair.code_hint")
	if deps.TestKeys() {
		hint = t("fleet.pair.code_hint_test")
	}
	s.code = widgets.TextField(t("fleet.pair.code"), 64, hint)
	s.label = widgets.TextField(t("fleet.col_label"), 200, t("fleet.pair.label_hint"))
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
	s.loc = widgets.ChoiceField(t("fleet.detail.location"), append(opts, "＋ "+t("fleet.pair.new_location")), "")
	s.forSeller = widgets.ChoiceField(t("fleet.pair.for_seller"), sellerChoicesOnly(sess), "")
	s.owner = widgets.ChoiceField(t("fleet.pair.owned_by"), []string{t("widgets.platform"), t("fleet.pair.sellers_account")}, t("fleet.pair.owned_by_hint"))
	s.name = widgets.TextField(t("fleet.pair.name"), 200, "")
	s.line1, s.line2 = widgets.TextField(t("fleet.pair.address"), 200, ""), widgets.TextField(t("fleet.pair.line2"), 200, "")
	s.city, s.state = widgets.TextField(t("fleet.pair.city"), 100, ""), widgets.TextField(t("fleet.pair.state"), 100, "")
	s.postal, s.country = widgets.TextField(t("fleet.pair.postal"), 20, ""), widgets.TextField(t("fleet.pair.country"), 2, t("fleet.pair.country_hint"))
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
		out = []string{sess.T("fleet.pair.no_seller_loaded")}
	}
	return out
}

func (s *pairScreen) Area() string { return app.AreaTitle(s.sess.Loc, app.AreaReaders) }

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
		name := s.sess.T("widgets.platform")
		if !msg.loc.Owner.IsPlatform() {
			name = widgets.SellerName(sel)
		}
		s.locs = append(s.locs, readers.LocationGroup{Owner: msg.loc.Owner, OwnerName: name, Location: msg.loc})
		opts := s.loc.Options[:len(s.loc.Options)-1]
		newOpt := s.loc.Options[len(s.loc.Options)-1]
		s.loc.Options = append(append(opts[:len(opts):len(opts)], widgets.LocationName(msg.loc)+" · "+name), newOpt)
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
		d.out, d.outTone = []string{s.sess.T("fleet.pair.registered", i18n.Args{"Reader": widgets.ReaderName(r), "ID": r.ID,
			"Location": widgets.LocationName(g.Location)})}, app.ToneOK
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
	t := s.sess.T
	switch {
	case s.code.Text() == "":
		return s.refuse(s.code, t("fleet.pair.type_code"))
	case s.label.Text() == "":
		return s.refuse(s.label, t("fleet.pair.type_label"))
	case !s.isNew():
		return s.register()
	}
	sel, ok := s.seller()
	if !ok {
		return s.refuse(s.forSeller, t("fleet.pair.no_seller"))
	}
	if s.name.Text() == "" {
		return s.refuse(s.name, t("fleet.pair.type_name"))
	}
	addr := s.address()
	if err := readers.ValidateAddress(addr); err != nil {
		return s.refuse(s.line1, t("fleet.pair.bad_address", i18n.Args{"Error": err}))
	}
	owner := pos.Platform
	if s.owner.Choice == 1 {
		owner = sel.ID
	}
	s.busy, s.problem = "fleet.pair.creating", ""
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
	s.busy, s.problem = "fleet.pair.registering", ""
	s.seq = s.sess.NextSeq()
	seq, f, timeout := s.seq, s.deps.Fleet, s.deps.Timeout
	owner, code, label, locID := g.Owner, s.code.Text(), s.label.Text(), g.Location.ID
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := f.Register(ctx, owner, code, label, locID)
		return pairedMsg{seq: seq, r: r, err: err}
	})
}

func (s *pairScreen) Title() string { return s.sess.T("fleet.pair.title") }

func (s *pairScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(st.Title.Render(s.Title()) + "\n")
	b.WriteString(st.Muted.Render(sess.T("fleet.pair.intro")) + "\n\n")
	b.WriteString(s.form.View(st, w, 14) + "\n\n")
	switch {
	case s.busy != "":
		b.WriteString(s.deps.Spinner(s.sess) + st.Muted.Render(" "+sess.T(s.busy)))
	case s.problem != "":
		b.WriteString(st.Warning.Render(widgets.Wrap(s.problem, w)))
	case s.err != nil:
		b.WriteString(st.Danger.Render(widgets.Wrap(widgets.ErrText(sess.Loc, s.err), w)))
	default:
		b.WriteString(st.Muted.Render(sess.T("fleet.pair.hint")))
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
