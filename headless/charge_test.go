package headless_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kasse/headless"
	"kasse/pos"
	"kasse/sandbox"
)

func TestApprovedSaleJSON(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	code, r, errOut := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "12.50", "--simulate-card", "4242424242424242")
	if code != 0 {
		t.Fatalf("exit %d: %+v\n%s", code, r, errOut)
	}
	if r.Status != "approved" || r.Amount != 1250 || r.Currency != "usd" || r.Tip != nil ||
		r.Seller != string(seller.ID) || r.Reader != reader.ID || !strings.HasPrefix(r.IntentID, "pi_") ||
		!strings.HasPrefix(r.SaleID, "till_1-") || r.Card != (headless.Card{Brand: "visa", Last4: "4242"}) ||
		r.DeclineCode != "" || !strings.Contains(r.Message, "Approved: $12.50 on visa ending 4242") {
		t.Fatalf("result = %+v", r)
	}
	// From the charge to the reader's in_progress: exactly create + process
	// (the three reads before it are the seller, the reader and its
	// location's owner, tagged: no seller list needed).
	at := e.atPresent
	if at["CreateIntent"] != 1 || at["ProcessIntent"] != 1 || at["GetSeller"] != 1 || at["GetReader"] != 1 ||
		at["ListLocations"] != 1 || len(at) != 5 {
		t.Fatalf("requests before the card = %v", at)
	}
	t.Logf("requests for one approved sale: %v (total %d)", e.counter.Counts(), e.counter.Total())
	saved, err := e.journal.Sale(context.Background(), r.SaleID)
	if err != nil || saved.State != pos.SaleApproved || saved.IntentID != r.IntentID {
		t.Fatalf("journal: %s %s, %v", saved.State, saved.IntentID, err)
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentSucceeded {
		t.Fatalf("intents = %+v", ins)
	}
}

// A reader at another seller's location is refused as a usage error before
// any payment is created (its money would be taken at that seller's
// counter); --other-sellers-location charges there on purpose.
func TestReaderAtAnotherSellersLocation(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["eur"], e.readers["usd"]
	args := []string{"--seller", string(seller.ID), "--reader", reader.ID, "--amount", "5.00", "--simulate-card", "4242424242424242"}
	code, r, errOut := e.chargeJSON(t, e.deps(headless.ModeSandbox), args...)
	if code != headless.ExitUsage || !strings.Contains(r.Message+errOut, "a location of") ||
		!strings.Contains(r.Message+errOut, "--other-sellers-location") {
		t.Fatalf("exit %d: %+v\n%s", code, r, errOut)
	}
	if ins := e.intents(t, seller.ID); len(ins) != 0 {
		t.Fatalf("an intent was created: %+v", ins)
	}
	code, r, errOut = e.chargeJSON(t, e.deps(headless.ModeSandbox), append(args, "--other-sellers-location")...)
	if code != 0 || r.Status != "approved" {
		t.Fatalf("with the flag: exit %d: %+v\n%s", code, r, errOut)
	}
}

func TestItemsAndHumanOutput(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["eur"], e.readers["eur"]
	base := []string{"--seller", string(seller.ID), "--reader", reader.ID, "--simulate-card", "",
		"--item", "Roggenbrot: groß:2:4.50", "--item", "Brezel:3:1,20"}
	code, out, errOut := e.charge(t, e.deps(headless.ModeTest), append(base, "--amount", "12.60")...)
	if code != 0 || !strings.Contains(out, "Approved: €12.60") || !strings.Contains(out, "  status    approved") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	saved, _ := e.journal.ListSales(context.Background(), journalFilter(seller.ID))
	if len(saved) != 1 || len(saved[0].Sale.Cart.Lines) != 2 || saved[0].Sale.Cart.Lines[0].Description != "Roggenbrot: groß" {
		t.Fatalf("journal cart = %+v", saved)
	}

	code, _, errOut = e.charge(t, e.deps(headless.ModeTest), append(base, "--amount", "12.00")...)
	if code != headless.ExitUsage || !strings.Contains(errOut, "does not match the items' total €12.60") {
		t.Fatalf("mismatch: exit %d %s", code, errOut)
	}
}

func TestDeclineCancelsTheIntent(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	code, r, _ := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "20", "--simulate-card", "4000000000009995")
	if code != headless.ExitDeclined || r.Status != "declined" || r.DeclineCode != "insufficient_funds" ||
		!strings.Contains(r.Message, "insufficient funds") || !strings.Contains(r.Message, "PaymentIntent was canceled") {
		t.Fatalf("exit %d, %+v", code, r)
	}
	ins := e.intents(t, seller.ID)
	if len(ins) != 1 || ins[0].Status != pos.IntentCanceled || ins[0].ID != r.IntentID {
		t.Fatalf("intents = %+v", ins)
	}
	rd, _ := e.client.GetReader(context.Background(), pos.Platform, reader.ID)
	if rd.Busy() {
		t.Fatalf("reader still busy: %+v", rd.Action)
	}
}

