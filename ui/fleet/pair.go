package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
)

// pairScreen registers a reader: its registration code (simulated-wpe or
// simulated-s700 in sandbox and test mode), a label and a location, an
// existing one or a new one for a seller, whose address fields follow the
// country's rules (readers.RequiredAddressFields; readers.ValidateAddress runs
// before any request). A new location is created first and then chosen,
// so a failed registration can be retried without creating it twice.
type pairScreen struct {
	sh   *shared
	locs []readers.LocationGroup // existing locations (Readers unused)

	form                                             *form
	code, label, loc, forSeller, owner               *field
	name, line1, line2, city, state, postal, country *field
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

func newPairScreen(sh *shared, groups []readers.LocationGroup) *pairScreen {
	s := &pairScreen{sh: sh}
	hint := "3 words from the reader: admin PIN 07139 → Generate pairing code"
	if sh.testKeys() {
		hint = "simulated-wpe / simulated-s700, or a real reader's 3 words"
	}
	s.code = textField("Code", 64, hint)
	s.label = textField("Label", 200, "what cashiers see, e.g. Counter 1")
	var opts []string
	for _, g := range groups {
		if g.Missing {
			continue
		}
		l := g.Location
		l.Owner = g.Owner
		s.locs = append(s.locs, readers.LocationGroup{Owner: g.Owner, OwnerName: g.OwnerName, Location: l})
		opts = append(opts, locationName(l)+" · "+orDash(g.OwnerName))
	}
	s.loc = choiceField("Location", append(opts, newLocationOption), "")
	s.forSeller = choiceField("For seller", sellerChoicesOnly(sh), "")
	s.owner = choiceField("Owned by", []string{"platform", "the seller's account"}, "who owns location and reader")
	s.name = textField("Name", 200, "")
	s.line1, s.line2 = textField("Address", 200, ""), textField("Line 2", 200, "")
	s.city, s.state = textField("City", 100, ""), textField("State", 100, "")
	s.postal, s.country = textField("Postal code", 20, ""), textField("Country", 2, "ISO code: US, DE, GB…")
	s.form = newForm(s.code, s.label, s.loc, s.forSeller, s.owner, s.name, s.line1, s.line2, s.city, s.state, s.postal, s.country)
	s.refresh()
	return s
}

func sellerChoicesOnly(sh *shared) []string {
	var out []string
	for _, x := range sh.sellers {
		out = append(out, sellerName(x))
	}
	if len(out) == 0 {
		out = []string{"(no seller loaded)"}
	}
	return out
}

func (s *pairScreen) areaName() string { return areaTitle(AreaReaders) }

func (s *pairScreen) isNew() bool { return s.loc.choice == len(s.locs) }

// refresh shows the new-location fields when needed, fills them from the
// seller until edited, and marks what the country requires.
func (s *pairScreen) refresh() {
	hidden := !s.isNew()
	for _, f := range []*field{s.forSeller, s.owner, s.name, s.line1, s.line2, s.city, s.state, s.postal, s.country} {
		f.hidden = hidden
	}
	if hidden {
		return
	}
	if sel, ok := s.seller(); ok {
		if !s.name.edited {
			s.name.set(sellerName(sel))
		}
		if !s.country.edited {
			s.country.set(sel.Country)
		}
	}
	need := map[string]bool{}
	for _, f := range readers.RequiredAddressFields(s.country.text()) {
		need[f] = true
	}
	s.line1.required, s.city.required, s.state.required, s.postal.required = need["line1"], need["city"], need["state"], need["postal_code"]
	s.name.required, s.country.required = true, true
}

func (s *pairScreen) seller() (pos.Seller, bool) {
	if s.forSeller.choice < len(s.sh.sellers) {
		return s.sh.sellers[s.forSeller.choice], true
	}
	return pos.Seller{}, false
}

func (s *pairScreen) address() pos.Address {
	return pos.Address{Line1: s.line1.text(), Line2: s.line2.text(), City: s.city.text(), State: s.state.text(),
		PostalCode: s.postal.text(), Country: strings.ToUpper(s.country.text())}
}

func (s *pairScreen) update(msg tea.Msg) tea.Cmd {
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
			name = sellerName(sel)
		}
		s.locs = append(s.locs, readers.LocationGroup{Owner: msg.loc.Owner, OwnerName: name, Location: msg.loc})
		opts := s.loc.options[:len(s.loc.options)-1]
		s.loc.options = append(append(opts[:len(opts):len(opts)], locationName(msg.loc)+" · "+name), newLocationOption)
		s.loc.choose(len(s.locs) - 1)
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
		g := s.locs[s.loc.choice]
		r := msg.r
		if r.Owner.IsPlatform() {
			r.Owner = g.Owner
		}
		d := newReaderDetailScreen(s.sh, g, r)
		d.out, d.outTone = []string{"Registered " + readerName(r) + " (" + r.ID + ") at " + locationName(g.Location) +
			". t runs a test payment."}, toneOK
		return emit(replaceMsg{s: d, cmd: d.arm()})
	case tea.KeyMsg:
		k := s.sh.keys
		switch {
		case key.Matches(msg, k.Back):
			return emit(backMsg{})
		case s.busy != "":
		case key.Matches(msg, k.Submit):
			return s.submit()
		case s.form.key(msg):
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
	case s.code.text() == "":
		return s.refuse(s.code, "Type the registration code.")
	case s.label.text() == "":
		return s.refuse(s.label, "Give the reader a label cashiers recognise.")
	case !s.isNew():
		return s.register()
	}
	sel, ok := s.seller()
	if !ok {
		return s.refuse(s.forSeller, "No seller is loaded: go back to the seller list and reload it.")
	}
	if s.name.text() == "" {
		return s.refuse(s.name, "Name the location (after the shop or the seller).")
	}
	addr := s.address()
	if err := readers.ValidateAddress(addr); err != nil {
		return s.refuse(s.line1, "Address: "+err.Error()+".")
	}
	owner := pos.Platform
	if s.owner.choice == 1 {
		owner = sel.ID
	}
	s.busy, s.problem = "Creating the location", ""
	s.seq = s.sh.nextSeq()
	seq, f, name, timeout, seller := s.seq, s.sh.deps.Fleet, s.name.text(), s.sh.deps.Timeout, sel.ID
	return timed(timeout, func(ctx context.Context) tea.Msg {
		l, err := f.CreateLocation(ctx, owner, seller, name, addr)
		if err == nil && l.Owner != owner {
			l.Owner = owner
		}
		return pairLocationMsg{seq: seq, loc: l, err: err}
	})
}

