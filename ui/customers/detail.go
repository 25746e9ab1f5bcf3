package customers

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	cus "kasse/customers"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// detailScreen is one customer: their saved cards and, when looking
// customers up, their recent sales here (every seller's, from this
// console's journal); a supervisor removes a saved card. For a sale it is
// the choice: the reader (optionally saving the card presented, once the
// cashier confirmed the customer agreed) or a saved card, attached to the
// sale with enter.
type detailScreen struct {
	deps   *app.Deps
	sess   *app.Session
	seller *pos.Seller
	saleID string
	c      pos.Customer

	cards  []pos.SavedCard
	sales  []pos.Sale
	cursor int // for a sale: 0 is the reader, i+1 cards[i]; else cards[i]
	save   bool
	loaded bool
	load   widgets.Request
	attach widgets.Request
	// problem is a refusal of the choice (an expired card, …).
	problem string
}

func newDetail(deps *app.Deps, sess *app.Session, seller *pos.Seller, saleID string, c pos.Customer) *detailScreen {
	return &detailScreen{deps: deps, sess: sess, seller: seller, saleID: saleID, c: c}
}

func (s *detailScreen) Init() tea.Cmd { return s.reload() }

// Resume reloads after a card was removed.
func (s *detailScreen) Resume() tea.Cmd { return s.reload() }

func (s *detailScreen) reload() tea.Cmd {
	svc, c, forSale := s.deps.Customers, s.c, s.saleID != ""
	seq := s.load.Begin(s.sess)
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		cards, err := svc.Cards(ctx, c.Account, c.ID)
		if err != nil || forSale {
			return detailLoadedMsg{seq: seq, cards: cards, err: err}
		}
		ids := []string{c.ID}
		for k, v := range c.Metadata {
			if strings.HasPrefix(k, pos.MetaCopyPrefix) && v != "" {
				ids = append(ids, v)
			}
		}
		sales, err := svc.RecentSales(ctx, ids, 10)
		return detailLoadedMsg{seq: seq, cards: cards, sales: sales, err: err}
	})
}

// rows is how many rows the list has.
func (s *detailScreen) rows() int {
	if s.saleID != "" {
		return len(s.cards) + 1
	}
	return len(s.cards)
}

// selected is the card under the cursor (nil: the reader, or none).
func (s *detailScreen) selected() *pos.SavedCard {
	i := s.cursor
	if s.saleID != "" {
		i--
	}
	if i < 0 || i >= len(s.cards) {
		return nil
	}
	k := s.cards[i]
	return &k
}

func (s *detailScreen) Update(msg tea.Msg) tea.Cmd {
	k := s.deps.Keys
	switch msg := msg.(type) {
	case detailLoadedMsg:
		if s.load.Answered(msg.seq, msg.err) {
			s.cards, s.sales, s.loaded = msg.cards, msg.sales, msg.err == nil || s.loaded
			s.cursor = max(0, min(s.cursor, s.rows()-1))
		}
	case attachedMsg:
		if !s.attach.Answered(msg.seq, msg.err) {
			return nil
		}
		if msg.err != nil {
			if text, bad := badText(s.sess.Loc, msg.err); bad {
				s.problem, s.attach.Err = text, nil
			}
			return nil
		}
		chosen := app.CustomerChosenMsg{SaleID: s.saleID, Customer: s.c, Sale: msg.sc}
		return tea.Batch(app.PopN(2), app.Emit(chosen)) // the register takes it wherever it is on the stack
	case tea.KeyMsg:
		s.problem = ""
		switch {
		case key.Matches(msg, k.Back):
			return app.Pop()
		case s.attach.Busy:
		case key.Matches(msg, k.Up):
			s.cursor = max(0, s.cursor-1)
		case key.Matches(msg, k.Down):
			s.cursor = max(0, min(s.rows()-1, s.cursor+1))
		case key.Matches(msg, k.Refresh):
			return s.reload()
		case s.saleID != "" && key.Matches(msg, k.SaveCard):
			return s.toggleSave()
		case s.saleID != "" && key.Matches(msg, k.Choose):
			return s.choose()
		case s.saleID == "" && key.Matches(msg, k.RemoveCard):
			if card := s.selected(); card != nil {
				return app.Push(newRemove(s.deps, s.sess, s.c, *card))
			}
		}
	}
	return nil
}

// toggleSave turns saving the presented card on (after the customer's
// consent, asked) or off; only for a payment on the reader.
func (s *detailScreen) toggleSave() tea.Cmd {
	if s.selected() != nil {
		s.problem = s.sess.T("customers.detail.save_reader_only")
		return nil
	}
	if s.save {
		s.save = false
		return nil
	}
	k, sess := s.deps.Keys, s.sess
	name := i18n.Args{"Name": s.c.Label()}
	return app.Ask(&app.Dialog{
		Title: sess.T("customers.consent.title"),
		Lines: []string{sess.T("customers.consent.question", name), "", sess.T("customers.consent.note")},
		Choices: []app.Choice{
			{Key: k.Yes, Text: sess.T("customers.consent.yes", name), Do: func() tea.Cmd { s.save = true; return nil }},
			{Key: k.No, Text: sess.T("customers.consent.no")},
		},
	})
}

