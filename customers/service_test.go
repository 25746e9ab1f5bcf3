package customers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
	"kasse/sandbox"
)

func TestSearch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	got := func(q string) []string {
		t.Helper()
		cs, err := e.svc.Search(ctx, pos.Platform, q)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cs {
			names = append(names, c.Name)
		}
		return names
	}
	if n := got("mara.lindqvist@example.com"); len(n) != 1 || n[0] != "Mara Lindqvist" {
		t.Errorf("by email: %v", n)
	}
	if n := got("MARA"); len(n) != 1 {
		t.Errorf("by name, any case: %v", n)
	}
	if n := got("weber jonas"); len(n) != 1 || n[0] != "Jonas Weber" {
		t.Errorf("by words: %v", n)
	}
	if n := got(""); len(n) != 4 {
		t.Errorf("everyone: %v", n)
	}
	if n := got("nobody"); len(n) != 0 {
		t.Errorf("no match: %v", n)
	}
}

// A customer created while the answer is lost (the connection drops after
// Stripe took it) is created once: the next try finds the recorded
// request and sends it again under its key, and Stripe replays it.
func TestCreateAfterALostAnswerMakesOneCustomer(t *testing.T) {
	drop, err := sandbox.ParseFault("drop@POST:/v1/customers x1")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOpts(t, sandbox.Options{Seed: "demo", Faults: []sandbox.Fault{drop}},
		&http.Client{Transport: &http.Transport{DisableKeepAlives: true}})
	ctx := context.Background()
	n := NewCustomer{Name: "Noor Haddad", Email: "noor@example.com"}
	if _, err := e.svc.Create(ctx, n); err == nil || pos.KindOf(err) != pos.KindUnknown {
		t.Fatalf("first try: %v, want an unknown outcome", err)
	}
	open, found, err := e.journal.OpenCustomerOp(ctx, "create_customer", "", "Noor Haddad\x00noor@example.com\x00")
	if err != nil || !found {
		t.Fatalf("the request is not in the journal: %v", err)
	}
	c, err := e.svc.Create(ctx, n)
	if err != nil || c.ID == "" {
		t.Fatalf("second try: %v", err)
	}
	done, _ := e.journal.CustomerOpByKey(ctx, open.Key)
	if done.State != journal.OpDone || done.Result != c.ID {
		t.Fatalf("op %+v", done)
	}
	all, _ := e.client.ListCustomers(ctx, pos.Platform, pos.CustomerFilter{Email: "noor@example.com"})
	if len(all) != 1 {
		t.Fatalf("%d customers made", len(all))
	}
}

// lockedJournal is the journal refusing to record (a full disk).
type lockedJournal struct{ *journal.Journal }

func (lockedJournal) RecordCustomerOp(context.Context, journal.CustomerOp) error {
	return errors.New("disk full")
}

// A create that cannot be recorded is not sent, and says so (ErrNotSent):
// with a journal that refuses the record, and with no journal at all.
func TestCreateNotRecordedIsNotSent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		store Store
	}{{"journal refuses", lockedJournal{e.journal}}, {"no journal", nil}} {
		e.svc.Journal = tc.store
		n := len(e.client.RecentRequests())
		_, err := e.svc.Create(ctx, NewCustomer{Name: "Noor Haddad", Email: "noor@example.com"})
		if !errors.Is(err, ErrNotSent) {
			t.Errorf("%s: %v, want ErrNotSent", tc.name, err)
		}
		if len(e.client.RecentRequests()) != n {
			t.Errorf("%s: the create was sent", tc.name)
		}
	}
	if _, found, _ := e.journal.OpenCustomerOp(ctx, "create_customer", "", "Noor Haddad\x00noor@example.com\x00"); found {
		t.Error("an op is open for a request never recorded")
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n := len(e.client.RecentRequests())
	for _, tc := range []struct {
		nc   NewCustomer
		want error
	}{
		{NewCustomer{Name: "  "}, ErrNoName},
		{NewCustomer{Name: "X", Email: "x@"}, ErrBadEmail},
		{NewCustomer{Name: "X", Email: "X <x@example.com>"}, ErrBadEmail},
	} {
		if _, err := e.svc.Create(ctx, tc.nc); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.nc, err, tc.want)
		}
	}
	if len(e.client.RecentRequests()) != n {
		t.Error("bad input was sent")
	}
}

