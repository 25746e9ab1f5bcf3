package sale

import (
	"kasse/pos"
	"kasse/ui/app"
)

// Results of the sale flow's I/O commands (cmds.go). Each carries what it
// was asked for, so a screen can drop a late answer to a question it no
// longer asks.

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
	prefs app.Remembered
	err   error
}

type prefsSavedMsg struct{ err error }
