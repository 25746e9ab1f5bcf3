package sale

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// receiptScreen shows an approved sale: seller, location, items, amount,
// tip, card brand and last 4, intent id and time.
type receiptScreen struct {
	flow   *Flow
	deps   *app.Deps
	sess   *app.Session
	sale   pos.Sale
	seller pos.Seller
	loc    pos.Location
	reader pos.Reader

	saving  bool
	path    string // where the receipt was saved
	saveErr error
}

// receiptSavedMsg answers Receipts.Save.
type receiptSavedMsg struct {
	saleID string
	path   string
	err    error
}

// Init saves the receipt.
func (r *receiptScreen) Init() tea.Cmd { return r.save() }

// save writes the plain-text receipt through Deps.Receipts (nil: not
// saved).
func (r *receiptScreen) save() tea.Cmd {
	sv := r.deps.Receipts
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

func newReceiptScreen(f *Flow, sale pos.Sale, seller pos.Seller, loc pos.Location, rd pos.Reader) *receiptScreen {
	return &receiptScreen{flow: f, deps: f.deps, sess: f.sess, sale: sale, seller: seller, loc: loc, reader: rd}
}

func (r *receiptScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case receiptSavedMsg:
		if msg.saleID == r.sale.ID {
			r.saving, r.path, r.saveErr = false, msg.path, msg.err
		}
	case tea.KeyMsg:
		if key.Matches(msg, r.deps.Keys.NewSale, r.deps.Keys.Back) {
			return r.flow.leavePayment(nil) // an empty register for the next customer
		}
	}
	return nil
}

func (r *receiptScreen) Title() string { return "Receipt" }

func (r *receiptScreen) View(w, h int) string {
	st := r.deps.Styles
	var notes []string
	if r.sale.ReceiptEmail != "" {
		notes = append(notes, st.Muted.Render("Stripe emails the receipt to "+r.sale.ReceiptEmail))
	}
	switch {
	case r.saving:
		notes = append(notes, r.deps.Spinner(r.sess)+st.Muted.Render(" Saving the receipt…"))
	case r.saveErr != nil:
		notes = append(notes, st.Warning.Render("Receipt not saved: ")+widgets.ErrText(r.saveErr))
	case r.path != "":
		notes = append(notes, st.Muted.Render("Receipt saved to ")+st.Value.Render(r.path))
	}
	box := st.Box.Render(r.slip())
	if len(notes) == 0 {
		return widgets.Center(box, w, h)
	}
	for i, n := range notes {
		notes[i] = widgets.WrapText(n, w) // a failure is read whole, a path too
	}
	text := strings.Join(notes, "\n")
	return widgets.Center(box, w, h-widgets.LineCount(text)) + "\n" + text
}

// slip renders the receipt itself (plainText is what a printer gets).
func (r *receiptScreen) slip() string {
	st := r.deps.Styles
	s := r.sale
	cur := s.Currency
	const width = 44
	var b strings.Builder
	line := func(left, right string) {
		b.WriteString(widgets.Spread(left, right, width) + "\n")
	}
	b.WriteString(widgets.CenterIn(st.Title.Render(widgets.SellerName(r.seller)), width) + "\n")
	b.WriteString(widgets.CenterIn(st.Muted.Render(widgets.LocationName(r.loc)), width) + "\n")
	if a := strings.Join(widgets.NonEmpty(r.loc.Address.Line1, r.loc.Address.City), ", "); a != "" {
		b.WriteString(widgets.CenterIn(st.Muted.Render(a), width) + "\n")
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	for _, l := range s.Cart.Lines {
		left := l.Description
		if l.Quantity != 1 {
			left = strconv.FormatInt(l.Quantity, 10) + " × " + left
		}
		line(widgets.Cell(left, width-14), widgets.AmountNum(l.Amount(), cur))
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	if s.Cart.TaxRate > 0 {
		line("Subtotal", widgets.AmountNum(s.Cart.Subtotal(), cur))
		line("Tax "+pos.FormatTaxRate(s.Cart.TaxRate), widgets.AmountNum(s.Cart.Tax(), cur))
	}
	if s.Tip != nil && *s.Tip > 0 {
		line("Tip", widgets.AmountNum(*s.Tip, cur))
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
	line(st.Label.Render("Reader"), widgets.ReaderName(r.reader))
	who := r.deps.ConsoleID
	if r.sess.Operator != "" {
		who = r.sess.Operator + " @ " + who
	}
	line(st.Label.Render("Served by"), who)
	return strings.TrimSuffix(b.String(), "\n")
}

func (r *receiptScreen) Loading() bool      { return r.saving }
func (r *receiptScreen) CapturesText() bool { return false }

func (r *receiptScreen) ShortHelp() []key.Binding {
	k := r.deps.Keys
	return []key.Binding{k.NewSale, k.Help, k.Quit}
}

func (r *receiptScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{r.deps.Keys.NewSale}}
}

// MinSize is the whole slip and its notes.
func (r *receiptScreen) MinSize() (int, int) {
	box := r.deps.Styles.Box.Render(r.slip())
	return max(app.DefaultMinWidth, lipgloss.Width(box)), max(app.DefaultMinHeight, app.BodyLines(lipgloss.Height(box)+2))
}
