package sale_test

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestPaymentCustomerCanceled(t *testing.T) {
	f := uitest.Charging(t, nil)
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.ReaderWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionFailed, FailureCode: "customer_canceled", PaymentIntentID: "pi_1"})}}
	f.H.Fire(sale.SaleTick{})
	if st := payment(f.H).Sale().State; st != pos.SaleCustomerCanceled {
		t.Fatalf("state = %s", st)
	}
	f.H.Contains("The customer canceled on the reader.", "r retries the same payment")
	f.H.Keys("c")
	if !payment(f.H).Confirming() {
		t.Error("cancel in a decision state should also ask")
	}
	f.H.Keys("y")
	if st := payment(f.H).Sale().State; st != pos.SaleCanceled {
		t.Errorf("state after y = %s", st)
	}
}

func TestPaymentIdleTimeoutClearsReader(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) { d.IdleTimeout = time.Minute })
	h := f.H
	f.Term.Reads = []uitest.ReaderAnswer{{R: uitest.Waiting("pi_1")}}
	h.Clock = h.Clock.Add(2 * time.Minute)
	h.Fire(sale.SaleTick{})
	if st := payment(h).Sale().State; st != pos.SaleInterrupted {
		t.Fatalf("state = %s (%s)", st, strings.Join(f.Term.Ops(), ","))
	}
	if n := len(f.Term.CallsOf("CancelAction")); n != 1 {
		t.Errorf("%d cancel_action calls", n)
	}
	if got := strings.Join(f.Pay.Ops(), ","); got != "CreateIntent,GetIntent" {
		t.Errorf("the intent must stay open: %s", got)
	}
	h.Contains("No card in time; Front counter was cleared. The payment is still open.", "elapsed 2:00")
	h.Keys("r")
	if p := f.Term.CallsOf("ProcessIntent"); len(p) != 2 || p[1].Arg != "pi_1" {
		t.Errorf("retry after idle: %+v", p)
	}
}

func TestPaymentFailedKeepsCart(t *testing.T) {
	f := uitest.Charging(t, func(d *ui.Deps) {
		d.Terminal.(*uitest.FakeTerminal).ProcessErr = []error{&pos.Error{Kind: pos.KindAuth, Code: "platform_api_key_expired",
			Message: "The API key has expired."}}
	})
	h := f.H
	if st := payment(h).Sale().State; st != pos.SaleFailed {
		t.Fatalf("state = %s", st)
	}
	h.Contains("✗ The payment failed.", "Last error: authentication (platform_api_key_expired): The API key has expired.", "enter continues")
	h.Golden("payment_failed")
	h.Keys("enter")
	if !h.On("Register") || len(reg(h).Cart().Lines) != 2 {
		t.Errorf("after a failure: on %q lines=%d", h.Top().Title(), len(reg(h).Cart().Lines))
	}
	if reg(h).Sale().State != pos.SaleDraft {
		t.Error("the register needs a fresh draft sale")
	}
}

func TestHelpOnEveryScreen(t *testing.T) {
	f := uitest.Charging(t, nil)
	h := f.H
	h.Keys("?")
	h.Contains("Keys — Payment", "retry", "other reader", "test card", "all keys")
	h.Keys("?")
	if h.M.HelpOpen() {
		t.Error("? did not toggle the help off")
	}
	d, _ := uitest.RegisterDeps()
	h = uitest.AtRegister(t, d, "bäck")
	h.Keys("?")
	h.Contains("Keys — Register", "quantity ×", "tax on/off", "clear sale")
	h.Golden("help_register")
}

// TestNarrowTerminal renders every screen at 60×18: nothing may overflow.
func TestNarrowTerminal(t *testing.T) {
	d, term := uitest.RegisterDeps()
	d.TaxRate = 19000
	h := uitest.New(t, d)
	h.Send(tea.WindowSizeMsg{Width: 60, Height: 18})
	check := func(stage string) {
		t.Helper()
		v := h.View()
		ls := strings.Split(v, "\n")
		if len(ls) != 18 {
			t.Errorf("%s: %d lines", stage, len(ls))
		}
		for i, l := range ls {
			if w := lipgloss.Width(l); w > 60 {
				t.Errorf("%s: line %d is %d wide: %q", stage, i+1, w, l)
			}
		}
	}
	check("sellers")
	h.Keys("enter")
	check("locations")
	h.Keys("enter")
	check("readers")
	h.Keys("enter")
	for range 20 {
		h.Keys("c")
		h.Keys("k")
	}
	check("register")
	h.Keys("enter")
	check("payment")
	h.Keys("t")
	check("test cards")
	h.Keys("esc")
	term.Reads = []uitest.ReaderAnswer{{R: uitest.Approved("pi_1", payment(h).Sale().Amount, nil)}}
	h.Fire(sale.SaleTick{})
	check("receipt")
}
