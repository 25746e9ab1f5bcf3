package customers

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// searchScreen looks customers up. For a sale (saleID) it searches the
// seller's customers and the platform's wallet together; to look customers
// up it searches one place at a time (tab: the wallet or the seller).
// Typing edits the search; enter searches what was typed, or opens the
// customer under the cursor once the list shows what was typed.
type searchScreen struct {
	deps   *app.Deps
	sess   *app.Session
	seller *pos.Seller // nil: the wallet only
	saleID string      // "": looking customers up
	wallet bool        // looking up: the wallet (else the seller's)

	form     *widgets.Form
	query    *widgets.Field
	searched string // the search the list shows
	found    []pos.Customer
	cursor   int
	loaded   bool
	widgets.Request
}

func newSearch(deps *app.Deps, sess *app.Session, seller *pos.Seller, saleID string) *searchScreen {
	s := &searchScreen{deps: deps, sess: sess, seller: seller, saleID: saleID, wallet: seller == nil,
		query: widgets.TextField(sess.T("customers.search.label"), 120, sess.T("customers.search.hint"))}
	s.form = widgets.NewForm(s.query)
	return s
}

func (s *searchScreen) Init() tea.Cmd { return s.search() }

// owners are the accounts the search looks in.
func (s *searchScreen) owners() []pos.Account {
	switch {
	case s.seller == nil:
		return []pos.Account{pos.Platform}
	case s.saleID != "":
		return []pos.Account{s.seller.ID, pos.Platform}
	case s.wallet:
		return []pos.Account{pos.Platform}
	}
	return []pos.Account{s.seller.ID}
}

func (s *searchScreen) search() tea.Cmd {
	if s.deps.Customers == nil {
		return nil
	}
	s.searched = s.query.Text()
	seq := s.Begin(s.sess)
	return searchCmd(s.deps.Customers, s.owners(), s.searched, seq, s.deps.Timeout)
}

// Resume searches again when a customer was created or a card removed.
func (s *searchScreen) Resume() tea.Cmd { return s.search() }

func (s *searchScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case searchedMsg:
		if s.Answered(msg.seq, msg.err) && msg.err == nil {
			s.found, s.loaded = msg.found, true
			s.cursor = max(0, min(s.cursor, len(s.found)-1))
		}
	case app.CustomerChosenMsg:
		// The choice reached the register: this screen's part is done.
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case key.Matches(msg, k.Up):
			s.cursor = max(0, s.cursor-1)
		case key.Matches(msg, k.Down):
			s.cursor = max(0, min(len(s.found)-1, s.cursor+1))
		case key.Matches(msg, k.Choose):
			if s.query.Text() != s.searched || !s.loaded {
				return s.search()
			}
			if s.cursor < len(s.found) {
				return app.Push(newDetail(s.deps, s.sess, s.seller, s.saleID, s.found[s.cursor]))
			}
		case key.Matches(msg, k.NewCustomer):
			return app.Push(newForm(s.deps, s.sess, s.seller, s.saleID, s.wallet || s.saleID != "", s.query.Text()))
		case key.Matches(msg, k.Scope) && s.saleID == "" && s.seller != nil:
			s.wallet = !s.wallet
			s.found, s.cursor, s.loaded = nil, 0, false
			return s.search()
		case key.Matches(msg, k.NoCustomer) && s.saleID != "":
			return tea.Batch(app.Emit(app.CustomerChosenMsg{SaleID: s.saleID}), app.Pop())
		default:
			s.form.Key(msg)
		}
	}
	return nil
}

func (s *searchScreen) Title() string {
	if s.saleID != "" {
		return s.sess.T("customers.search.title_sale")
	}
	return s.sess.T("customers.search.title")
}

func (s *searchScreen) scopeText() string {
	sess := s.sess
	switch {
	case s.seller == nil:
		return sess.T("customers.wallet")
	case s.saleID != "":
		return sess.T("customers.search.scope_both", i18n.Args{"Seller": sellerName(*s.seller)})
	case s.wallet:
		return sess.T("customers.wallet")
	}
	return sess.T("customers.at_seller", i18n.Args{"Seller": sellerName(*s.seller)})
}

func (s *searchScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	var b strings.Builder
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(s.scopeText()), w) + "\n\n")
	if s.deps.Customers == nil {
		b.WriteString(st.Warning.Render(sess.T("customers.unavailable")))
		return b.String()
	}
	b.WriteString(s.form.View(st, w, 10) + "\n\n")
	switch {
	case s.Busy && !s.loaded:
		b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.search.searching")))
		return b.String()
	case s.Err != nil:
		b.WriteString(widgets.ErrLines(st, sess.Loc, sess.T("customers.search.failed"), s.Err, w))
		return b.String()
	case len(s.found) == 0:
		what := sess.T("customers.search.none")
		if s.searched != "" {
			what = sess.T("customers.search.no_match", i18n.Args{"Query": s.searched})
		}
		b.WriteString(st.Muted.Render(what) + "\n" + st.Muted.Render(sess.T("customers.search.new_hint")))
		return b.String()
	}
	b.WriteString(st.Label.Render(sess.N("customers.search.count", len(s.found))) + "\n")
	rows := max(1, h-6)
	from := max(0, min(s.cursor-rows+1, len(s.found)-rows))
	for i := from; i < min(len(s.found), from+rows); i++ {
		c := s.found[i]
		mark, text := widgets.RowStyle(st, i == s.cursor)
		nameW := max(14, min(28, w/3))
		line := widgets.Cell(c.Label(), nameW) + "  " + widgets.Cell(widgets.OrDash(c.Email), max(14, min(32, w/3))) + "  " +
			accountLabel(sess.Loc, c, s.seller)
		b.WriteString(mark + text.Render(widgets.Cell(line, w-2)) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *searchScreen) Loading() bool      { return s.Busy }
func (s *searchScreen) CapturesText() bool { return true }

func (s *searchScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	out := []key.Binding{k.Choose, k.Up, k.Down, k.NewCustomer}
	switch {
	case s.saleID != "":
		out = append(out, k.NoCustomer)
	case s.seller != nil:
		out = append(out, k.Scope)
	}
	return append(out, k.Back)
}

func (s *searchScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func (s *searchScreen) MinSize() (int, int) { return app.DefaultMinSize() }
