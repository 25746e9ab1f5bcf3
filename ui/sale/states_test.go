package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/pos"
)

func TestPaymentCustomerCanceled(t *testing.T) {
	f := charging(t, nil)
	f.term.getReader = []readerAnswer{{r: readerWith("tmr_front", &pos.ReaderAction{Type: pos.ActionProcessPaymentIntent,
		Status: pos.ActionFailed, FailureCode: "customer_canceled", PaymentIntentID: "pi_1"})}}
	f.h.fire(saleTickMsg{})
	if st := f.h.m.payment.sale.State; st != pos.SaleCustomerCanceled {
		t.Fatalf("state = %s", st)
	}
	f.h.contains("The customer canceled on the reader.", "r retries the same payment")
	f.h.keys("c")
	if !f.h.m.payment.confirm {
		t.Error("cancel in a decision state should also ask")
	}
	f.h.keys("y")
	if st := f.h.m.payment.sale.State; st != pos.SaleCanceled {
		t.Errorf("state after y = %s", st)
	}
}

func TestPaymentIdleTimeoutClearsReader(t *testing.T) {
	f := charging(t, func(d *Deps) { d.IdleTimeout = time.Minute })
	h := f.h
	f.term.getReader = []readerAnswer{{r: waiting("pi_1")}}
	h.clock = h.clock.Add(2 * time.Minute)
	h.fire(saleTickMsg{})
	if st := h.m.payment.sale.State; st != pos.SaleInterrupted {
		t.Fatalf("state = %s (%s)", st, strings.Join(f.term.ops(), ","))
	}
	if n := len(f.term.callsOf("CancelAction")); n != 1 {
		t.Errorf("%d cancel_action calls", n)
	}
	if got := strings.Join(f.pay.ops(), ","); got != "CreateIntent,GetIntent" {
		t.Errorf("the intent must stay open: %s", got)
	}
	h.contains("No card in time; Front counter was cleared. The payment is still open.", "elapsed 2:00")
	h.keys("r")
	if p := f.term.callsOf("ProcessIntent"); len(p) != 2 || p[1].Arg != "pi_1" {
		t.Errorf("retry after idle: %+v", p)
	}
}

func TestPaymentFailedKeepsCart(t *testing.T) {
	f := charging(t, func(d *Deps) {
		d.Terminal.(*fakeTerminal).processErr = []error{&pos.Error{Kind: pos.KindAuth, Code: "platform_api_key_expired",
			Message: "The API key has expired."}}
	})
	h := f.h
	if st := h.m.payment.sale.State; st != pos.SaleFailed {
		t.Fatalf("state = %s", st)
	}
	h.contains("✗ The payment failed.", "Last error: authentication (platform_api_key_expired): The API key has expired.", "enter continues")
	h.golden("payment_failed")
	h.keys("enter")
	if h.m.active != scrRegister || len(h.m.register.cart.Lines) != 2 {
		t.Errorf("after a failure: active=%d lines=%d", h.m.active, len(h.m.register.cart.Lines))
	}
	if h.m.register.sale.State != pos.SaleDraft {
		t.Error("the register needs a fresh draft sale")
	}
}

func TestHelpOnEveryScreen(t *testing.T) {
	f := charging(t, nil)
	h := f.h
	h.keys("?")
	h.contains("Keys — Payment", "retry", "other reader", "test card", "all keys")
	h.keys("?")
	if h.m.showHelp {
		t.Error("? did not toggle the help off")
	}
	h.keys("esc", "n") // no cancel
	h.m.active = scrRegister
	h.keys("?")
	h.contains("Keys — Register", "quantity ×", "tax on/off", "clear sale")
	h.golden("help_register")
}

// TestNarrowTerminal renders every screen at 60×18: nothing may overflow.
func TestNarrowTerminal(t *testing.T) {
	d, _ := registerDeps()
	d.TaxRate = 19000
	h := newHarness(t, d)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 18})
	check := func(stage string) {
		t.Helper()
		v := h.view()
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
	h.keys("enter")
	check("locations")
	h.keys("enter")
	check("readers")
	h.keys("enter")
	for range 20 {
		h.keys("c")
		h.keys("k")
	}
	check("register")
	h.keys("enter")
	check("payment")
	h.keys("t")
	check("test cards")
	h.keys("esc")
	h.m.payment.sale.Tip = nil
	f := h.m.sh.deps.Terminal.(*fakeTerminal)
	f.getReader = []readerAnswer{{r: approved("pi_1", h.m.payment.sale.Amount, nil)}}
	h.fire(saleTickMsg{})
	check("receipt")
}

func TestStatusMessageClears(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.send(statusMsg{text: "hello", tone: toneOK})
	h.contains("hello")
	h.send(statusMsg{text: "second", tone: toneInfo})
	h.fire(clearStatusMsg{}) // fires both timers; only the newest clears
	h.lacks("second")
	h.send(statusMsg{text: "third"})
	h.send(clearStatusMsg{seq: 1})
	h.contains("third")
}
