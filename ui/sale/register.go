package sale

import (
	"regexp"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// displayDebounce is how long the cart must stay unchanged before it is
// mirrored on the reader.
const displayDebounce = 400 * time.Millisecond

// registerScreen rings up a sale: digits type an amount in the seller's
// currency, + adds it as a line, quick keys add presets, lines can be
// edited and removed, tax toggled. The cart is mirrored on the reader
// (debounced) through a draft pos.Sale, and Enter charges it.
type registerScreen struct {
	flow   *Flow
	deps   *app.Deps
	sess   *app.Session
	seller pos.Seller
	loc    pos.Location
	reader pos.Reader

	sale  pos.Sale // Draft; its id keys the display requests and the charge
	cart  pos.Cart
	entry pos.DigitEntry
	qty   int64 // pending quantity from "*" (0: none)
	taxOn bool
	quick []quickItem

	cursor     int // selected line; -1: none
	edit       *lineEditor
	email      string           // the customer's receipt email ("" = none)
	emailEdit  *widgets.Field   // open while the email is being typed
	customer   registerCustomer // the sale's customer (registercustomer.go)
	problem    string
	clearArmed bool
	broken     error // the sale could not be set up (bad currency)

	displaySeq  int       // bumped on every cart change
	displayedAt time.Time // last successful mirror
	displayErr  string
	// charged: the draft was handed to the live view (same sale id); its
	// results are the live view's until the next draft.
	charged bool
}

// displayTickMsg fires displayDebounce after cart change seq.
type displayTickMsg struct {
	saleID string
	seq    int
}

func newRegisterScreen(f *Flow, seller pos.Seller, loc pos.Location, rd pos.Reader) *registerScreen {
	s := &registerScreen{flow: f, deps: f.deps, sess: f.sess, seller: seller, cursor: -1, taxOn: f.deps.TaxRate > 0,
		entry: pos.NewDigitEntry(seller.Currency).WithSeparator(f.sess.Loc.DecimalSeparator()),
		quick: resolveQuickKeys(f.deps.QuickKeys, seller.Currency)}
	cart, err := pos.NewCart(seller.Currency)
	if err != nil {
		s.broken = err
		return s
	}
	s.cart = s.withTax(cart)
	s.setPlace(loc, rd)
	return s
}

var saleIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// newSaleID is "<console>-<yyyymmddThhmmss>-<token>", within pos's 64
// characters of [A-Za-z0-9_-].
func newSaleID(d *app.Deps) string {
	console := saleIDUnsafe.ReplaceAllString(d.ConsoleID, "_")
	if len(console) > 24 {
		console = console[:24]
	}
	tok := saleIDUnsafe.ReplaceAllString(d.NewKey(), "")
	if len(tok) > 12 {
		tok = tok[:12]
	}
	return console + "-" + d.Now().UTC().Format("20060102T150405") + "-" + tok
}

// Init: the register's first draft was set up when it was made.
func (s *registerScreen) Init() tea.Cmd { return nil }

// setPlace starts a fresh draft sale for the (new) location and reader,
// keeping the cart, and mirrors the cart on that reader.
func (s *registerScreen) setPlace(loc pos.Location, rd pos.Reader) tea.Cmd {
	s.loc, s.reader = loc, rd
	d := s.deps
	sale, err := pos.NewSale(pos.SaleConfig{
		ID: newSaleID(s.deps), Seller: s.seller.ID, ReaderOwner: rd.Owner, ReaderID: rd.ID,
		LocationID: loc.ID, Currency: s.seller.Currency, CaptureMethod: d.CaptureMethod, ReceiptEmail: s.email,
		Description: widgets.LocationName(loc) + " · " + d.ConsoleID, Process: d.Process, IdleTimeout: d.IdleTimeout,
		ConsoleID: d.ConsoleID, Operator: s.sess.Operator, Origin: pos.OriginConsole, Charges: s.seller.Charges, Customer: s.customer.sale,
	}, d.Now())
	if err != nil {
		s.broken = err
		return nil
	}
	s.sale, s.broken, s.charged = sale, nil, false
	s.displayedAt, s.displayErr = time.Time{}, ""
	return s.cartChanged()
}

// drop gives the cart up (another seller was chosen): the draft is
// canceled, which takes the cart off the reader if it still shows it.
func (s *registerScreen) drop() tea.Cmd {
	if s.broken != nil || s.sale.State != pos.SaleDraft {
		return nil
	}
	s.displaySeq++ // a pending mirror must not show it again
	var effs []pos.Effect
	s.sale, effs = pos.Step(s.sale, pos.CancelRequested{At: s.deps.Now()})
	return runEffectsCmd(s.deps.Runner, s.sale.ID, effs, s.deps.Timeout)
}

// reset empties the cart for the next customer.
func (s *registerScreen) reset(keep *pos.Cart) tea.Cmd {
	s.cart = s.withTax(pos.Cart{Currency: s.cart.Currency})
	if keep != nil {
		s.cart = *keep
	} else {
		s.email = "" // the next customer
		s.customer = registerCustomer{}
	}
	s.emailEdit = nil
	s.entry, s.qty, s.cursor, s.edit, s.problem, s.clearArmed = s.entry.Clear(), 0, -1, nil, "", false
	drop := s.drop() // a cleared draft's cart comes off the reader (a charged sale's is the reader's own)
	return tea.Batch(drop, s.setPlace(s.loc, s.reader))
}

func (s *registerScreen) withTax(c pos.Cart) pos.Cart {
	bp := int64(0)
	if s.taxOn {
		bp = s.deps.TaxRate
	}
	n, err := c.WithTaxRate(bp)
	if err != nil {
		s.problem = widgets.CartProblem(s.sess.Loc, err, c.Currency)
		return c
	}
	return n
}

// cartChanged schedules mirroring the cart on the reader; only the newest
// change fires.
func (s *registerScreen) cartChanged() tea.Cmd {
	s.displaySeq++
	if s.broken != nil {
		return nil
	}
	if len(s.cart.Lines) == 0 {
		if s.sale.State != pos.SaleDraft || s.sale.Displays == 0 {
			return nil
		}
		// Emptied after it was shown: the reader is cleared now, not left
		// showing the last customer's cart.
		var effs []pos.Effect
		s.sale, effs = pos.Step(s.sale, pos.CartChanged{At: s.deps.Now(), Cart: s.cart})
		return runEffectsCmd(s.deps.Runner, s.sale.ID, effs, s.deps.Timeout)
	}
	return s.deps.After(displayDebounce, displayTickMsg{saleID: s.sale.ID, seq: s.displaySeq})
}

func (s *registerScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case displayTickMsg:
		if msg.saleID != s.sale.ID || msg.seq != s.displaySeq || s.sale.State != pos.SaleDraft {
			return nil
		}
		var effs []pos.Effect
		s.sale, effs = pos.Step(s.sale, pos.CartChanged{At: s.deps.Now(), Cart: s.cart})
		return runEffectsCmd(s.deps.Runner, s.sale.ID, effs, s.deps.Timeout)
	case app.CustomerChosenMsg:
		return s.customerChosen(msg)
	case saleResultMsg:
		if msg.saleID != s.sale.ID || s.charged {
			return nil
		}
		if msg.err != nil {
			s.displayErr = widgets.ErrText(s.sess.Loc, msg.err)
		} else {
			s.displayErr, s.displayedAt = "", s.deps.Now()
		}
	case tea.KeyMsg:
		return s.key(msg)
	}
	return nil
}