func (s *pairScreen) refuse(f *field, problem string) tea.Cmd {
	s.problem = problem
	s.form.focusOn(f)
	return nil
}

func (s *pairScreen) register() tea.Cmd {
	g := s.locs[s.loc.choice]
	s.busy, s.problem = "Registering the reader", ""
	s.seq = s.sh.nextSeq()
	seq, f, timeout := s.seq, s.sh.deps.Fleet, s.sh.deps.Timeout
	owner, code, label, locID := g.Owner, s.code.text(), s.label.text(), g.Location.ID
	return timed(timeout, func(ctx context.Context) tea.Msg {
		r, err := f.Register(ctx, owner, code, label, locID)
		return pairedMsg{seq: seq, r: r, err: err}
	})
}

func (s *pairScreen) title() string { return "Pair a reader" }

func (s *pairScreen) view(w, h int) string {
	st := s.sh.st
	var b strings.Builder
	b.WriteString(st.Title.Render("Pair a reader") + "\n")
	b.WriteString(st.Muted.Render("A reader is registered on the account that owns its location.") + "\n\n")
	b.WriteString(s.form.view(st, w, 14) + "\n\n")
	switch {
	case s.busy != "":
		b.WriteString(s.sh.spinner() + st.Muted.Render(" "+s.busy+"…"))
	case s.problem != "":
		b.WriteString(st.Warning.Render(wrap(s.problem, w)))
	case s.err != nil:
		b.WriteString(st.Danger.Render(wrap(errText(s.err), w)))
	default:
		b.WriteString(st.Muted.Render("enter registers · esc cancels · * = required in this country"))
	}
	return b.String()
}

func (s *pairScreen) loading() bool      { return s.busy != "" }
func (s *pairScreen) capturesText() bool { return true }

func (s *pairScreen) shortHelp() []key.Binding {
	k := s.sh.keys
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}

func (s *pairScreen) fullHelp() [][]key.Binding { return [][]key.Binding{s.sh.keys.formHelp()} }
