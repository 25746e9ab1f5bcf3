package customers

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// requestsSince returns "METHOD path" of the requests the client made
// after the first n of its log.
func (e *env) requestsSince(n int) []string {
	var out []string
	for _, r := range e.client.RecentRequests()[n:] {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// drive charges s from Enter until it settles and returns the requests
// sent from Enter on, in order.
func (e *env) drive(s pos.Sale) (pos.Sale, []string) {
	e.t.Helper()
	n := len(e.client.RecentRequests())
	s, err := e.runner.Drive(context.Background(), s, pos.ChargeRequested{At: time.Now()}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return s, e.requestsSince(n)
}

func trimIDs(reqs []string) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		parts := strings.Split(r, "/")
		for j, p := range parts {
			if strings.Contains(p, "_") && !strings.HasPrefix(p, "payment_") && !strings.HasPrefix(p, "setup_") {
				parts[j] = "{id}"
			}
		}
		out[i] = strings.Join(parts, "/")
	}
	return out
}

// A regular of the platform's wallet pays with a saved card at sellers:
// where the seller has the card already, Enter is one request to an
// approved sale; where it does not, three (share the card, create the
// seller's copy of the customer with it, charge), and the copy is named on
// the wallet customer afterwards, so the next sale there is one request
// again. The card is never presented.
func TestWalletCardRequestsToApproval(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mara := e.wallet("Mara Lindqvist")
	card := e.card(mara)
	forSale := func(seller string) *pos.SaleCustomer {
		sc, err := e.svc.ForSale(ctx, Choice{Seller: e.sellers[seller].ID, Customer: mara, Card: &card, At: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}

	// Bäckerei Sonnenkorn has Mara's copy and her card (the demo data).
	sc := forSale("Sonnenkorn")
	if sc.ID == "" || !sc.Linked || sc.Card == nil || sc.Card.ID == "" || !sc.Card.Attached || sc.Card.Source != card.ID {
		t.Fatalf("Sonnenkorn: %+v card %+v", sc, sc.Card)
	}
	s, reqs := e.drive(e.sale("Sonnenkorn", 450, sc))
	if s.State != pos.SaleApproved || s.Card.Last4 != "4242" {
		t.Fatalf("Sonnenkorn: %s %v %+v", s.State, s.LastError, s.Decline)
	}
	if got := trimIDs(reqs); strings.Join(got, ", ") != "POST /v1/payment_intents" {
		t.Fatalf("Sonnenkorn: requests from Enter %v, want the one create", got)
	}

	// Lumen Coffee has neither: share, copy with the card, charge; then
	// the link on the wallet customer.
	sc = forSale("Lumen Coffee")
	if sc.ID != "" || sc.Card.ID != "" || sc.Card.Source != card.ID {
		t.Fatalf("Lumen: %+v card %+v", sc, sc.Card)
	}
	s, reqs = e.drive(e.sale("Lumen Coffee", 1250, sc))
	if s.State != pos.SaleApproved {
		t.Fatalf("Lumen: %s %v %+v", s.State, s.LastError, s.Decline)
	}
	want := []string{"POST /v1/payment_methods", "POST /v1/customers", "POST /v1/payment_intents", "POST /v1/customers/{id}"}
	if got := trimIDs(reqs); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("Lumen: requests from Enter %v, want %v (3 to approval, then the link)", got, want)
	}
	approvedAfter := 3 // the create is the third request; its answer approves the sale
	if !strings.HasSuffix(reqs[approvedAfter-1], "/v1/payment_intents") {
		t.Fatalf("the approving request is %s", reqs[approvedAfter-1])
	}
	// The wallet customer now names the copy; the next sale is one request.
	mara, _ = e.client.GetCustomer(ctx, pos.Platform, mara.ID)
	lumen := e.sellers["Lumen Coffee"].ID
	if mara.CopyAt(lumen) != s.Customer.ID || s.Customer.ID == "" {
		t.Fatalf("link %q, copy %q", mara.CopyAt(lumen), s.Customer.ID)
	}
	sc = forSale("Lumen Coffee")
	s, reqs = e.drive(e.sale("Lumen Coffee", 800, sc))
	if s.State != pos.SaleApproved || len(reqs) != 1 {
		t.Fatalf("second sale at Lumen: %s, requests %v", s.State, reqs)
	}
	// The platform's card is untouched; the seller's copy keeps one card.
	cards, _ := e.client.ListCards(ctx, lumen, s.Customer.ID)
	if len(cards) != 1 || cards[0].SharedFrom != card.ID {
		t.Fatalf("copy's cards %+v", cards)
	}
	if w := e.card(mara); w.ID != card.ID {
		t.Fatalf("wallet card changed: %+v", w)
	}
	// Recent sales across sellers, from the journal.
	recs, err := e.svc.Sales(ctx, []string{mara.ID}, 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("Mara's sales %d %v", len(recs), err)
	}
}

// A copy the wallet customer's metadata does not name (the link was lost)
// is still found, by email.
func TestCopyFoundByEmailWithoutLink(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mara := e.wallet("Mara Lindqvist")
	sonnenkorn := e.sellers["Sonnenkorn"].ID
	if _, err := e.client.SetCustomerMetadata(ctx, pos.Platform, mara.ID, map[string]string{pos.MetaCopyPrefix + string(sonnenkorn): ""}, "unlink-1"); err != nil {
		t.Fatal(err)
	}
	mara, _ = e.client.GetCustomer(ctx, pos.Platform, mara.ID)
	cp, err := e.svc.AtSeller(ctx, sonnenkorn, mara)
	if err != nil || cp.Customer.ID == "" || cp.Linked || cp.Shared(e.card(mara).ID).ID == "" {
		t.Fatalf("copy %+v %v", cp, err)
	}
	// The sale names it again.
	card := e.card(mara)
	sc, _ := e.svc.ForSale(ctx, Choice{Seller: sonnenkorn, Customer: mara, Card: &card, At: time.Now()})
	s, reqs := e.drive(e.sale("Sonnenkorn", 300, sc))
	if s.State != pos.SaleApproved || len(reqs) != 2 || !strings.HasPrefix(reqs[1], "POST /v1/customers/") {
		t.Fatalf("%s %v", s.State, reqs)
	}
}

// Bad input is refused before anything is sent, each with its reason.
func TestForSaleBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now()
	lumen, sonnenkorn := e.sellers["Lumen Coffee"].ID, e.sellers["Sonnenkorn"].ID
	theo, jonas := e.wallet("Theo Brandt"), e.wallet("Jonas Weber")
	ava := e.customerNamed(lumen, "Ava Chen")
	theoCard, jonasCard := e.card(theo), e.card(jonas)
	cp, err := e.client.GetCard(ctx, pos.Platform, e.cardPresentOf(jonas))
	if err != nil || cp.Type != pos.CardTypePresent {
		t.Fatalf("card_present %v %+v", err, cp)
	}
	cp.Customer = theo.ID // presented as if it were Theo's: the type decides first
	n := len(e.client.RecentRequests())
	for _, tc := range []struct {
		name string
		ch   Choice
		want error
	}{
		{"an expired card", Choice{Seller: lumen, Customer: theo, Card: &theoCard, At: now}, ErrCardExpired},
		{"a card of another customer", Choice{Seller: lumen, Customer: theo, Card: &jonasCard, At: now}, ErrNotTheirs},
		{"a card_present method", Choice{Seller: lumen, Customer: theo, Card: &cp, At: now}, ErrCardPresent},
		{"another seller's customer", Choice{Seller: sonnenkorn, Customer: ava, At: now}, ErrNotFound},
	} {
		_, err := e.svc.ForSale(ctx, tc.ch)
		var bi *BadInput
		if !errors.Is(err, tc.want) || !errors.As(err, &bi) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if reqs := e.requestsSince(n); len(reqs) != 0 {
		t.Errorf("bad input sent %v", reqs)
	}
	if _, err := e.svc.Find(ctx, lumen, "cus_nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	// A customer of another seller is not found from this one's context
	// (Stripe's 404), and not in the wallet either.
	if _, err := e.svc.Find(ctx, sonnenkorn, ava.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("foreign customer: %v", err)
	}
}

// cardPresentOf saves a card for c on a platform reader and returns the
// card_present read of it (the SetupIntent's payment_method).
func (e *env) cardPresentOf(c pos.Customer) string {
	e.t.Helper()
	ctx := context.Background()
	res, err := e.svc.SaveCard(ctx, SaveRequest{Customer: c, Reader: e.readers["Lumen Coffee"], ConsentBy: "anna", Simulate: true})
	if err != nil || res.State != pos.SetupSaved {
		e.t.Fatalf("save: %v %+v", err, res)
	}
	si, err := e.client.GetSetupIntent(ctx, c.Account, res.SetupIntentID)
	if err != nil || si.PaymentMethod == "" {
		e.t.Fatalf("setup intent %v %+v", err, si)
	}
	return si.PaymentMethod
}

// A decline of a saved card (402) leaves the intent for the reader: the
// same intent is then paid on the reader.
func TestSavedCardDeclineGoesToTheReader(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lumen := e.sellers["Lumen Coffee"].ID
	ava := e.customerNamed(lumen, "Ava Chen")
	failing, err := e.client.AttachCard(ctx, lumen, "pm_card_chargeCustomerFail", ava.ID, "attach-fail-1")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.svc.ForSale(ctx, Choice{Seller: lumen, Customer: ava, Card: &failing, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := e.drive(e.sale("Lumen Coffee", 1000, sc))
	if s.State != pos.SaleDeclined || s.IntentID == "" || s.Decline == nil || s.Decline.Code != "card_declined" {
		t.Fatalf("declined: %s %+v", s.State, s.Decline)
	}
	s, err = e.runner.Drive(ctx, s, pos.RetryRequested{At: time.Now()}, func(s pos.Sale) bool { return s.State == pos.SaleWaitingForCard })
	if err != nil || s.State != pos.SaleWaitingForCard {
		t.Fatalf("on the reader: %s %v", s.State, err)
	}
	rd := e.readers["Lumen Coffee"]
	if _, err := e.client.PresentCard(ctx, rd.Owner, rd.ID, "", 0, "present-1"); err != nil {
		t.Fatal(err)
	}
	s, _ = e.runner.Drive(ctx, s, pos.Tick{At: time.Now()}, nil)
	in, _ := e.client.GetIntent(ctx, lumen, s.IntentID)
	if s.State != pos.SaleApproved || in.Status != pos.IntentSucceeded {
		t.Fatalf("paid on the reader: %s / %s", s.State, in.Status)
	}
}