func (s *registerScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := s.deps.Keys
	if s.emailEdit != nil {
		return s.emailKey(msg)
	}
	if s.edit != nil {
		s.problem = ""
		switch s.edit.update(k, msg) {
		case editSave:
			return s.saveEdit()
		case editCancel:
			s.edit, s.problem = nil, ""
		}
		return nil
	}
	if !key.Matches(msg, k.ClearSale) {
		s.clearArmed = false
	}
	s.problem = ""
	switch {
	case s.broken != nil:
		if key.Matches(msg, k.Back) {
			return s.back()
		}
	case key.Matches(msg, k.Charge):
		return s.charge()
	case isEntryKey(msg):
		s.entry = s.entry.Press(msg.Runes[0])
	case key.Matches(msg, k.DeleteChar):
		if s.entry.Empty() {
			s.qty = 0
		}
		s.entry = s.entry.Backspace()
	case key.Matches(msg, k.Multiply):
		s.takeQuantity()
	case key.Matches(msg, k.AddLine):
		return s.addEntry()
	case key.Matches(msg, k.Up):
		s.moveCursor(-1)
	case key.Matches(msg, k.Down):
		s.moveCursor(1)
	case key.Matches(msg, k.EditLine):
		if i := s.target(); i >= 0 {
			s.edit = newLineEditor(i, s.cart.Lines[i], s.cart.Currency, s.sess.Loc.DecimalSeparator())
		}
	case key.Matches(msg, k.RemoveLine):
		return s.removeLine()
	case key.Matches(msg, k.Tax):
		return s.toggleTax()
	case key.Matches(msg, k.ClearSale):
		return s.clearSale()
	case key.Matches(msg, k.Back):
		return s.escape()
	case key.Matches(msg, k.ReceiptEmail):
		s.openEmail()
	case key.Matches(msg, k.Customer):
		return s.chooseCustomer()
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && !msg.Paste:
		return s.quickKey(string(msg.Runes[0]), msg.Alt)
	}
	return nil
}