func TestJPYAndSellerOwnedReader(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["jpy"], e.readers["jpy"]
	code, r, errOut := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "500", "--simulate-card", "")
	if code != 0 || r.Amount != 500 || r.Currency != "jpy" || !strings.Contains(r.Message, "¥500") {
		t.Fatalf("JPY: exit %d %+v %s", code, r, errOut)
	}
	code, _, errOut = e.charge(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID, "--amount", "5.00")
	if code != headless.ExitUsage || !strings.Contains(errOut, "JPY has no decimals") {
		t.Fatalf("JPY decimals: exit %d %s", code, errOut)
	}

	// A reader registered on the seller itself is found there.
	code, r, errOut = e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(e.ownSeller.ID),
		"--reader", e.ownReader.ID, "--amount", "3.00", "--simulate-card", "")
	if code != 0 || r.Reader != e.ownReader.ID {
		t.Fatalf("seller-owned reader: exit %d %+v %s", code, r, errOut)
	}
}

func TestInputAndLookupErrors(t *testing.T) {
	e := newEnv(t, nil)
	usd, reader := string(e.sellers["usd"].ID), e.readers["usd"].ID
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no seller", []string{"--reader", reader, "--amount", "1"}, 64, "--seller is required"},
		{"no amount", []string{"--seller", usd, "--reader", reader}, 64, "--amount or at least one --item"},
		{"bad amount", []string{"--seller", usd, "--reader", reader, "--amount", "12,5,0"}, 64, "without thousands separators"},
		{"too precise", []string{"--seller", usd, "--reader", reader, "--amount", "1.005"}, 64, "USD has 2 decimals"},
		{"below minimum", []string{"--seller", usd, "--reader", reader, "--amount", "0.10"}, 64, "below Stripe's minimum charge of $0.50"},
		{"bad item", []string{"--seller", usd, "--reader", reader, "--item", "Coffee:two:3"}, 64, "not a whole number"},
		{"bad currency", []string{"--seller", usd, "--reader", reader, "--amount", "1", "--currency", "dollars"}, 64, "not a currency code"},
		{"unknown flag", []string{"--seller", usd, "--reader", reader, "--amount", "1", "--tip", "1"}, 64, "flag provided but not defined"},
		{"unknown seller", []string{"--seller", "acct_1NoSuchSeller00", "--reader", reader, "--amount", "1"}, 1, "seller acct_1NoSuchSeller00"},
		{"inactive seller", []string{"--seller", string(e.inactive.ID), "--reader", reader, "--amount", "1"}, 1, "cannot take card payments"},
		{"unknown reader", []string{"--seller", usd, "--reader", "tmr_NoSuchReader", "--amount", "1"}, 1, "not found on the platform nor on seller"},
	}
	for _, c := range cases {
		code, out, errOut := e.charge(t, e.deps(headless.ModeSandbox), c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d (want %d), stderr %q, stdout %q", c.name, code, c.code, errOut, out)
		}
	}
	if n := e.counter.Count("CreateIntent"); n != 0 {
		t.Fatalf("an invalid charge created %d intents", n)
	}
}

func TestLiveModeRefusesSimulatedCards(t *testing.T) {
	e := newEnv(t, nil)
	code, _, errOut := e.charge(t, e.deps(headless.ModeLive), "--seller", string(e.sellers["usd"].ID),
		"--reader", e.readers["usd"].ID, "--amount", "5", "--simulate-card", "4242424242424242")
	if code != headless.ExitUsage || !strings.Contains(errOut, "refused with a live key") {
		t.Fatalf("exit %d, %s", code, errOut)
	}
	if n := e.counter.Total(); n != 0 {
		t.Fatalf("%d requests made before refusing", n)
	}
}

func TestTimeoutCancelsTheIntent(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	code, r, _ := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "4.00", "--timeout", "10s")
	if code != headless.ExitCanceled || r.Status != "timed_out" || !strings.Contains(r.Message, "No card within 10s") {
		t.Fatalf("exit %d %+v", code, r)
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
	if n := e.counter.Count("CancelAction"); n != 1 {
		t.Fatalf("cancel_action sent %d times", n)
	}
	rd, _ := e.client.GetReader(context.Background(), pos.Platform, reader.ID)
	if rd.Busy() {
		t.Fatalf("reader still busy after the timeout")
	}
}

func TestFaultsEndInOneIntent(t *testing.T) {
	cases := []struct {
		name  string
		fault sandbox.Fault
	}{
		{"dropped create", sandbox.Fault{Kind: sandbox.FaultDrop, Method: "POST", Route: "/v1/payment_intents", Times: 1}},
		{"reader timeout applied", sandbox.Fault{Kind: sandbox.FaultReaderTimeoutApplied, Method: "POST",
			Route: "/v1/terminal/readers/{id}/process_payment_intent", Times: 1}},
		{"dropped process", sandbox.Fault{Kind: sandbox.FaultDrop, Method: "POST",
			Route: "/v1/terminal/readers/{id}/process_payment_intent", Times: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, noKeepAlive())
			e.srv.SetFaults([]sandbox.Fault{c.fault})
			seller, reader := e.sellers["usd"], e.readers["usd"]
			code, r, errOut := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID),
				"--reader", reader.ID, "--amount", "8.80", "--simulate-card", "")
			if fired := e.srv.FaultsFired(); fired[0] != 1 {
				t.Fatalf("fault fired %v", fired)
			}
			if code != 0 || r.Status != "approved" || r.Amount != 880 {
				t.Fatalf("exit %d %+v\n%s", code, r, errOut)
			}
			ins := e.intents(t, seller.ID)
			if len(ins) != 1 || ins[0].ID != r.IntentID || ins[0].Status != pos.IntentSucceeded {
				t.Fatalf("intents = %+v", ins)
			}
			t.Logf("requests: %v", e.counter.Counts())
		})
	}
}

