package app

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"kasse/i18n"
)

// KeyMap is the console's one set of key bindings. Screens pick the
// bindings they use for their short help line; `?` shows all of them.
//
// The keys are the same in every language. A binding's help text is a
// message key of the catalog ("key.quit"), rendered in the session's
// language wherever help is drawn (Localized); a test holds every one to
// the catalog.
//
// Letters are free on the pickers (type-to-filter) and on the register
// (quick keys), so commands there use symbols, arrows and ctrl chords.
type KeyMap struct {
	// Global.
	Quit key.Binding
	Help key.Binding
	Back key.Binding

	// Lists (pickers and the test-card picker).
	Up, Down, PageUp, PageDown key.Binding
	Choose                     key.Binding
	Filter                     key.Binding // help only: type to filter
	Refresh                    key.Binding

	// Register.
	Digits     key.Binding // help only
	DeleteChar key.Binding
	Multiply   key.Binding
	AddLine    key.Binding
	QuickKeys  key.Binding // help only
	EditLine   key.Binding
	RemoveLine key.Binding
	NextField  key.Binding
	Save       key.Binding
	Tax        key.Binding
	ClearSale  key.Binding
	Charge     key.Binding

	// Live payment view.
	TestCard    key.Binding
	Retry       key.Binding
	CheckStatus key.Binding
	OtherReader key.Binding
	CancelSale  key.Binding
	Capture     key.Binding
	Yes, No     key.Binding

	// Receipt.
	NewSale         key.Binding
	ReceiptLanguage key.Binding // the receipt in the other language

	// Quitting during a payment, and an open sale offered at start.
	QuitCancel key.Binding
	QuitKeep   key.Binding
	Stay       key.Binding
	Resume     key.Binding
	CancelOpen key.Binding

	// Register: the customer's receipt email.
	ReceiptEmail key.Binding

	// Back office: from the seller list and inside the back office.
	Menu         key.Binding
	Transactions key.Binding
	EndOfDay     key.Binding
	Readers      key.Binding
	Disputes     key.Binding
	Dismiss      key.Binding // the reconciliation notice
	ReconcileLog key.Binding // what reconciliation settled, every start

	// Forms.
	Submit key.Binding
	Cycle  key.Binding // help only: ←/→ on a choice
	Fields key.Binding // help only: tab/shift+tab, ↑/↓

	// Transactions and their detail.
	Filters       key.Binding
	Refund        key.Binding
	Void          key.Binding
	CaptureIntent key.Binding

	// End of day.
	ExportCSV  key.Binding
	ExportText key.Binding

	// Readers.
	Pair        key.Binding
	Rename      key.Binding
	Metadata    key.Binding
	Deregister  key.Binding
	Move        key.Binding
	TestPayment key.Binding
	DisplayTest key.Binding
	ClearReader key.Binding
	Diagnostics key.Binding
	RunAgain    key.Binding

	// Customers (ui/customers): the register's customer, the seller
	// list's customers, and the customers' screens.
	Customer    key.Binding
	Customers   key.Binding
	NewCustomer key.Binding
	Scope       key.Binding
	SaveCard    key.Binding
	RemoveCard  key.Binding
	NoCustomer  key.Binding
	// Disputes desk.
	AllDisputes    key.Binding // open ones only, or all
	Evidence       key.Binding
	SubmitEvidence key.Binding
	AcceptDispute  key.Binding
}

// HelpOnly is a binding that exists for the help views only; it matches
// no key press. desc is a message key, like every binding's.
func HelpOnly(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys("\x00"+desc), key.WithHelp(keys, desc))
}

