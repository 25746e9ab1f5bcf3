package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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

	saving  bool
	path    string // where the receipt was saved
	saveErr error
}

// newSaleMsg asks the root for an empty register.
type newSaleMsg struct{}

// receiptSavedMsg answers Receipts.Save.
type receiptSavedMsg struct {
	saleID string
	path   string
	err    error
}

// save writes the plain-text receipt through Deps.Receipts (nil: not
// saved).
func (r *receiptScreen) save() tea.Cmd {
	sv := r.sh.deps.Receipts
	if sv == nil {
		return nil
	}
	r.saving = true
	name, id := r.sale.ID+".txt", r.sale.ID
	text := []byte(r.plainText())
	return func() tea.Msg {
		p, err := sv.Save(name, text)
		return receiptSavedMsg{saleID: id, path: p, err: err}
	}
}

// plainText is the receipt as a printer or a file gets it.
func (r *receiptScreen) plainText() string {
	var b strings.Builder
	for _, l := range strings.Split(ansi.Strip(r.slip()), "\n") {
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return b.String()
}

func newReceiptScreen(sh *shared, sale pos.Sale, seller pos.Seller, loc pos.Location, rd pos.Reader) *receiptScreen {
	return &receiptScreen{sh: sh, sale: sale, seller: seller, loc: loc, reader: rd}
}

func (r *receiptScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case receiptSavedMsg:
		if msg.saleID == r.sale.ID {
			r.saving, r.path, r.saveErr = false, msg.path, msg.err
		}
	case tea.KeyMsg:
		if key.Matches(msg, r.sh.keys.NewSale, r.sh.keys.Back) {
			return emit(newSaleMsg{})
		}
	}
	return nil
}

func (r *receiptScreen) title() string { return "Receipt" }

func (r *receiptScreen) view(w, h int) string {
	st := r.sh.st
	var notes []string
	if r.sale.ReceiptEmail != "" {
		notes = append(notes, st.Muted.Render("Stripe emails the receipt to "+r.sale.ReceiptEmail))
	}
	switch {
	case r.saving:
		notes = append(notes, r.sh.spinner()+st.Muted.Render(" Saving the receipt…"))
	case r.saveErr != nil:
		notes = append(notes, st.Warning.Render("Receipt not saved: ")+errText(r.saveErr))
	case r.path != "":
		notes = append(notes, st.Muted.Render("Receipt saved to ")+st.Value.Render(r.path))
	}
	box := st.Box.Render(r.slip())
	if len(notes) == 0 {
		return center(box, w, h)
	}
	for i, n := range notes {
		notes[i] = wrapText(n, w) // a failure is read whole, a path too
	}
	text := strings.Join(notes, "\n")
	return center(box, w, h-lineCount(text)) + "\n" + text
}

// slip renders the receipt itself (plainText is what a printer gets).
func (r *receiptScreen) slip() string {
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
	return strings.TrimSuffix(b.String(), "\n")
}

func centerIn(s string, w int) string {
	pad := max(0, (w-lipgloss.Width(s))/2)
	return strings.Repeat(" ", pad) + s
}

func (r *receiptScreen) loading() bool      { return r.saving }
func (r *receiptScreen) capturesText() bool { return false }

func (r *receiptScreen) shortHelp() []key.Binding {
	k := r.sh.keys
	return []key.Binding{k.NewSale, k.Help, k.Quit}
}

func (r *receiptScreen) fullHelp() [][]key.Binding {
	return [][]key.Binding{{r.sh.keys.NewSale}}
}
