package ui_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
)

// longErr is an error far wider than 80 columns whose end says what to do.
const longErr = "permission denied opening /var/lib/kasse/data/journal-sandbox.db: the data directory belongs to another user; fix its owner or choose another --data-dir (ask your administrator)"

// wholly fails unless the view holds text whole: wrapped onto any number
// of lines, but never cut off (no ellipsis instead of its end).
func wholly(t *testing.T, h *uitest.Harness, text string) {
	t.Helper()
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	v := h.View()
	if !strings.Contains(squash(v), squash(text)) {
		t.Errorf("the view cuts off %q:\n%s", text, v)
	}
	for i, l := range strings.Split(v, "\n") {
		if w := len([]rune(l)); w > h.Width {
			t.Errorf("line %d is %d wide at %d columns: %q", i+1, w, h.Width, l)
		}
	}
}

func TestErrorsAreWrappedNeverCutOff(t *testing.T) {
	size := tea.WindowSizeMsg{Width: 80, Height: 24}
	t.Run("seller list that could not load", func(t *testing.T) {
		d, s, _, _ := uitest.DemoDeps()
		s.Err = errors.New(longErr)
		h := uitest.Start(t, d)
		h.Send(size)
		h.Run(h.M.Init())
		wholly(t, h, "Could not load the sellers: "+longErr)
	})
	t.Run("status line", func(t *testing.T) {
		d, _, _, p := uitest.DemoDeps()
		p.SaveErr = errors.New(longErr)
		h := uitest.Start(t, d)
		h.Send(size)
		h.Run(h.M.Init())
		h.Keys("text:bäck", "enter")
		wholly(t, h, "Could not remember this choice: "+longErr)
		h.Golden("status_error_80")
	})
	t.Run("transactions that could not be searched", func(t *testing.T) {
		o := uitest.OfficeDeps()
		o.Rep.SearchErr = errors.New(longErr)
		h := uitest.OpenArea(t, o, "f2", "bea", "2468")
		h.Send(size)
		wholly(t, h, "Search failed: "+longErr)
		h.Golden("transactions_error_80")
	})
	t.Run("transactions of a seller that could not be listed", func(t *testing.T) {
		o := uitest.OfficeDeps()
		o.Rep.Partial = []error{errors.New("Blumen Schmidt (acct_1Blumen): list intents: " + longErr)}
		h := uitest.OpenArea(t, o, "f2", "bea", "2468")
		h.Send(size)
		wholly(t, h, "Incomplete: Blumen Schmidt (acct_1Blumen): list intents: "+longErr)
	})
	t.Run("a test card that could not be presented", func(t *testing.T) {
		f := uitest.Charging(t, func(d *ui.Deps) {})
		f.Pres.Err = &pos.Error{Kind: pos.KindInvalidRequest, Message: longErr}
		f.H.Send(size)
		f.H.Keys("t", "enter")
		wholly(t, f.H, "Presenting Visa · approved failed: invalid request: "+longErr)
		f.H.Golden("payment_present_error_80")
	})
	t.Run("a payment that could not be read", func(t *testing.T) {
		o := uitest.OfficeDeps()
		gone := "pi_" + strings.Repeat("9", 70) // not in the fake: read fails with its long id
		o.Rep.Rows[0].IntentID = gone
		h := uitest.OpenArea(t, o, "f2", "bea", "2468")
		h.Send(size)
		h.Keys("enter")
		wholly(t, h, "Could not read the payment: not found: No such payment_intent: '"+gone+"'")
	})
}
