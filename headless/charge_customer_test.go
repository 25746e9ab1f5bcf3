package headless_test

import (
	"context"
	"strings"
	"testing"

	"kasse/customers"
	"kasse/headless"
	"kasse/pos"
)

// customerDeps are deps with the customers' service over the same ports.
func (e *env) customerDeps(mode string) headless.Deps {
	d := e.deps(mode)
	d.Customers = &customers.Service{Customers: e.counter.Customers(e.client), Terminal: e.client, Journal: e.journal,
		ConsoleID: "till-1", Now: e.clock.Now, Sleep: e.clock.Sleep}
	return d
}

// walletCustomer finds the demo's wallet customer named name and their
// first saved card.
func (e *env) walletCustomer(tb testing.TB, name string) (pos.Customer, pos.SavedCard) {
	tb.Helper()
	return e.customerOf(tb, pos.Platform, name)
}

func (e *env) customerOf(tb testing.TB, owner pos.Account, name string) (pos.Customer, pos.SavedCard) {
	tb.Helper()
	ctx := context.Background()
	cs, err := e.client.ListCustomers(ctx, owner, pos.CustomerFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			cards, _ := e.client.ListCards(ctx, owner, c.ID)
			if len(cards) == 0 {
				return c, pos.SavedCard{}
			}
			return c, cards[0]
		}
	}
	tb.Fatalf("no customer %s on %s", name, owner)
	return pos.Customer{}, pos.SavedCard{}
}

// A wallet regular pays at a seller with a saved card and no reader: the
// card is shared with the seller, kept on the seller's copy, and charged.
func TestChargeWalletSavedCard(t *testing.T) {
	e := newEnv(t, nil)
	d := e.customerDeps(headless.ModeSandbox)
	mara, card := e.walletCustomer(t, "Mara Lindqvist")
	seller := e.sellers["usd"] // Lumen Coffee: no copy of Mara yet
	code, r, errOut := e.chargeJSON(t, d, "--seller", string(seller.ID), "--amount", "12.50",
		"--customer", mara.ID, "--saved-card", card.ID, "--email-receipt")
	if code != headless.ExitApproved || r.Status != headless.StatusApproved || r.Card.Last4 != "4242" || r.Customer == "" || r.Reader != "" {
		t.Fatalf("exit %d %+v\n%s", code, r, errOut)
	}
	in, _ := e.client.GetIntent(context.Background(), seller.ID, r.IntentID)
	if in.ReceiptEmail != mara.Email || in.Metadata[pos.MetaWallet] != mara.ID {
		t.Fatalf("intent %+v", in)
	}
	if n := e.counter.Count("ProcessIntent"); n != 0 {
		t.Fatalf("a reader was used: %d", n)
	}
	for _, m := range []string{"ShareCard", "CreateCustomer", "CreateIntent", "SetCustomerMetadata"} {
		if e.counter.Count(m) != 1 {
			t.Errorf("%s: %d calls (%v)", m, e.counter.Count(m), e.counter.Counts())
		}
	}
}

// A declined saved card exits 2: the intent is canceled, nothing lingers.
func TestChargeSavedCardDeclined(t *testing.T) {
	e := newEnv(t, nil)
	d := e.customerDeps(headless.ModeSandbox)
	seller := e.sellers["usd"]
	ava, _ := e.customerOf(t, seller.ID, "Ava Chen")
	fail, err := e.client.AttachCard(context.Background(), seller.ID, "pm_card_visa_chargeDeclinedInsufficientFunds", ava.ID, "attach-1")
	if err != nil {
		t.Fatal(err)
	}
	code, r, _ := e.chargeJSON(t, d, "--seller", string(seller.ID), "--amount", "9", "--customer", ava.ID, "--saved-card", fail.ID)
	if code != headless.ExitDeclined || r.Status != headless.StatusDeclined || r.DeclineCode != "insufficient_funds" {
		t.Fatalf("exit %d %+v", code, r)
	}
	if in, _ := e.client.GetIntent(context.Background(), seller.ID, r.IntentID); in.Status != pos.IntentCanceled {
		t.Fatalf("intent %s", in.Status)
	}
}

