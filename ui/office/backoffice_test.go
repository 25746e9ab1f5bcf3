package office_test

import (
	"errors"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/config"
	"kasse/ui"
	"kasse/ui/app"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

func TestMenuListsAreasAndOpensThePINPrompt(t *testing.T) {
	o := uitest.OfficeDeps()
	h := uitest.New(t, o.D)
	h.Keys("f9")
	h.Contains("Back office", "Signed in: anna (cashier) @ till-1", "Transactions", "supervisor PIN", "technician PIN")
	h.Golden("menu")
	h.Keys("down", "down", "enter")
	p, ok := h.Top().(*office.PINScreen)
	if !ok || p.AreaAction() != app.AreaReaders {
		t.Fatalf("enter on Readers did not ask for a PIN:\n%s", h.View())
	}
	// A cashier is signed in: the technician types their own name.
	if p.OperatorField().Value != "" || p.Form.Current() != p.OperatorField() {
		t.Errorf("operator field = %q, focus on operator %v", p.OperatorField().Value, p.Form.Current() == p.OperatorField())
	}
	h.Keys("text:tom", "tab", "text:1357", "enter")
	if !h.On("Readers") {
		t.Fatalf("the right PIN did not open Readers:\n%s", h.View())
	}
	h.Contains("Readers · opened by tom")
	h.Keys("esc") // back to the menu
	if _, ok := h.Top().(*office.MenuScreen); !ok {
		t.Fatalf("esc did not return to the menu")
	}
	h.Keys("esc")
	if len(h.M.Screens()) != 1 {
		t.Fatalf("esc did not leave the back office (%d screens)", len(h.M.Screens()))
	}
	h.Lacks("opened by")
	h.Contains("Choose a seller", "no seller")
}

func TestPINPromptPrefillsASupervisorSignedIn(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Operator, o.D.Role = "bea", string(config.RoleSupervisor)
	h := uitest.New(t, o.D)
	h.Keys("f2")
	p := h.Top().(*office.PINScreen)
	if p.OperatorField().Value != "bea" || p.PINField() != p.Form.Current() {
		t.Fatalf("operator %q, focus on PIN %v", p.OperatorField().Value, p.PINField() == p.Form.Current())
	}
	h.Golden("pin_prompt")
	h.Keys("text:2468", "enter")
	if _, ok := h.Top().(*office.TxScreen); !ok {
		t.Fatalf("not in Transactions:\n%s", h.View())
	}
}

func TestWrongPINCountsDownThenLocks(t *testing.T) {
	o := uitest.OfficeDeps()
	h := uitest.New(t, o.D)
	h.Keys("f2", "text:bea", "tab", "text:9999", "enter")
	p := h.Top().(*office.PINScreen)
	h.Contains("wrong PIN, 2 tries left")
	if p.PINField().Value != "" {
		t.Fatalf("the PIN stayed in the model after the check: %q", p.PINField().Value)
	}
	h.Lacks("9999")
	h.Keys("text:8888", "enter")
	h.Contains("wrong PIN, 1 try left before a lockout")
	h.Keys("text:7777", "enter")
	h.Contains("locked out until 15:24")
	h.Golden("pin_locked")
	// Even the right PIN is refused while locked.
	h.Keys("text:2468", "enter")
	h.Contains("locked out until 15:24")
	if _, ok := h.Top().(*office.PINScreen); !ok {
		t.Fatal("a locked operator got in")
	}
	if got := len(o.Guard.Calls()); got != 4 {
		t.Errorf("guard checked %d times, want 4: %v", got, o.Guard.Calls())
	}
}

func TestPINPromptRefusesTheWrongRoleAndEmptyFields(t *testing.T) {
	o := uitest.OfficeDeps()
	h := uitest.New(t, o.D)
	h.Keys("f2", "enter")
	h.Contains("Type the operator's name first.")
	h.Keys("text:tom", "enter")
	h.Contains("Type the PIN.")
	h.Keys("text:1357", "enter")
	h.Contains("tom is a tech; this needs a supervisor")
	if len(o.Guard.Calls()) != 1 {
		t.Errorf("guard calls = %v, want one (empty fields are refused locally)", o.Guard.Calls())
	}
}

func TestPINCheckFailureIsNotAPINError(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Guard.Err = errors.New("journal: database is locked")
	h := uitest.OpenArea(t, o, "f2", "bea", "2468")
	h.Contains("The PIN could not be checked: journal: database is locked")
}

func TestBackOfficeOpensFromTheSellerListOnly(t *testing.T) {
	o := uitest.OfficeDeps()
	h := uitest.AtRegister(t, o.D, "bäck")
	h.Keys("f2")
	if !h.On("Register") {
		t.Fatal("f2 opened the back office over the register")
	}
	h.Contains("The back office opens from the seller list")
}

func TestMissingServicesAreRefused(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Fleet = nil
	h := uitest.New(t, o.D)
	h.Keys("f4")
	if len(h.M.Screens()) != 1 {
		t.Fatal("Readers opened without a Fleet")
	}
	h.Contains("Reader management is not set up on this console.")
	if err := (ui.Deps{Sellers: o.D.Sellers, Terminal: o.D.Terminal, Payments: o.D.Payments, Runner: &checkout.Runner{},
		Mode: config.ModeSandbox, Reports: o.Rep}).Validate(); err == nil || !strings.Contains(err.Error(), "needs a Guard") {
		t.Errorf("Validate without a Guard = %v", err)
	}
}

func TestHeaderShowsTheRole(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Role = string(config.RoleCashier)
	h := uitest.New(t, o.D)
	h.Contains("anna (cashier) @ till-1")
	if err := (ui.Deps{Role: "boss"}).Validate(); err == nil || !strings.Contains(err.Error(), `role "boss"`) {
		t.Errorf("Validate(role boss) = %v", err)
	}
}

// TestBackOfficeScreensHaveHelp walks every back-office screen: each has
// a short help line, and `?` shows all keys where it is not typed text.
func TestBackOfficeScreensHaveHelp(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inTransactions(t, o)
	lastLine := func() string {
		ls := strings.Split(h.View(), "\n")
		return ls[len(ls)-1]
	}
	check := func(stage string, fullHelp ...string) {
		t.Helper()
		if l := strings.TrimSpace(lastLine()); l == "" || !strings.Contains(l, "esc") && !strings.Contains(l, "?") {
			t.Errorf("%s: help line %q", stage, l)
		}
		if len(fullHelp) > 0 {
			h.Keys("?")
			h.Contains(fullHelp...)
			h.Keys("esc")
		}
	}
	check("transactions", "Keys — Transactions", "filters", "transactions", "readers")
	openTx(t, h, "pi_paid")
	check("detail", "Keys — Payment pi_paid", "refund", "void", "capture")
	h.Keys("r")
	check("refund form")
	h.Keys("esc", "esc", "esc")
	h.Keys("f3", "text:bea", "tab", "text:2468", "enter")
	check("end of day", "Keys — End of day", "export CSV", "export text")
	h.Keys("f4", "text:tom", "tab", "text:1357", "enter")
	check("readers", "Keys — Readers", "pair reader")
	h.Keys("enter")
	check("reader", "test payment", "display test", "diagnostics", "metadata", "move?")
	for _, k := range []string{"n", "m", "d", "t"} {
		h.Keys(k)
		check("reader form " + k)
		h.Keys("esc")
	}
	h.Keys("esc", "p")
	check("pair")
}