// Save without paying on a platform reader: the card is saved in the
// wallet; a phone wallet is not saved and says why; with no card the
// reader is cleared and the SetupIntent canceled.
func TestSaveCardWithoutPaying(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	priya := e.wallet("Priya Raman")
	rd := e.readers["Lumen Coffee"]
	res, err := e.svc.SaveCard(ctx, SaveRequest{Customer: priya, Reader: rd, ConsentBy: "anna", Simulate: true, SimulateCard: "5555555555554444"})
	if err != nil || res.State != pos.SetupSaved || res.Card.Last4 != "4444" || res.Card.Customer != priya.ID || res.Card.Type != pos.CardTypeCard {
		t.Fatalf("saved: %v %+v", err, res)
	}
	si, _ := e.client.GetSetupIntent(ctx, pos.Platform, res.SetupIntentID)
	if si.Metadata[pos.MetaSaveConsent] != "anna" || si.Status != "succeeded" {
		t.Fatalf("setup intent %+v", si)
	}
	if cards, _ := e.client.ListCards(ctx, pos.Platform, priya.ID); len(cards) != 2 {
		t.Fatalf("Priya's cards: %d", len(cards))
	}

	res, err = e.svc.SaveCard(ctx, SaveRequest{Customer: priya, Reader: rd, ConsentBy: "anna", Simulate: true, SimulateCard: "4242420000000000"})
	if err != nil || res.State != pos.SetupFailed || res.Failure == nil || res.Failure.Code != "card_not_supported" {
		t.Fatalf("phone wallet: %v %+v", err, res)
	}

	clock := time.Now()
	e.svc.Now = func() time.Time { return clock }
	e.svc.Sleep = func(ctx context.Context, d time.Duration) error { clock = clock.Add(d); return nil }
	res, err = e.svc.SaveCard(ctx, SaveRequest{Customer: priya, Reader: rd, ConsentBy: "anna", Timeout: 5 * time.Second})
	if err != nil || !res.TimedOut || !res.Canceled {
		t.Fatalf("timeout: %v %+v", err, res)
	}
	if r, _ := e.client.GetReader(ctx, rd.Owner, rd.ID); r.Action != nil {
		t.Fatalf("the reader still waits: %+v", r.Action)
	}
	if si, _ := e.client.GetSetupIntent(ctx, pos.Platform, res.SetupIntentID); si.Status != "canceled" {
		t.Fatalf("setup intent %s", si.Status)
	}

	if _, err := e.svc.SaveCard(ctx, SaveRequest{Customer: priya, Reader: rd}); !errors.Is(err, ErrNoConsent) {
		t.Fatalf("without consent: %v", err)
	}
	northwind := pos.Reader{ID: "tmr_northwind", Owner: e.sellers["Northwind Bikes"].ID} // a seller's own reader
	if _, err := e.svc.SaveCard(ctx, SaveRequest{Customer: priya, Reader: northwind, ConsentBy: "anna"}); !errors.Is(err, ErrSellerReader) {
		t.Fatalf("a seller's reader for the wallet: %v", err)
	}
}

// A removed card cannot pay: the sale's Stripe answer is a definite
// refusal, and nothing is charged.
func TestRemoveCard(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	jonas := e.wallet("Jonas Weber")
	card := e.card(jonas)
	if _, err := e.svc.Remove(ctx, jonas, card.ID); err != nil {
		t.Fatal(err)
	}
	if cards, _ := e.client.ListCards(ctx, pos.Platform, jonas.ID); len(cards) != 0 {
		t.Fatalf("cards after removal: %+v", cards)
	}
	_, err := e.svc.Remove(ctx, jonas, card.ID)
	if pos.KindOf(err) != pos.KindInvalidRequest || !strings.Contains(err.Error(), "not attached") {
		t.Fatalf("second removal: %v", err)
	}
	// A sale with the removed card (chosen before it was removed) at a
	// seller: the clone is refused, the sale is back in Draft, nothing charged.
	sc, err := e.svc.ForSale(ctx, Choice{Seller: e.sellers["Lumen Coffee"].ID, Customer: jonas, Card: &card, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s, reqs := e.drive(e.sale("Lumen Coffee", 500, sc))
	if s.State != pos.SaleDraft || s.IntentID != "" || s.Customer.Card != nil || len(reqs) != 1 {
		t.Fatalf("%s intent %q card %v requests %v", s.State, s.IntentID, s.Customer.Card, reqs)
	}
}

// Removing a wallet card removes its clones at the sellers too: a clone is
// a PaymentMethod of its own on the seller's account and would otherwise
// keep paying there. The clones go first, the wallet card last.
func TestRemoveWalletCardRemovesItsClones(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mara := e.wallet("Mara Lindqvist")
	card := e.card(mara)
	sonnenkorn := e.sellers["Sonnenkorn"].ID
	cp, err := e.svc.AtSeller(ctx, sonnenkorn, mara)
	if err != nil || cp.Shared(card.ID).ID == "" {
		t.Fatalf("the demo's copy at Sonnenkorn: %+v %v", cp, err)
	}
	clone := cp.Shared(card.ID)
	got, err := e.svc.Remove(ctx, mara, card.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Card.ID != card.ID || len(got.Clones) != 1 || got.Clones[0].ID != clone.ID || got.Clones[0].Account != sonnenkorn {
		t.Fatalf("removed %+v", got)
	}
	if cards, _ := e.client.ListCards(ctx, sonnenkorn, cp.Customer.ID); len(cards) != 0 {
		t.Fatalf("the copy still has %+v", cards)
	}
	if cards, _ := e.client.ListCards(ctx, pos.Platform, mara.ID); len(cards) != 0 {
		t.Fatalf("the wallet still has %+v", cards)
	}
	// Both detaches were recorded before they were sent, and finished.
	for _, k := range []pos.SavedCard{got.Clones[0], got.Card} {
		if _, open, err := e.journal.OpenCustomerOp(ctx, "detach_card", string(k.Account), k.ID); err != nil || open {
			t.Fatalf("detach of %s still open (%v)", k.ID, err)
		}
	}
	// The copy at Sonnenkorn has no card left to pay with.
	if cp, _ := e.svc.AtSeller(ctx, sonnenkorn, mara); cp.Shared(card.ID).ID != "" {
		t.Fatalf("Sonnenkorn still shares %s", card.ID)
	}
}