// choose attaches the customer and the choice to the sale.
func (s *detailScreen) choose() tea.Cmd {
	card := s.selected()
	now := s.deps.Now()
	if card != nil && card.Expired(now) {
		s.problem = s.sess.T("customers.bad.card_expired", i18n.Args{"Detail": cardLabel(s.sess.Loc, *card, now)})
		return nil
	}
	ch := cus.Choice{Customer: s.c, Card: card, SaveCard: s.save && card == nil, ConsentBy: s.sess.Operator, At: now}
	if s.seller != nil {
		ch.Seller = s.seller.ID
	}
	if ch.ConsentBy == "" {
		ch.ConsentBy = s.deps.ConsoleID
	}
	svc, seq := s.deps.Customers, s.attach.Begin(s.sess)
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		sc, err := svc.ForSale(ctx, ch)
		return attachedMsg{seq: seq, sc: sc, err: err}
	})
}

func (s *detailScreen) Title() string { return s.c.Label() }

func (s *detailScreen) View(w, h int) string {
	st, sess := s.deps.Styles, s.sess
	now := s.deps.Now()
	var b strings.Builder
	b.WriteString(widgets.Spread(st.Title.Render(s.Title()), st.Muted.Render(accountLabel(sess.Loc, s.c, s.seller)), w) + "\n")
	email := widgets.OrDash(s.c.Email)
	if s.c.Email == "" {
		email = st.Warning.Render(sess.T("customers.detail.no_email"))
	}
	b.WriteString(st.Label.Render(sess.T("customers.detail.email")+" ") + email + "\n\n")
	if !s.loaded {
		switch {
		case s.load.Err != nil:
			b.WriteString(widgets.ErrLines(st, sess.Loc, sess.T("customers.detail.load_failed"), s.load.Err, w))
		default:
			b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.detail.loading")))
		}
		return b.String()
	}
	if s.saleID != "" {
		b.WriteString(st.Label.Render(sess.T("customers.detail.pay_with")) + "\n")
		mark, text := widgets.RowStyle(st, s.cursor == 0)
		reader := sess.T("customers.detail.reader")
		if s.save {
			reader += "  " + sess.T("customers.detail.save_on")
		}
		b.WriteString(mark + text.Render(widgets.Cell(reader, w-2)) + "\n")
	} else {
		b.WriteString(st.Label.Render(sess.T("customers.detail.cards")) + "\n")
		if len(s.cards) == 0 {
			b.WriteString(st.Muted.Render("  "+sess.T("customers.detail.no_cards")) + "\n")
		}
	}
	for i, k := range s.cards {
		row := i
		if s.saleID != "" {
			row = i + 1
		}
		mark, text := widgets.RowStyle(st, s.cursor == row)
		line := cardLabel(sess.Loc, k, now)
		if k.Expired(now) {
			text = st.Muted
		}
		b.WriteString(mark + text.Render(widgets.Cell(line, w-2)) + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.problem != "":
		b.WriteString(widgets.StyledLines(st.Warning, s.problem, w) + "\n")
	case s.attach.Busy:
		b.WriteString(s.deps.Spinner(sess) + st.Muted.Render(" "+sess.T("customers.detail.attaching")) + "\n")
	case s.attach.Err != nil:
		b.WriteString(widgets.ErrLines(st, sess.Loc, sess.T("customers.detail.attach_failed"), s.attach.Err, w) + "\n")
	case s.saleID != "":
		b.WriteString(widgets.StyledLines(st.Muted, sess.T("customers.detail.sale_hint"), w) + "\n")
	}
	if s.saleID == "" {
		b.WriteString(st.Label.Render(sess.T("customers.detail.sales")) + "\n")
		if len(s.sales) == 0 {
			b.WriteString(st.Muted.Render("  " + sess.T("customers.detail.no_sales")))
		}
		for _, x := range s.sales {
			amount := x.Amount
			if amount == 0 {
				amount = x.Cart.Total()
			}
			b.WriteString("  " + sess.FormatTime(x.CreatedAt, "format.datetime") + "  " + widgets.Cell(widgets.AccountName(s.sess, x.Seller), 22) + "  " +
				widgets.CellRight(sess.Money(amount, x.Currency), 12) + "  " + st.Muted.Render(widgets.SaleStateText(sess.Loc, x.State)) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (s *detailScreen) Loading() bool      { return s.load.Busy || s.attach.Busy }
func (s *detailScreen) CapturesText() bool { return false }

func (s *detailScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	if s.saleID != "" {
		return []key.Binding{k.Choose, k.Up, k.Down, k.SaveCard, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.RemoveCard, k.Refresh, k.Back}
}

func (s *detailScreen) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func (s *detailScreen) MinSize() (int, int) { return app.DefaultMinSize() }
