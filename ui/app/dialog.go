package app

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Dialog is a question the root asks above whatever screen is on top:
// quitting during a payment, an open sale found at start, dropping a cart,
// a location that looks like another seller's. While it is open its keys
// answer it and nothing else reaches the screens (ctrl+c still quits).
// Every choice closes it.
type Dialog struct {
	Title string
	// Lines are plain text, wrapped to the dialog's width ("" is an empty
	// line).
	Lines   []string
	Choices []Choice
	// Refresh rebuilds the dialog after each message (names that arrive
	// later, such as the seller list); nil: fixed.
	Refresh func() *Dialog
}

// Choice is one answer to a Dialog.
type Choice struct {
	Key key.Binding
	// Text says in the dialog what the key does ("" = its help text).
	Text string
	// Do runs when the key is pressed, after the dialog closed; nil: the
	// choice only closes it.
	Do func() tea.Cmd
}