// Saving the card presented on the reader: --save-card with --consent.
func TestChargeSaveCardOnTheReader(t *testing.T) {
	e := newEnv(t, nil)
	d := e.customerDeps(headless.ModeSandbox)
	seller, rd := e.sellers["usd"], e.readers["usd"]
	ava, _ := e.customerOf(t, seller.ID, "Ava Chen")
	code, r, errOut := e.chargeJSON(t, d, "--seller", string(seller.ID), "--reader", rd.ID, "--amount", "4.50",
		"--customer", ava.ID, "--save-card", "--consent", "--simulate-card", "5555555555554444")
	if code != headless.ExitApproved || r.SavedCard == "" || r.Customer != ava.ID {
		t.Fatalf("exit %d %+v\n%s", code, r, errOut)
	}
	in, _ := e.client.GetIntent(context.Background(), seller.ID, r.IntentID)
	if in.Metadata[pos.MetaSaveConsent] != "ana" {
		t.Fatalf("consent metadata %v", in.Metadata)
	}
	cards, _ := e.client.ListCards(context.Background(), seller.ID, ava.ID)
	if len(cards) != 2 || cards[0].ID != r.SavedCard || cards[0].Last4 != "4444" {
		t.Fatalf("cards %+v", cards)
	}
	// A phone wallet is approved but not saved, and the JSON says so.
	code, r, _ = e.chargeJSON(t, d, "--seller", string(seller.ID), "--reader", rd.ID, "--amount", "4.50",
		"--customer", ava.ID, "--save-card", "--consent", "--simulate-card", "4242420000000000")
	if code != headless.ExitApproved || r.SavedCard != "" {
		t.Fatalf("wallet: exit %d %+v", code, r)
	}
}

// Bad customer input exits 64 with its reason; nothing is sent.
func TestChargeCustomerBadInput(t *testing.T) {
	e := newEnv(t, nil)
	d := e.customerDeps(headless.ModeSandbox)
	lumen, sonnenkorn := e.sellers["usd"], e.sellers["eur"]
	theo, expired := e.walletCustomer(t, "Theo Brandt")
	jonas, jonasCard := e.walletCustomer(t, "Jonas Weber")
	priya, _ := e.walletCustomer(t, "Priya Raman")
	ava, _ := e.customerOf(t, lumen.ID, "Ava Chen")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--customer", theo.ID, "--saved-card", expired.ID}, "the saved card has expired"},
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--customer", theo.ID, "--saved-card", jonasCard.ID}, "belongs to another customer"},
		{[]string{"--seller", string(sonnenkorn.ID), "--amount", "5", "--customer", "cus_nobody", "--reader", e.readers["eur"].ID}, "no such customer"},
		{[]string{"--seller", string(sonnenkorn.ID), "--amount", "5", "--customer", ava.ID, "--reader", e.readers["eur"].ID}, "no such customer"},
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--customer", jonas.ID, "--saved-card", "pm_elsewhere"}, "no such saved card"},
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--customer", priya.ID, "--reader", e.readers["usd"].ID, "--email-receipt"}, "no email address"},
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--customer", ava.ID, "--reader", e.readers["usd"].ID, "--save-card"}, "--consent"},
		{[]string{"--seller", string(lumen.ID), "--amount", "5", "--saved-card", jonasCard.ID}, "need --customer"},
	} {
		before := e.counter.Count("CreateIntent") + e.counter.Count("ShareCard")
		code, _, errOut := e.charge(t, d, tc.args...)
		if code != headless.ExitUsage || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: exit %d %q, want 64 %q", tc.args, code, errOut, tc.msg)
		}
		if after := e.counter.Count("CreateIntent") + e.counter.Count("ShareCard"); after != before {
			t.Errorf("%v: a request was sent", tc.args)
		}
	}
}
