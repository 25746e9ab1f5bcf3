package ui_test

import (
	"regexp"
	"strings"
	"testing"

	"kasse/config"
	"kasse/ui"
	"kasse/ui/internal/uitest"
)

// Many sessions share one Deps (the SSH-served console runs them in one
// process): two cashiers at two sellers, at the same time, each ring up a
// sale and send it to a reader. Each sees only its own seller, operator,
// cart and payment; the shared Deps is unchanged. Run with -race.
func TestTwoSessionsShareDepsNotState(t *testing.T) {
	d, _ := uitest.RegisterDeps()
	uitest.Defaults(&d) // a fixed clock, keys safe for concurrent use, the harness's timers
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	shared := d.Prepared()
	before := *shared

	cashiers := []struct {
		operator string
		role     config.Role
		filter   string
		seller   string
		reader   string
	}{
		{"anna", config.RoleCashier, "bäck", "Bäckerei Müller", "Front counter"},
		{"carl", "", "taco", "Taco Loco", "Taco till"},
	}
	views := make([]string, len(cashiers))
	intents := make([]string, len(cashiers))
	t.Run("cashiers", func(t *testing.T) { // returns once both parallel sessions are done
		for i, c := range cashiers {
			t.Run(c.operator, func(t *testing.T) {
				t.Parallel()
				h := uitest.Drive(t, ui.NewSession(shared, ui.SignIn{Operator: c.operator, Role: c.role}))
				h.Keys("text:"+c.filter, "enter", "enter", "enter")
				h.MustBeOn("Register")
				h.Keys("c", "k", "c")
				h.Fire(nil) // the cart goes to the reader
				h.Contains("Register · "+c.seller, "Coffee", "Croissant", c.seller+" · ", c.reader)
				h.Keys("enter")
				h.MustBeOn("Payment")
				h.Contains("Waiting for the customer's card on "+c.reader, c.seller)
				views[i] = h.View()
				intents[i] = regexp.MustCompile(`Payment  (pi_\d+)`).FindStringSubmatch(views[i])[1]
			})
		}
	})
	if t.Failed() {
		return
	}
	for i, c := range cashiers {
		who := c.operator + " @ till-1"
		if c.role != "" {
			who = c.operator + " (" + string(c.role) + ") @ till-1"
		}
		if !strings.Contains(views[i], who) {
			t.Errorf("%s's header does not name them (%q):\n%s", c.operator, who, views[i])
		}
		other := cashiers[1-i]
		for _, s := range []string{other.seller, other.reader, other.operator + " "} {
			if strings.Contains(views[i], s) {
				t.Errorf("%s's console shows %q of the other session:\n%s", c.operator, s, views[i])
			}
		}
	}
	if intents[0] == intents[1] {
		t.Errorf("both sessions show payment %s", intents[0])
	}
	after := *shared
	if after.Operator != before.Operator || after.Role != before.Role || after.Mode != before.Mode ||
		after.ConsoleID != before.ConsoleID || len(after.QuickKeys) != len(before.QuickKeys) || after.Timeout != before.Timeout {
		t.Errorf("a session changed the shared Deps: %+v → %+v", before, after)
	}
}
