package sale

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kasse/i18n"
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
	place  pos.Location
	reader pos.Reader
	// loc is the receipt's language: the operator's (the session's), or
	// the customer's after the language key (ReceiptLanguage).
	loc *i18n.Locale

	saving  bool
	saveSeq int    // the newest save, so an older one's answer is dropped
	path    string // where the receipt was saved
	saveErr error
}

// receiptSavedMsg answers Receipts.Save.
type receiptSavedMsg struct {
	saleID string
	seq    int
	path   string
	err    error
}

// Init saves the receipt.
func (r *receiptScreen) Init() tea.Cmd { return r.save() }

// save writes the plain-text receipt, in the receipt's language, through
// Deps.Receipts (nil: not saved). Switching the language saves it again:
// the file is the receipt the customer was given.
func (r *receiptScreen) save() tea.Cmd {
	sv := r.deps.Receipts
	if sv == nil {
		return nil
	}
	r.saving = true
	r.saveSeq = r.sess.NextSeq()
	name, id, seq := r.sale.ID+".txt", r.sale.ID, r.saveSeq // i18n:ok a file extension
	text := []byte(r.plainText())
	return func() tea.Msg {
		p, err := sv.Save(name, text)
		return receiptSavedMsg{saleID: id, seq: seq, path: p, err: err}
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
	return &receiptScreen{flow: f, deps: f.deps, sess: f.sess, sale: sale, seller: seller, place: loc, reader: rd, loc: f.sess.Loc}
}

// Language is the receipt's language.
func (r *receiptScreen) Language() *i18n.Locale { return r.loc }

func (r *receiptScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case receiptSavedMsg:
		if msg.saleID == r.sale.ID && msg.seq == r.saveSeq {
			r.saving, r.path, r.saveErr = false, msg.path, msg.err
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, r.deps.Keys.NewSale, r.deps.Keys.Back):
			return r.flow.leavePayment(nil) // an empty register for the next customer
		case key.Matches(msg, r.deps.Keys.ReceiptLanguage):
			r.loc = r.loc.Next()
			return tea.Batch(r.save(), app.Say(app.ToneInfo, r.sess.T("sale.receipt.language_now",
				i18n.Args{"Language": app.LanguageName(r.sess.Loc, r.loc)})))
		}
	}
	return nil
}

func (r *receiptScreen) Title() string { return r.sess.T("sale.receipt.title") }

