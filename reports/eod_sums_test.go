package reports

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// The end of day lets the journal sum its refunds and the sales nothing
// else touches (journal.RefundTotals, journal.SaleTotals). On randomized
// journals and Stripe accounts it must report exactly what counting every
// journal sale and refund as a row reports: every seller, currency,
// count, amount, tip, card brand and refund.
func TestEndOfDayJournalSumsEqualRowCounts(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 12; seed++ {
		j, p := randomShop(t, seed)
		rng := rand.New(rand.NewPCG(seed, 99))
		for run := range 6 {
			s := newSearcher(j, p)
			switch run {
			case 1:
				s.Payments = nil // journal only
			case 2:
				s.ConsoleID = "" // every console of the journal
			case 3:
				s.Sellers = nil
			}
			seller := pos.Account("")
			if rng.IntN(3) == 0 {
				seller = []pos.Account{acctA, acctB, "acct_1ZZZZZZZZZZZZZZZ"}[rng.IntN(3)]
			}
			var per Period
			switch rng.IntN(3) {
			case 0:
				per = DayPeriod(day0.AddDate(0, 0, rng.IntN(3)-1), time.UTC)
			case 1: // a shift with odd bounds
				from := day0.Add(time.Duration(rng.Int64N(int64(36*time.Hour))) - 6*time.Hour)
				per = Period{From: from, To: from.Add(time.Duration(1+rng.IntN(20)) * time.Hour)}
			default:
				per = Period{From: day0.AddDate(0, 0, -2), To: day0.AddDate(0, 0, 3)}
			}
			name := fmt.Sprintf("seed %d run %d seller %q %s – %s", seed, run, seller,
				per.From.Format(time.RFC3339), per.To.Format(time.RFC3339))
			want, err := s.endOfDay(ctx, per, seller, false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.EndOfDay(ctx, per, seller)
			if err != nil {
				t.Fatal(err)
			}
			if d := reportDiff(got, want); d != "" {
				t.Errorf("%s: journal sums differ from row counts:\n%s", name, d)
			}
			if run == 0 && seed == 1 && len(want.Sellers) == 0 {
				t.Errorf("%s: empty report: the fixture is too thin", name)
			}
		}
	}
}

// reportDiff is "" when a and b have the same figures and partial
// errors (in any order), else both summaries.
func reportDiff(a, b Report) string {
	errs := func(r Report) []string {
		var out []string
		for _, e := range r.Partial {
			out = append(out, e.Error())
		}
		sort.Strings(out)
		return out
	}
	ea, eb := errs(a), errs(b)
	a.Partial, b.Partial = nil, nil
	if reflect.DeepEqual(a, b) && reflect.DeepEqual(ea, eb) {
		return ""
	}
	return fmt.Sprintf("got\n%s\n%v\nwant\n%s\n%v", strings.Join(summarize(a), "\n"), ea, strings.Join(summarize(b), "\n"), eb)
}

var shopStates = []pos.SaleState{pos.SaleDraft, pos.SaleCreating, pos.SaleProcessing, pos.SaleWaitingForCard,
	pos.SaleRequiresCapture, pos.SaleCapturing, pos.SaleApproved, pos.SaleApproved, pos.SaleApproved, pos.SaleApproved,
	pos.SaleDeclined, pos.SaleCustomerCanceled, pos.SaleReaderBusy, pos.SaleReaderOffline, pos.SaleInterrupted,
	pos.SaleUnknown, pos.SaleCanceling, pos.SaleCanceled, pos.SaleCanceled, pos.SaleFailed}

// randomShop is a journal of two consoles (till-1, till-2) and Stripe
// accounts over the three days around day0: sales of every state, with
// and without intent, charge, card, tip and decline; intents Stripe lists
// for some of them, in another status, with or without their charge;
// Stripe-only sales and reader tests; refunds in every state in the
// journal, and at Stripe; a few failing card lookups.
func randomShop(t *testing.T, seed uint64) (*journal.Journal, *fakePayments) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	j := openJournal(t, "till-1")
	p := newFakePayments()
	p.expand = rng.IntN(2) == 0
	sellers := []struct {
		id  pos.Account
		cur []string
	}{{acctA, []string{"usd", "usd", "USD", "eur"}}, {acctB, []string{"jpy"}}, {"acct_1ZZZZZZZZZZZZZZZ", []string{"usd"}}}
	brands := []string{"visa", "visa", "mastercard", "amex", ""}
	when := func() time.Time {
		if rng.IntN(10) == 0 { // on a midnight
			return day0.AddDate(0, 0, rng.IntN(3)-1)
		}
		return day0.Add(time.Duration(rng.Int64N(int64(72*time.Hour))) - 24*time.Hour).Truncate(time.Millisecond)
	}
	byConsole := map[string][]pos.Sale{}
	n := 150 + rng.IntN(150)
	for i := range n {
		sl := sellers[rng.IntN(len(sellers))]
		s := pos.Sale{ID: fmt.Sprintf("S%d-%04d", seed, i), Seller: sl.id, Currency: sl.cur[rng.IntN(len(sl.cur))],
			Amount: int64(50 + rng.IntN(20000)), State: shopStates[rng.IntN(len(shopStates))], CreatedAt: when()}
		s.UpdatedAt = s.CreatedAt
		if s.State != pos.SaleDraft && rng.IntN(5) > 0 {
			s.IntentID = fmt.Sprintf("pi_%d_%04d", seed, i)
			if s.State == pos.SaleApproved || rng.IntN(4) == 0 {
				s.ChargeID = "ch_" + s.IntentID[3:]
			}
		}
		if rng.IntN(3) > 0 {
			s.Card = pos.Card{Brand: brands[rng.IntN(len(brands))], Last4: fmt.Sprintf("%04d", rng.IntN(10000))}
		}
		if rng.IntN(2) == 0 {
			tip := int64(rng.IntN(300))
			s.Tip = &tip
		}
		if rng.IntN(4) == 0 {
			s.Decline = &pos.PaymentError{Type: "card_error", Code: "card_declined"}
		}
		console := "till-1"
		if rng.IntN(4) == 0 {
			console = "till-2"
		}
		byConsole[console] = append(byConsole[console], s)
		if s.IntentID != "" && rng.IntN(2) == 0 {
			p.add(s.Seller, randomIntent(rng, s.IntentID, s.Amount, s.Currency, s.CreatedAt.Add(time.Duration(rng.IntN(3))*time.Second)))
		}
	}
	for console, sales := range byConsole {
		j.SetOrigin(console, "ana")
		if err := j.InsertSalesBulk(context.Background(), sales); err != nil {
			t.Fatal(err)
		}
	}
	j.SetOrigin("till-1", "ana")
	for i := range 40 + rng.IntN(40) { // other channels, other consoles, reader tests
		sl := sellers[rng.IntN(len(sellers))]
		in := randomIntent(rng, fmt.Sprintf("pi_%d_x%03d", seed, i), int64(100+rng.IntN(9000)), sl.cur[0], when())
		if rng.IntN(5) == 0 {
			in.Metadata = map[string]string{"kasse_test": "1"}
		}
		p.add(sl.id, in)
	}
	for _, ins := range p.intents {
		for _, in := range ins {
			if in.Status == pos.IntentSucceeded && rng.IntN(6) == 0 {
				p.refunds[in.ID] = append(p.refunds[in.ID], pos.Refund{ID: "re_" + in.ID[3:], Amount: in.Amount / 2,
					Currency: in.Currency, Status: "succeeded", Created: in.Created.Add(time.Hour)})
			}
			if rng.IntN(25) == 0 {
				p.getErr[in.ID] = &pos.Error{Kind: pos.KindUnknown, Message: "timeout"}
			}
		}
	}
	refundStates := []pos.RefundState{pos.RefundDraft, pos.RefundRecorded, pos.RefundSent, pos.RefundPending,
		pos.RefundSucceeded, pos.RefundSucceeded, pos.RefundFailed, pos.RefundUnknown}
	for console, sales := range byConsole {
		j.SetOrigin(console, "sup")
		for _, s := range sales {
			if s.IntentID == "" || rng.IntN(5) > 0 {
				continue
			}
			rf := pos.RefundFlow{ID: "R" + s.ID, SaleID: s.ID, Seller: s.Seller, IntentID: s.IntentID, Currency: s.Currency,
				Amount: s.Amount / 3, State: refundStates[rng.IntN(len(refundStates))],
				CreatedAt: s.CreatedAt.Add(time.Duration(rng.IntN(600)) * time.Minute)}
			if err := j.SaveRefund(context.Background(), rf); err != nil {
				t.Fatal(err)
			}
		}
	}
	j.SetOrigin("till-1", "ana")
	return j, p
}

