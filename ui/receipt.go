package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
)

// receiptScreen shows an approved sale: seller, location, items, amount,
// tip, card brand and last 4, intent id and time.
type receiptScreen struct {
	sh     *shared
	sale   pos.Sale
	seller pos.Seller
	loc    pos.Location
	reader pos.Reader
}

// newSaleMsg asks the root for an empty register.
type newSaleMsg struct{}

func newReceiptScreen(sh *shared, sale pos.Sale, seller pos.Seller, loc pos.Location, rd pos.Reader) *receiptScreen {
	return &receiptScreen{sh: sh, sale: sale, seller: seller, loc: loc, reader: rd}
}

func (r *receiptScreen) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, r.sh.keys.NewSale, r.sh.keys.Back) {
		return emit(newSaleMsg{})
	}
	return nil
}

func (r *receiptScreen) title() string { return "Receipt" }

func (r *receiptScreen) view(w, h int) string {
	return center(r.receipt(), w, h)
}

// receipt renders the slip itself (also what a printer would get).
func (r *receiptScreen) receipt() string {
	st := r.sh.st
	s := r.sale
	cur := s.Currency
	const width = 44
	var b strings.Builder
	line := func(left, right string) {
		b.WriteString(spread(left, right, width) + "\n")
	}
	b.WriteString(centerIn(st.Title.Render(sellerName(r.seller)), width) + "\n")
	b.WriteString(centerIn(st.Muted.Render(locationName(r.loc)), width) + "\n")
	if a := strings.Join(nonEmpty(r.loc.Address.Line1, r.loc.Address.City), ", "); a != "" {
		b.WriteString(centerIn(st.Muted.Render(a), width) + "\n")
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	for _, l := range s.Cart.Lines {
		left := l.Description
		if l.Quantity != 1 {
			left = strconv.FormatInt(l.Quantity, 10) + " × " + left
		}
		line(cell(left, width-14), amountNum(l.Amount(), cur))
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	if s.Cart.TaxRate > 0 {
		line("Subtotal", amountNum(s.Cart.Subtotal(), cur))
		line("Tax "+pos.FormatTaxRate(s.Cart.TaxRate), amountNum(s.Cart.Tax(), cur))
	}
	if s.Tip != nil && *s.Tip > 0 {
		line("Tip", amountNum(*s.Tip, cur))
	}
	line(st.Total.Render("Total"), st.Total.Render(pos.Format(s.Amount, cur)))
	b.WriteString("\n")
	card := "card"
	if s.Card.Last4 != "" {
		card = strings.ToUpper(s.Card.Brand) + " ····" + s.Card.Last4
	}
	line(st.Success.Render("APPROVED"), card)
	at := s.DoneAt
	if at.IsZero() {
		at = s.UpdatedAt
	}
	line(st.Label.Render("Time"), at.Format("2006-01-02 15:04:05 MST"))
	line(st.Label.Render("Payment"), s.IntentID)
	if s.ChargeID != "" {
		line(st.Label.Render("Charge"), s.ChargeID)
	}
	line(st.Label.Render("Reader"), readerName(r.reader))
	who := r.sh.deps.ConsoleID
	if r.sh.deps.Operator != "" {
		who = r.sh.deps.Operator + " @ " + who
	}
	line(st.Label.Render("Served by"), who)
	return st.Box.Render(strings.TrimSuffix(b.String(), "\n"))
}

func centerIn(s string, w int) string {
	pad := max(0, (w-lipgloss.Width(s))/2)
	return strings.Repeat(" ", pad) + s
}

func (r *receiptScreen) loading() bool      { return false }
func (r *receiptScreen) capturesText() bool { return false }

func (r *receiptScreen) shortHelp() []key.Binding {
	k := r.sh.keys
	return []key.Binding{k.NewSale, k.Help, k.Quit}
}

func (r *receiptScreen) fullHelp() [][]key.Binding {
	return [][]key.Binding{{r.sh.keys.NewSale}}
}
