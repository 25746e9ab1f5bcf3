package widgets

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/ui/app"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// Take hands the PIN over once: the field is empty after it, whatever
// the check then finds.
func TestApprovalTakeClearsThePIN(t *testing.T) {
	en := i18n.New(i18n.English)
	a := NewApproval(en, "Operator", "", " bea ")
	a.PIN.Value = "4711"
	op, pin := a.Take()
	if op != "bea" || pin != "4711" || a.PIN.Value != "" {
		t.Fatalf("Take = %q, %q; PIN field %q", op, pin, a.PIN.Value)
	}
	if f, p := a.Missing(en, op, pin); f != nil || p != "" {
		t.Errorf("both there: Missing = %v, %q", f, p)
	}
	if f, p := a.Missing(en, "", ""); f != a.Op || p != en.T("office.pin.type_operator") {
		t.Errorf("no operator: Missing = %v, %q", f == a.Op, p)
	}
	if f, p := a.Missing(en, "bea", ""); f != a.PIN || p != en.T("office.pin.type_pin") {
		t.Errorf("no PIN: Missing = %v, %q", f == a.PIN, p)
	}
}

// A form screen's keys: typing edits and clears the problem, nothing
// but Back works while the request runs, Enter submits, and Back drops a
// typed PIN before it leaves.
func TestFormKey(t *testing.T) {
	k := app.DefaultKeyMap()
	a := NewApproval(i18n.New(i18n.English), "Operator", "", "bea")
	e := &FormState{Form: NewForm(a.Op, a.PIN), Problem: "type a PIN"}
	e.Form.FocusOn(a.PIN)
	submitted := 0
	submit := func() tea.Cmd { submitted++; return nil }

	e.FormKey(k, runes("12"), submit)
	if a.PIN.Value != "12" || e.Problem != "" {
		t.Fatalf("typed: PIN %q, problem %q", a.PIN.Value, e.Problem)
	}
	e.Busy = true
	e.FormKey(k, runes("3"), submit)
	e.FormKey(k, tea.KeyMsg{Type: tea.KeyEnter}, submit)
	if a.PIN.Value != "12" || submitted != 0 {
		t.Fatalf("busy: PIN %q, submitted %d", a.PIN.Value, submitted)
	}
	e.Busy = false
	e.FormKey(k, tea.KeyMsg{Type: tea.KeyEnter}, submit)
	if submitted != 1 {
		t.Fatalf("enter: submitted %d", submitted)
	}
	if cmd := e.FormKey(k, tea.KeyMsg{Type: tea.KeyEsc}, submit); cmd == nil || a.PIN.Value != "" || a.Op.Value != "bea" {
		t.Fatalf("esc: cmd %v, PIN %q, operator %q", cmd != nil, a.PIN.Value, a.Op.Value)
	}
}

// The list keys move within the list and say which keys they took; the
// scroll offset moves only as far as it must to show the cursor.
func TestMoveCursorAndScroll(t *testing.T) {
	k := app.DefaultKeyMap()
	c := 0
	for _, step := range []struct {
		key  tea.KeyType
		want int
	}{{tea.KeyUp, 0}, {tea.KeyDown, 1}, {tea.KeyPgDown, 11}, {tea.KeyPgDown, 14}, {tea.KeyPgUp, 4}, {tea.KeyUp, 3}} {
		if !MoveCursor(k, tea.KeyMsg{Type: step.key}, &c, 15) || c != step.want {
			t.Fatalf("%v: cursor %d, want %d", step.key, c, step.want)
		}
	}
	if MoveCursor(k, runes("x"), &c, 15) || c != 3 {
		t.Errorf("x moved the cursor to %d", c)
	}
	if got := []int{ScrollTo(3, 5, 4), ScrollTo(6, 5, 4), ScrollTo(9, 5, 4)}; got[0] != 3 || got[1] != 5 || got[2] != 6 {
		t.Errorf("ScrollTo = %v, want [3 5 6]", got)
	}
}
