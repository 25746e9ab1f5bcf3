package ui

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
}

// helpOnly is a binding that exists for the help views only; it matches
// no key press.
func helpOnly(keys, desc string) key.Binding {
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
		Filter:   helpOnly("type", "filter"),
		Refresh:  b("ctrl+r", "reload", "ctrl+r"),

		Digits:     helpOnly("0-9", "amount"),
		DeleteChar: b("⌫", "delete digit", "backspace"),
		Multiply:   b("*", "quantity ×", "*"),
		AddLine:    b("+", "add", "+"),
		QuickKeys:  helpOnly("a-z/alt+key", "quick key"),
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
	}
}

// globalHelp is appended to every screen's full help.
func (k KeyMap) globalHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Quit}
}