// randomIntent is an intent in any status, its charge (and card) known
// or not.
func randomIntent(rng *rand.Rand, id string, amount int64, cur string, created time.Time) pos.Intent {
	in := pos.Intent{ID: id, Amount: amount, Currency: cur, Created: created.Truncate(time.Second),
		Status: []string{pos.IntentSucceeded, pos.IntentSucceeded, pos.IntentCanceled, pos.IntentRequiresPaymentMethod,
			pos.IntentRequiresCapture, pos.IntentProcessing}[rng.IntN(6)]}
	if rng.IntN(3) == 0 {
		tip := int64(rng.IntN(200))
		in.Tip = &tip
	}
	if in.Status == pos.IntentCanceled || in.Status == pos.IntentRequiresPaymentMethod {
		if rng.IntN(2) == 0 {
			in.LastError = &pos.PaymentError{Type: "card_error", Code: "card_declined"}
		}
	}
	if in.Status == pos.IntentSucceeded || in.Status == pos.IntentRequiresCapture {
		in.AmountReceived = amount - int64(rng.IntN(2))*amount/10
		brand := []string{"visa", "mastercard", ""}[rng.IntN(3)]
		in.LatestCharge = &pos.Charge{ID: "ch_" + id[3:], Amount: amount, AmountCaptured: in.AmountReceived,
			Captured: in.Status == pos.IntentSucceeded, Status: "succeeded", Card: pos.Card{Brand: brand, Last4: "4242"}}
	}
	return in
}