// DefaultKeyMap returns Kasse's bindings.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Quit: b("ctrl+c", "key.quit", "ctrl+c"),
		Help: b("?", "key.help", "?"),
		Back: b("esc", "key.back", "esc"),

		Up:       b("↑", "key.up", "up"),
		Down:     b("↓", "key.down", "down"),
		PageUp:   b("pgup", "key.page_up", "pgup"),
		PageDown: b("pgdn", "key.page_down", "pgdown"),
		Choose:   b("enter", "key.choose", "enter"),
		Filter:   HelpOnly("key.label.type", "key.filter"),
		Refresh:  b("ctrl+r", "key.reload", "ctrl+r"),

		Digits:     HelpOnly("key.label.digits", "key.amount"),
		DeleteChar: b("⌫", "key.delete_digit", "backspace"),
		Multiply:   b("*", "key.quantity", "*"),
		AddLine:    b("+", "key.add_line", "+"),
		QuickKeys:  HelpOnly("key.label.quick_keys", "key.quick_key"),
		EditLine:   b("ctrl+e", "key.edit_line", "ctrl+e"),
		RemoveLine: b("del", "key.remove_line", "delete", "ctrl+d"),
		Save:       b("enter", "key.save", "enter"),
		NextField:  b("tab", "key.next_field", "tab", "shift+tab"),
		Tax:        b("ctrl+t", "key.tax", "ctrl+t"),
		ClearSale:  b("ctrl+x", "key.clear_sale", "ctrl+x"),
		Charge:     b("enter", "key.charge", "enter"),

		TestCard:    b("t", "key.test_card", "t"),
		Retry:       b("r", "key.retry", "r"),
		CheckStatus: b("s", "key.check_status", "s"),
		OtherReader: b("o", "key.other_reader", "o"),
		CancelSale:  b("c/esc", "key.cancel_payment", "c", "esc"),
		Capture:     b("enter", "key.capture", "enter"),
		Yes:         b("y", "key.yes", "y"),
		No:          b("n", "key.no", "n", "esc"),

		NewSale:         b("enter", "key.new_sale", "enter"),
		ReceiptLanguage: b("l", "key.receipt_language", "l"),

		QuitCancel: b("c", "key.quit_cancel", "c"),
		QuitKeep:   b("k", "key.quit_keep", "k", "ctrl+c"),
		Stay:       b("esc", "key.stay", "esc"),
		Resume:     b("enter", "key.resume", "enter"),
		CancelOpen: b("c", "key.cancel_open", "c"),

		ReceiptEmail: b("@", "key.receipt_email", "@"),

		Menu:         b("f9", "key.menu", "f9"),
		Transactions: b("f2", "key.transactions", "f2"),
		EndOfDay:     b("f3", "key.end_of_day", "f3"),
		Readers:      b("f4", "key.readers", "f4"),
		Disputes:     b("f5", "key.disputes", "f5"),
		Dismiss:      b("esc", "key.dismiss", "esc"),
		ReconcileLog: b("ctrl+l", "key.reconcile_log", "ctrl+l"),

		Submit: b("enter", "key.submit", "enter"),
		Cycle:  HelpOnly("←/→", "key.cycle"),
		Fields: HelpOnly("tab/↑↓", "key.next_field"),

		Filters:       b("/", "key.filters", "/"),
		Refund:        b("r", "key.refund", "r"),
		Void:          b("v", "key.void", "v"),
		CaptureIntent: b("c", "key.capture", "c"),

		ExportCSV:  b("x", "key.export_csv", "x"),
		ExportText: b("p", "key.export_text", "p"),

		Pair:        b("p", "key.pair", "p"),
		Rename:      b("n", "key.rename", "n"),
		Metadata:    b("m", "key.metadata", "m"),
		Deregister:  b("d", "key.deregister", "d"),
		Move:        b("v", "key.move", "v"),
		TestPayment: b("t", "key.test_payment", "t"),
		DisplayTest: b("s", "key.display_test", "s"),
		ClearReader: b("c", "key.clear_reader", "c"),
		Diagnostics: b("x", "key.diagnostics", "x"),
		RunAgain:    b("enter", "key.run_again", "enter"),

		Customer:       b("ctrl+k", "key.customers.sale", "ctrl+k"),
		Customers:      b("f6", "key.customers.open", "f6"),
		NewCustomer:    b("ctrl+n", "key.customers.new", "ctrl+n"),
		Scope:          b("tab", "key.customers.scope", "tab"),
		SaveCard:       b("ctrl+s", "key.customers.save_card", "ctrl+s"),
		RemoveCard:     b("del", "key.customers.remove_card", "delete"),
		NoCustomer:     b("ctrl+o", "key.customers.none", "ctrl+o"),
		AllDisputes:    b("/", "key.all_disputes", "/"),
		Evidence:       b("e", "key.evidence", "e"),
		SubmitEvidence: b("s", "key.submit_evidence", "s"),
		AcceptDispute:  b("a", "key.accept_dispute", "a"),
	}
}

// Localized returns copies of bs whose help texts are rendered in loc:
// a description that is a message key ("key.…", as in DefaultKeyMap) is
// looked up, and so is a label that is one (the help-only bindings'
// "type", "0-9 ."; a key's own name is never translated).
func Localized(loc *i18n.Locale, bs []key.Binding) []key.Binding {
	out := make([]key.Binding, len(bs))
	for i, b := range bs {
		h := b.Help()
		b.SetHelp(HelpText(loc, h.Key), HelpText(loc, h.Desc))
		out[i] = b
	}
	return out
}

// HelpText renders a binding's label or description in loc when it is a
// message key ("key.…"); anything else is shown as it is.
func HelpText(loc *i18n.Locale, s string) string {
	if strings.HasPrefix(s, "key.") {
		return loc.T(s)
	}
	return s
}

// GlobalHelp is appended to every screen's full help.
func (k KeyMap) GlobalHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Quit}
}

// AreaHelp are the back-office keys (seller list and back office).
func (k KeyMap) AreaHelp() []key.Binding {
	return []key.Binding{k.Transactions, k.EndOfDay, k.Readers, k.Disputes, k.Menu}
}

// FormHelp are the keys every form answers to.
func (k KeyMap) FormHelp() []key.Binding {
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}