// The screen around the slip speaks the operator's language; the slip
// itself, the receipt's (r.loc).
func (r *receiptScreen) View(w, h int) string {
	st, sess := r.deps.Styles, r.sess
	var notes []string
	if r.sale.ReceiptEmail != "" {
		notes = append(notes, st.Muted.Render(sess.T("sale.receipt.emailed", i18n.Args{"Email": r.sale.ReceiptEmail})))
	}
	switch {
	case r.saving:
		notes = append(notes, r.deps.Spinner(r.sess)+st.Muted.Render(" "+sess.T("sale.receipt.saving")))
	case r.saveErr != nil:
		notes = append(notes, st.Warning.Render(sess.T("sale.receipt.not_saved"))+widgets.ErrText(sess.Loc, r.saveErr))
	case r.path != "":
		notes = append(notes, st.Muted.Render(sess.T("sale.receipt.saved"))+st.Value.Render(r.path))
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

// slip renders the receipt itself (plainText is what a printer gets), in
// the receipt's language.
func (r *receiptScreen) slip() string {
	st, loc := r.deps.Styles, r.loc
	s := r.sale
	cur := s.Currency
	const width = 44
	var b strings.Builder
	line := func(left, right string) {
		b.WriteString(widgets.Spread(left, right, width) + "\n")
	}
	b.WriteString(widgets.CenterIn(st.Title.Render(widgets.SellerName(r.seller)), width) + "\n")
	b.WriteString(widgets.CenterIn(st.Muted.Render(widgets.LocationName(r.place)), width) + "\n")
	if a := strings.Join(widgets.NonEmpty(r.place.Address.Line1, r.place.Address.City), ", "); a != "" {
		b.WriteString(widgets.CenterIn(st.Muted.Render(a), width) + "\n")
	}

	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	for _, l := range s.Cart.Lines {
		left := l.Description
		if l.Quantity != 1 {
			left = strconv.FormatInt(l.Quantity, 10) + " × " + left
		}
		line(widgets.Cell(left, width-14), loc.MoneyNumber(l.Amount(), cur))
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", width)) + "\n")
	if s.Cart.TaxRate > 0 {
		line(loc.T("sale.receipt.subtotal"), loc.MoneyNumber(s.Cart.Subtotal(), cur))
		line(loc.T("sale.register.tax", i18n.Args{"Rate": widgets.Percent(loc, s.Cart.TaxRate)}), loc.MoneyNumber(s.Cart.Tax(), cur))
	}
	if s.Tip != nil && *s.Tip > 0 {
		line(loc.T("sale.receipt.tip"), loc.MoneyNumber(*s.Tip, cur))
	}
	line(st.Total.Render(loc.T("sale.register.total")), st.Total.Render(loc.Money(s.Amount, cur)))
	// Who sold it, and how it was charged (the seller is merchant of
	// record of a direct charge, the platform of the others).
	// One line when both fit, else two (the seller's name is never cut).
	soldBy := st.Muted.Render(loc.T("charges.receipt.sold_by", i18n.Args{"Seller": widgets.SellerName(r.seller)}))
	via := st.Muted.Render(loc.T("charges.receipt.via", i18n.Args{"Type": widgets.ChargeVia(loc, s.Charge)}))
	if app.TextWidth(soldBy)+1+app.TextWidth(via) > width {
		line(soldBy, "")
		line("", via)
	} else {
		line(soldBy, via)
	}
	card := loc.T("sale.receipt.card")
	if s.Card.Last4 != "" {
		card = strings.ToUpper(s.Card.Brand) + " ····" + s.Card.Last4
	}
	line(st.Success.Render(loc.T("sale.receipt.approved")), card)
	at := s.DoneAt
	if at.IsZero() {
		at = s.UpdatedAt
	}
	line(st.Label.Render(loc.T("sale.receipt.time")), loc.FormatTime(at, "format.datetime_zone"))
	line(st.Label.Render(loc.T("sale.receipt.payment")), s.IntentID)
	if s.ChargeID != "" {
		line(st.Label.Render(loc.T("sale.receipt.charge")), s.ChargeID)
	}
	line(st.Label.Render(loc.T("sale.receipt.reader")), widgets.ReaderName(r.reader))
	who := r.deps.ConsoleID
	if r.sess.Operator != "" {
		who = loc.T("ui.header.who", i18n.Args{"Operator": r.sess.Operator, "Console": who})
	}
	line(st.Label.Render(loc.T("sale.receipt.served_by")), who)
	return strings.TrimSuffix(b.String(), "\n")
}

func (r *receiptScreen) Loading() bool      { return r.saving }
func (r *receiptScreen) CapturesText() bool { return false }

func (r *receiptScreen) ShortHelp() []key.Binding {
	k := r.deps.Keys
	return []key.Binding{k.NewSale, k.ReceiptLanguage, k.Help, k.Quit}
}

func (r *receiptScreen) FullHelp() [][]key.Binding {
	return [][]key.Binding{{r.deps.Keys.NewSale, r.deps.Keys.ReceiptLanguage}}
}

// MinSize is the whole slip and its notes.
func (r *receiptScreen) MinSize() (int, int) {
	box := r.deps.Styles.Box.Render(r.slip())
	return max(app.DefaultMinWidth, lipgloss.Width(box)), max(app.DefaultMinHeight, app.BodyLines(lipgloss.Height(box)+2))
}