func isDigitKey(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes && !msg.Alt && len(msg.Runes) == 1 && msg.Runes[0] >= '0' && msg.Runes[0] <= '9'
}

// isEntryKey is a key the register's amount takes: a digit or a decimal
// separator ('.' or ','; the entry decides which it honours). Neither is
// ever a quick key.
func isEntryKey(msg tea.KeyMsg) bool {
	return isDigitKey(msg) || msg.Type == tea.KeyRunes && !msg.Alt && len(msg.Runes) == 1 &&
		(msg.Runes[0] == '.' || msg.Runes[0] == ',')
}

// charge adds a typed amount as a last line, then starts the sale.
func (s *registerScreen) charge() tea.Cmd {
	if !s.entry.Empty() {
		s.addEntry()
		if s.problem != "" {
			return nil
		}
	}
	if len(s.cart.Lines) == 0 {
		s.problem = s.sess.T("sale.register.nothing_to_charge")
		return nil
	}
	if err := s.cart.ValidateForCharge(); err != nil {
		s.problem = widgets.CartProblem(s.sess.Loc, err, s.cart.Currency)
		return nil
	}
	if problem := s.chargeProblem(); problem != "" {
		s.problem = problem
		return nil
	}
	if refused := s.flow.hold(s.reader); refused != nil { // another counter took the reader meanwhile
		return refused
	}
	now := s.deps.Now()
	sale, _ := pos.Step(s.sale, pos.CartChanged{At: now, Cart: s.cart}) // display: the charge replaces it
	sale, effs := pos.Step(sale, pos.ChargeRequested{At: now})
	if sale.State == pos.SaleDraft {
		s.problem = widgets.Notice(s.sess.Loc, sale.Notice)
		s.sale = sale
		return s.cartChanged()
	}
	s.displaySeq++ // drop a pending mirror
	s.charged = true
	return s.flow.charge(sale, effs)
}

// chargeProblem refuses, before any request, a sale the seller's charge
// setup cannot make: a capability its charge type needs is not active, a
// platform charge on the seller's own reader, a fee rule that cannot
// price the cart.
func (s *registerScreen) chargeProblem() string {
	loc, cs := s.sess.Loc, s.seller.Charges
	if why := widgets.SellerBlock(loc, s.seller); why != "" {
		return s.sess.T("sale.sellers.blocked", i18n.Args{"Seller": widgets.SellerName(s.seller), "Reason": why})
	}
	if cs.Type.OnPlatform() && !s.reader.Owner.IsPlatform() {
		return loc.T("charges.register.platform_reader", i18n.Args{"Type": widgets.ChargeTypeName(loc, cs.Type)})
	}
	if _, err := cs.Fee.Fee(s.cart.Total(), s.cart.Currency); err != nil {
		return widgets.ChargeProblem(loc, err, s.cart.Currency)
	}
	return ""
}

// back returns to the reader picker; the flow keeps the register, so
// choosing a reader again finds the cart as it was.
func (s *registerScreen) back() tea.Cmd {
	s.sess.Reader = nil
	return app.Pop()
}

func (s *registerScreen) Title() string { return s.sess.T("sale.register.title") }

func (s *registerScreen) Loading() bool      { return false }
func (s *registerScreen) CapturesText() bool { return s.edit != nil || s.emailEdit != nil }

func (s *registerScreen) ShortHelp() []key.Binding {
	k := s.deps.Keys
	switch {
	case s.emailEdit != nil:
		return []key.Binding{k.Save, k.Back}
	case s.edit != nil:
		return []key.Binding{k.NextField, k.Save, k.Back}
	}
	return []key.Binding{k.Digits, k.AddLine, k.QuickKeys, k.Charge, k.EditLine, k.RemoveLine, k.Help}
}

func (s *registerScreen) FullHelp() [][]key.Binding {
	k := s.deps.Keys
	last := []key.Binding{k.Tax, k.ClearSale, k.ReceiptEmail, k.Charge}
	if s.deps.Customers != nil {
		last = []key.Binding{k.Tax, k.ClearSale, k.ReceiptEmail, k.Customer, k.Charge}
	}
	return [][]key.Binding{
		{k.Digits, k.DeleteChar, k.Multiply, k.AddLine, k.QuickKeys},
		{k.Up, k.Down, k.EditLine, k.RemoveLine, k.NextField},
		last,
	}
}

func (s *registerScreen) MinSize() (int, int) { return app.DefaultMinSize() }