func TestHelp(t *testing.T) {
	e := newEnv(t, nil)
	code, out, _ := e.charge(t, e.deps(headless.ModeSandbox), "--help")
	if code != 0 || !strings.Contains(out, "Exit codes:") || !strings.Contains(out, "64  usage") {
		t.Fatalf("help: exit %d\n%s", code, out)
	}
}

// deregisterOnHandOff is the field tech deregistering the reader just as
// the sale is handed to it.
type deregisterOnHandOff struct {
	pos.Terminal
	client interface {
		DeleteReader(ctx context.Context, owner pos.Account, id string) error
	}
}

func (d deregisterOnHandOff) ProcessIntent(ctx context.Context, owner pos.Account, readerID, intentID string, cfg pos.ProcessConfig, key string) (pos.Reader, error) {
	if err := d.client.DeleteReader(ctx, owner, readerID); err != nil {
		return pos.Reader{}, err
	}
	return d.Terminal.ProcessIntent(ctx, owner, readerID, intentID, cfg, key)
}

// Issue 12, point 1: a sale that fails after its intent was created (the
// reader deregistered under it: Stripe refuses the hand-off as not found)
// leaves nothing open: kasse charge cancels the intent before it reports
// the failure, and the journal holds the sale as finished.
func TestFailureAfterTheIntentCancelsIt(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	d := e.deps(headless.ModeSandbox)
	d.Terminal = deregisterOnHandOff{d.Terminal, e.client}
	code, r, errOut := e.chargeJSON(t, d, "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "6.40", "--simulate-card", "")
	if code != headless.ExitError || r.Status != "failed" || !strings.Contains(r.Message, "Failed: not found") ||
		!strings.Contains(r.Message, "the PaymentIntent was canceled") {
		t.Fatalf("exit %d %+v\n%s", code, r, errOut)
	}
	ins := e.intents(t, seller.ID)
	if len(ins) != 1 || ins[0].ID != r.IntentID || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v, want %s canceled", ins, r.IntentID)
	}
	saved, err := e.journal.Sale(context.Background(), r.SaleID)
	if err != nil || !saved.Finished() || saved.State != pos.SaleCanceled || !pos.IsKind(saved.LastError, pos.KindNotFound) {
		t.Fatalf("journal: %s (finished %v, last error %v), %v", saved.State, saved.Finished(), saved.LastError, err)
	}
	if open, err := e.journal.UnfinishedSales(context.Background()); err != nil || len(open) != 0 {
		t.Fatalf("unfinished sales: %+v, %v", open, err)
	}
}

// A look-up before the sale that Stripe refuses with 429 rate_limit is
// sent again after a back-off, as the sale's own requests are, instead of
// failing the charge (found by the kill soak: 35 of 1,000 runs refused).
func TestRateLimitedLookupsAreRetried(t *testing.T) {
	var faults []sandbox.Fault
	for _, spec := range []string{"rate_limit@GET:/v1/accounts/{id} x2", "rate_limit@GET:/v1/terminal/readers/{id} x1"} {
		f, err := sandbox.ParseFault(spec)
		if err != nil {
			t.Fatal(err)
		}
		faults = append(faults, f)
	}
	e := newEnvOpts(t, nil, sandbox.Options{Seed: "demo", Faults: faults})
	seller, reader := e.sellers["usd"], e.readers["usd"]
	before := e.clock.Now()
	code, r, errOut := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "3.30", "--simulate-card", "")
	if code != 0 || r.Status != "approved" {
		t.Fatalf("exit %d %+v\n%s", code, r, errOut)
	}
	if n := strings.Count(errOut, "Stripe is rate limiting; looking up seller "+string(seller.ID)+" again"); n != 2 {
		t.Errorf("seller retries announced %d times, want 2:\n%s", n, errOut)
	}
	if n := strings.Count(errOut, "Stripe is rate limiting; looking up reader "+reader.ID+" again"); n != 1 {
		t.Errorf("reader retries announced %d times, want 1:\n%s", n, errOut)
	}
	if waited := e.clock.Now().Sub(before); waited < 2*time.Second {
		t.Errorf("the clock moved %s: the retries did not back off (≥ 0.5 + 1 + 0.5 s)", waited)
	}
	if n := e.counter.Count("GetSeller"); n != 3 {
		t.Errorf("seller looked up %d times, want 3", n)
	}
}
