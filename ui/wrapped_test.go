package ui

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// longErr is an error far wider than 80 columns whose end says what to do.
const longErr = "permission denied opening /var/lib/kasse/data/journal-sandbox.db: the data directory belongs to another user; fix its owner or choose another --data-dir (ask your administrator)"

// wholly fails unless the view holds text whole: wrapped onto any number
// of lines, but never cut off (no ellipsis instead of its end).
func wholly(t *testing.T, h *harness, text string) {
	t.Helper()
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	v := h.view()
	if !strings.Contains(squash(v), squash(text)) {
		t.Errorf("the view cuts off %q:\n%s", text, v)
	}
	for i, l := range strings.Split(v, "\n") {
		if w := len([]rune(l)); w > h.m.width {
			t.Errorf("line %d is %d wide at %d columns: %q", i+1, w, h.m.width, l)
		}
	}
}

func TestErrorsAreWrappedNeverCutOff(t *testing.T) {
	size := tea.WindowSizeMsg{Width: 80, Height: 24}
	t.Run("seller list that could not load", func(t *testing.T) {
		d, s, _, _ := demoDeps()
		s.err = errors.New(longErr)
		h := startHarness(t, d)
		h.send(size)
		h.run(h.m.Init())
		wholly(t, h, "Could not load the sellers: "+longErr)
	})
	t.Run("status line", func(t *testing.T) {
		d, _, _, p := demoDeps()
		p.saveErr = errors.New(longErr)
		h := startHarness(t, d)
		h.send(size)
		h.run(h.m.Init())
		h.keys("text:bäck", "enter")
		wholly(t, h, "Could not remember this choice: "+longErr)
		h.golden("status_error_80")
	})
	t.Run("transactions that could not be searched", func(t *testing.T) {
		o := officeDeps()
		o.rep.searchEr = errors.New(longErr)
		h := openArea(t, o, "f2", "bea", "2468")
		h.send(size)
		wholly(t, h, "Search failed: "+longErr)
		h.golden("transactions_error_80")
	})
	t.Run("transactions of a seller that could not be listed", func(t *testing.T) {
		o := officeDeps()
		o.rep.partial = []error{errors.New("Blumen Schmidt (acct_1Blumen): list intents: " + longErr)}
		h := openArea(t, o, "f2", "bea", "2468")
		h.send(size)
		wholly(t, h, "Incomplete: Blumen Schmidt (acct_1Blumen): list intents: "+longErr)
	})
	t.Run("a test card that could not be presented", func(t *testing.T) {
		f := charging(t, func(d *Deps) {})
		f.pres.err = &pos.Error{Kind: pos.KindInvalidRequest, Message: longErr}
		f.h.send(size)
		f.h.keys("t", "enter")
		wholly(t, f.h, "Presenting Visa · approved failed: invalid request: "+longErr)
		f.h.golden("payment_present_error_80")
	})
	t.Run("a payment that could not be read", func(t *testing.T) {
		o := officeDeps()
		gone := "pi_" + strings.Repeat("9", 70) // not in the fake: read fails with its long id
		o.rep.rows[0].IntentID = gone
		h := openArea(t, o, "f2", "bea", "2468")
		h.send(size)
		h.keys("enter")
		wholly(t, h, "Could not read the payment: not found: No such payment_intent: '"+gone+"'")
	})
}
