package app

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the console's one set of key bindings. Screens pick the
// bindings they use for their short help line; `?` shows all of them.
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
	NewSale key.Binding

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
}

// HelpOnly is a binding that exists for the help views only; it matches
// no key press.
func HelpOnly(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys("\x00"+desc), key.WithHelp(keys, desc))
}

// DefaultKeyMap returns Kasse's bindings.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Quit: b("ctrl+c", "quit", "ctrl+c"),
		Help: b("?", "all keys", "?"),
		Back: b("esc", "back", "esc"),

		Up:       b("↑", "up", "up"),
		Down:     b("↓", "down", "down"),
		PageUp:   b("pgup", "page up", "pgup"),
		PageDown: b("pgdn", "page down", "pgdown"),
		Choose:   b("enter", "choose", "enter"),
		Filter:   HelpOnly("type", "filter"),
		Refresh:  b("ctrl+r", "reload", "ctrl+r"),

		Digits:     HelpOnly("0-9 .", "amount"),
		DeleteChar: b("⌫", "delete digit", "backspace"),
		Multiply:   b("*", "quantity ×", "*"),
		AddLine:    b("+", "add", "+"),
		QuickKeys:  HelpOnly("a-z/alt+key", "quick key"),
		EditLine:   b("ctrl+e", "edit", "ctrl+e"),
		RemoveLine: b("del", "remove", "delete", "ctrl+d"),
		Save:       b("enter", "save", "enter"),
		NextField:  b("tab", "next field", "tab", "shift+tab"),
		Tax:        b("ctrl+t", "tax on/off", "ctrl+t"),
		ClearSale:  b("ctrl+x", "clear sale", "ctrl+x"),
		Charge:     b("enter", "charge", "enter"),

		TestCard:    b("t", "test card", "t"),
		Retry:       b("r", "retry", "r"),
		CheckStatus: b("s", "check status", "s"),
		OtherReader: b("o", "other reader", "o"),
		CancelSale:  b("c/esc", "cancel payment", "c", "esc"),
		Capture:     b("enter", "capture", "enter"),
		Yes:         b("y", "yes", "y"),
		No:          b("n", "no", "n", "esc"),

		NewSale: b("enter", "new sale", "enter"),

		QuitCancel: b("c", "cancel it, then quit", "c"),
		QuitKeep:   b("k", "keep it open, quit", "k", "ctrl+c"),
		Stay:       b("esc", "stay", "esc"),
		Resume:     b("enter", "resume it", "enter"),
		CancelOpen: b("c", "cancel it", "c"),

		ReceiptEmail: b("@", "receipt email", "@"),

		Menu:         b("f9", "back office", "f9"),
		Transactions: b("f2", "transactions", "f2"),
		EndOfDay:     b("f3", "end of day", "f3"),
		Readers:      b("f4", "readers", "f4"),
		Dismiss:      b("esc", "dismiss", "esc"),
		ReconcileLog: b("ctrl+l", "reconcile log", "ctrl+l"),

		Submit: b("enter", "submit", "enter"),
		Cycle:  HelpOnly("←/→", "change choice"),
		Fields: HelpOnly("tab/↑↓", "next field"),

		Filters:       b("/", "filters", "/"),
		Refund:        b("r", "refund", "r"),
		Void:          b("v", "void", "v"),
		CaptureIntent: b("c", "capture", "c"),

		ExportCSV:  b("x", "export CSV", "x"),
		ExportText: b("p", "export text", "p"),

		Pair:        b("p", "pair reader", "p"),
		Rename:      b("n", "rename", "n"),
		Metadata:    b("m", "metadata", "m"),
		Deregister:  b("d", "deregister", "d"),
		Move:        b("v", "move?", "v"),
		TestPayment: b("t", "test payment", "t"),
		DisplayTest: b("s", "display test", "s"),
		ClearReader: b("c", "clear", "c"),
		Diagnostics: b("x", "diagnostics", "x"),
		RunAgain:    b("enter", "run again", "enter"),
	}
}

// GlobalHelp is appended to every screen's full help.
func (k KeyMap) GlobalHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Quit}
}

// AreaHelp are the back-office keys (seller list and back office).
func (k KeyMap) AreaHelp() []key.Binding {
	return []key.Binding{k.Transactions, k.EndOfDay, k.Readers, k.Menu}
}

// FormHelp are the keys every form answers to.
func (k KeyMap) FormHelp() []key.Binding {
	return []key.Binding{k.Fields, k.Cycle, k.Submit, k.Back}
}
