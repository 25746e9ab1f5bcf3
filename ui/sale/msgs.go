package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// Results of I/O commands. Each carries what it was asked for, so a screen
// can drop a late answer to a question it no longer asks.

type sellersLoadedMsg struct {
	sellers []pos.Seller
	err     error
}

type locationsLoadedMsg struct {
	seller    pos.Account
	locations []pos.Location
	err       error // nothing could be listed
	partial   error // one of the two lists failed
}

type readersLoadedMsg struct {
	locationID string
	readers    []pos.Reader
	err        error
}

type prefsLoadedMsg struct {
	prefs Remembered
	err   error
}

type prefsSavedMsg struct{ err error }

// Navigation, emitted by screens and handled by the root.

// sellerChosenMsg and locationChosenMsg are confirmed once the cashier
// answered the question they raised (dropping the cart; another seller's
// location).
type sellerChosenMsg struct {
	seller    pos.Seller
	confirmed bool
}

type locationChosenMsg struct {
	location  pos.Location
	confirmed bool
}

type readerChosenMsg struct{ reader pos.Reader }

// backMsg asks the root for the previous screen.
type backMsg struct{}

// Chrome.

// statusMsg shows a transient message in the status line.
type statusMsg struct {
	text string
	tone tone
}

type clearStatusMsg struct{ seq int }

type animTickMsg struct{}

// say shows text in the status line.
func say(t tone, text string) tea.Cmd { return emit(statusMsg{text: text, tone: t}) }
