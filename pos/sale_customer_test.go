package pos

import (
	"strings"
	"testing"
)

// The machine's steps for a customer's sale (sale_customer.go): paying with
// a saved card, sharing a wallet card with the seller, saving the card
// presented, and what a crash in between resumes.

const (
	walletCus  = "cus_wallet"
	walletCard = "pm_wallet"
	copyCus    = "cus_copy"
	clonedCard = "pm_clone"
)

// withCustomer attaches c to the sale in Draft.
func withCustomer(c SaleCustomer) func(*SaleConfig) {
	return func(cfg *SaleConfig) { cfg.Customer = &c }
}

// ownCard is the seller's own customer paying with a card saved at the seller.
func ownCard() SaleCustomer {
	return SaleCustomer{ID: "cus_own", Name: "Ava Chen", Email: "ava@example.com",
		Card: &SaleCard{ID: "pm_own", Attached: true, Brand: "amex", Last4: "0005", ExpMonth: 12, ExpYear: 2029}}
}

// wallet is a wallet customer paying with wallet card pm_wallet; copy and
// shared say what the seller already has.
func wallet(copy, shared bool) SaleCustomer {
	c := SaleCustomer{Wallet: walletCus, Name: "Mara Lindqvist", Email: "mara@example.com",
		Card: &SaleCard{Source: walletCard, Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2029}}
	if copy {
		c.ID, c.Linked = copyCus, true
	}
	if shared {
		c.Card.ID, c.Card.Attached = clonedCard, true
	}
	return c
}

func (x *h) shared() *h {
	return x.do(CardShared{At: x.next(), Seq: x.seq(), Card: SavedCard{ID: clonedCard, Type: CardTypeCard}})
}
func (x *h) copied() *h {
	return x.do(CustomerCopied{At: x.next(), Seq: x.seq(), Customer: Customer{ID: copyCus, Account: seller}})
}
func (x *h) attached() *h {
	return x.do(CardAttached{At: x.next(), Seq: x.seq(), Card: SavedCard{ID: clonedCard, Customer: copyCus}})
}

// confirmed answers a saved card's create: confirmed at once, with its charge.
func (x *h) confirmed(status string) *h {
	in := pi(status)
	in.AmountCapturable = 1000
	in.LatestCharge = &Charge{ID: "ch_1", Amount: 1000, Status: "succeeded", Card: Card{Brand: "visa", Last4: "4242"}}
	return x.do(IntentCreated{At: x.next(), Seq: x.seq(), Intent: in})
}

// cardDeclined answers a saved card's create with Stripe's 402.
func (x *h) cardDeclined(code, decline string) *h {
	return x.do(RequestFailed{At: x.next(), Seq: x.seq(), Err: &Error{Kind: KindDeclined, Code: code, DeclineCode: decline,
		Message: "Your card was declined.", HTTPStatus: 402, IntentID: ourPI}})
}

// requests counts the requests (effects awaiting an answer) of the last step.
func (x *h) requests() int {
	n := 0
	for _, e := range x.effs {
		if _, ok := EffectSeq(e); ok {
			n++
		}
	}
	return n
}

func TestSavedCardSales(t *testing.T) {
	tests := []struct {
		name string
		cus  SaleCustomer
		run  func(x *h)
	}{
		{"the seller's own card: one request, confirmed at once", ownCard(), func(x *h) {
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			req := x.req().(CreateIntent).Request
			if req.SavedCard != "pm_own" || req.Customer != "cus_own" || req.SetupFutureUsage != "" || req.Metadata[MetaWallet] != "" {
				x.t.Fatalf("request %+v", req)
			}
			x.confirmed(IntentSucceeded).expect(SaleApproved)
			if x.s.Card.Last4 != "4242" || x.s.ChargeID != "ch_1" {
				x.t.Fatalf("approval %+v", x.s.Card)
			}
		}},
		{"wallet card shared and kept at the seller already: one request", wallet(true, true), func(x *h) {
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			if req := x.req().(CreateIntent).Request; req.SavedCard != clonedCard || req.Customer != copyCus || req.Metadata[MetaWallet] != walletCus {
				x.t.Fatalf("request %+v", req)
			}
			x.confirmed(IntentSucceeded).expect(SaleApproved) // linked already: no link
		}},
		{"wallet card, the seller has the customer's copy: share, attach, charge", wallet(true, false), func(x *h) {
			x.charge().expect(SalePreparing, "Record", "ShareCard")
			if sc := x.req().(ShareCard); sc.Key != "kasse-s1-share-card-1" || sc.Seller != seller || sc.Customer != walletCus || sc.Card != walletCard {
				x.t.Fatalf("share %+v", sc)
			}
			x.shared().expect(SalePreparing, "Record", "AttachCard")
			if ac := x.req().(AttachCard); ac.Key != "kasse-s1-attach-card-1" || ac.Card != clonedCard || ac.Customer != copyCus {
				x.t.Fatalf("attach %+v", ac)
			}
			x.attached().expect(SaleCreating, "Record", "CreateIntent")
			if req := x.req().(CreateIntent).Request; req.SavedCard != clonedCard || req.Customer != copyCus {
				x.t.Fatalf("request %+v", req)
			}
			x.confirmed(IntentSucceeded).expect(SaleApproved)
		}},
		{"wallet card, first visit at this seller: share, copy the customer with the card, charge; then the link", wallet(false, false), func(x *h) {
			x.charge().expect(SalePreparing, "Record", "ShareCard")
			x.shared().expect(SalePreparing, "Record", "CopyCustomer")
			cc := x.req().(CopyCustomer)
			if cc.Key != "kasse-s1-copy-customer-1" || cc.Request.PaymentMethod != clonedCard || cc.Request.Metadata[MetaCopyOf] != walletCus ||
				cc.Request.Email != "mara@example.com" || cc.Request.Name != "Mara Lindqvist" {
				x.t.Fatalf("copy %+v", cc)
			}
			x.copied().expect(SaleCreating, "Record", "CreateIntent")
			x.confirmed(IntentSucceeded).expect(SaleApproved, "Record", "LinkCustomer")
			if l := x.effs[1].(LinkCustomer); l.Wallet != walletCus || l.Seller != seller || l.Copy != copyCus || l.Key != "kasse-s1-link-customer" {
				x.t.Fatalf("link %+v", l)
			}
			x.tick().expect(SaleApproved) // the link is written once
		}},
		{"manual capture: authorized at once", ownCard(), func(x *h) {
			x.charge().confirmed(IntentRequiresCapture).expect(SaleRequiresCapture)
			x.do(CaptureRequested{At: x.next()}).expect(SaleCapturing, "Record", "CaptureIntent")
		}},
		{"a decline (402) leaves the intent for the reader: Retry processes the same intent", ownCard(), func(x *h) {
			x.charge().cardDeclined("card_declined", "insufficient_funds").expect(SaleDeclined)
			if x.s.IntentID != ourPI || x.s.Decline == nil || x.s.Decline.DeclineCode != "insufficient_funds" || x.s.Finished() {
				x.t.Fatalf("declined sale %+v decline %+v", x.s.IntentID, x.s.Decline)
			}
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
			if p := x.req().(ProcessIntent); p.IntentID != ourPI || p.ReaderID != readerID {
				x.t.Fatalf("process %+v", p)
			}
			x.accepted().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
		}},
		{"an authentication requirement is a decline: the reader instead, or cancel", ownCard(), func(x *h) {
			x.charge().cardDeclined("authentication_required", "authentication_required").expect(SaleDeclined)
			x.cancel().expect(SaleCanceling, "Record", "CancelIntent") // no reader involved: the intent alone
			x.canceled().expect(SaleCanceled)
		}},
		{"an expired saved card is refused before anything is sent", func() SaleCustomer {
			c := ownCard()
			c.Card.ExpMonth, c.Card.ExpYear = 10, 2026
			return c
		}(), func(x *h) {
			x.charge().expect(SaleDraft)
			if !strings.Contains(x.s.Notice, "expired") {
				x.t.Fatalf("notice %q", x.s.Notice)
			}
		}},
		{"a definite refusal of the clone: back to Draft without the card, nothing charged", wallet(true, false), func(x *h) {
			x.charge().expect(SalePreparing, "Record", "ShareCard")
			x.failed(KindNotFound).expect(SaleDraft)
			if x.s.Customer.Card != nil || x.s.Customer.ID != copyCus || !strings.Contains(x.s.Notice, "Nothing was charged") || x.s.IntentID != "" {
				x.t.Fatalf("after refusal: card %v notice %q", x.s.Customer.Card, x.s.Notice)
			}
			// Charged again: the reader, with the customer.
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			if req := x.req().(CreateIntent).Request; req.SavedCard != "" || req.Customer != copyCus {
				x.t.Fatalf("request %+v", req)
			}
			x.created().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"a second round numbers fresh keys", wallet(true, false), func(x *h) {
			x.charge().failed(KindInvalidRequest).expect(SaleDraft)
			x.s = x.s.SetCustomer(func() *SaleCustomer { c := wallet(true, false); c.Preps = x.s.Customer.Preps; return &c }())
			x.charge().expect(SalePreparing, "Record", "ShareCard")
			if x.key() != "kasse-s1-share-card-2" {
				x.t.Fatalf("key %s", x.key())
			}
		}},
		{"the clone's outcome unknown: the same clone, under its key, on the next Tick", wallet(false, false), func(x *h) {
			x.charge().failed(KindUnknown).expect(SalePreparing)
			x.tick().expect(SalePreparing, "Record", "ShareCard")
			if x.key() != "kasse-s1-share-card-1" {
				x.t.Fatalf("resent under %s", x.key())
			}
			x.shared().copied().confirmed(IntentSucceeded).expect(SaleApproved, "Record", "LinkCustomer")
		}},
		{"Stripe rate limits the attach: the same attach after the back-off", wallet(true, false), func(x *h) {
			x.charge().shared().failed(KindRateLimited).expect(SalePreparing)
			x.afterThrottle().expect(SalePreparing, "Record", "AttachCard")
			if x.key() != "kasse-s1-attach-card-1" {
				x.t.Fatalf("key %s", x.key())
			}
		}},
		{"canceled while the clone is under way: canceled once it answers, nothing charged", wallet(false, false), func(x *h) {
			x.charge().cancel().expect(SalePreparing)
			x.shared().expect(SaleCanceled)
			if x.s.IntentID != "" {
				x.t.Fatal("an intent was created")
			}
		}},
		{"the journal refuses the first clone's record: back to Draft", wallet(false, false), func(x *h) {
			x.charge().do(RequestNotSent{At: x.next(), Seq: x.seq(), Op: OpShareCard, Reason: "disk full"}).expect(SaleDraft)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(start(t, withCustomer(tt.cus)))
		})
	}
}

// Sequential requests from Enter to an approved saved-card sale: 1 when
// the seller already has the card, 3 when it does not (clone, copy or
// attach, charge).
func TestSavedCardRequestsToApproval(t *testing.T) {
	for _, tc := range []struct {
		name string
		cus  SaleCustomer
		want int
	}{
		{"the seller's own card", ownCard(), 1},
		{"wallet card shared with the seller before", wallet(true, true), 1},
		{"wallet card, the seller has the copy", wallet(true, false), 3},
		{"wallet card, first visit", wallet(false, false), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := start(t, withCustomer(tc.cus))
			n := 0
			x.charge()
			for step := 0; x.s.State != SaleApproved; step++ {
				if step > 10 {
					t.Fatalf("no approval after %d steps (state %s)", step, x.s.State)
				}
				n += x.requests()
				switch x.req().(type) {
				case ShareCard:
					x.shared()
				case CopyCustomer:
					x.copied()
				case AttachCard:
					x.attached()
				case CreateIntent:
					x.confirmed(IntentSucceeded)
				default:
					t.Fatalf("unexpected request %T", x.req())
				}
			}
			if n != tc.want {
				t.Fatalf("%d sequential requests from Enter to approval, want %d", n, tc.want)
			}
		})
	}
}

// A crash between the clone and the charge: the journal holds the sale as
// the last Record wrote it; on the next start it resumes (the console's
// own sale) without a second clone, and the create is sent once, under
// its one key.
func TestSavedCardCrashBetweenCloneAndCharge(t *testing.T) {
	x := start(t, withCustomer(wallet(false, false)))
	x.charge().shared().expect(SalePreparing, "Record", "CopyCustomer")
	journal := x.effs[0].(Record).Sale // what the journal holds: the copy in flight
	// Crash. Restart: the sale comes back from the journal.
	y := &h{t: t, s: journal, now: x.now}
	y.do(Resumed{At: y.next()}).expect(SalePreparing, "Record", "CopyCustomer")
	if y.key() != "kasse-s1-copy-customer-1" || y.req().(CopyCustomer).Request.PaymentMethod != clonedCard {
		t.Fatalf("resumed with %s %+v", y.key(), y.req())
	}
	y.copied().expect(SaleCreating, "Record", "CreateIntent")
	journal = y.effs[0].(Record).Sale // the create in flight
	// Crash again, after the create was sent.
	z := &h{t: t, s: journal, now: y.now}
	z.do(Resumed{At: z.next()}).expect(SaleUnknown, "Record", "CreateIntent")
	if z.key() != journal.CreateKey() || z.req().(CreateIntent).Request.SavedCard != clonedCard {
		t.Fatalf("resent %s %+v", z.key(), z.req())
	}
	z.confirmed(IntentSucceeded).expect(SaleApproved, "Record", "LinkCustomer")
	for _, e := range []*h{x, y, z} {
		for _, eff := range e.effs {
			if _, ok := eff.(ShareCard); ok {
				t.Fatal("a second clone")
			}
		}
	}
}

// A headless run that crashed mid-preparation is settled: nothing was
// charged, so the sale is canceled without a request.
func TestSavedCardOrphanedBeforeTheCharge(t *testing.T) {
	x := start(t, withCustomer(wallet(false, false)))
	x.charge().shared()
	x.do(Orphaned{At: x.next()}).expect(SaleCanceled)
	if !x.s.Finished() {
		t.Fatal("not finished")
	}
}

func TestSaveCardOnTheReader(t *testing.T) {
	t.Run("the seller's customer: the intent asks to save, with the consent in its metadata", func(t *testing.T) {
		x := start(t, withCustomer(SaleCustomer{ID: "cus_own", Name: "Ava", SaveCard: true, ConsentBy: "anna"}))
		x.charge().expect(SaleCreating, "Record", "CreateIntent")
		req := x.req().(CreateIntent).Request
		if req.Customer != "cus_own" || req.SetupFutureUsage != "off_session" || req.SavedCard != "" || req.Metadata[MetaSaveConsent] != "anna" {
			t.Fatalf("request %+v", req)
		}
		x.created().accepted().tick().polled(rdr(withIntent(ours(ActionSucceeded), pi(IntentSucceeded)))).expect(SaleApproved, "GetIntent")
		in := paid(IntentSucceeded, 0)
		in.LatestCharge.GeneratedCard = "pm_generated"
		x.read(in).expect(SaleApproved)
		if x.s.Customer.Saved != "pm_generated" || x.s.CardNotSaved() {
			t.Fatalf("saved %q", x.s.Customer.Saved)
		}
	})
	t.Run("a phone wallet: approved, nothing saved, and the sale says so", func(t *testing.T) {
		x := start(t, withCustomer(SaleCustomer{ID: "cus_own", SaveCard: true, ConsentBy: "anna"}))
		x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), pi(IntentSucceeded)))).expect(SaleApproved, "GetIntent")
		if x.s.CardNotSaved() {
			t.Fatal("not saved before the charge was even read")
		}
		x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		if !x.s.CardNotSaved() || x.s.Customer.Saved != "" {
			t.Fatalf("card not saved: %v", x.s.CardNotSaved())
		}
	})
	t.Run("a wallet customer without a copy at the seller: the copy first, then the reader", func(t *testing.T) {
		x := start(t, withCustomer(SaleCustomer{Wallet: walletCus, Name: "Mara", Email: "mara@example.com", SaveCard: true, ConsentBy: "bea"}))
		x.charge().expect(SalePreparing, "Record", "CopyCustomer")
		if cc := x.req().(CopyCustomer); cc.Request.PaymentMethod != "" || cc.Request.Metadata[MetaCopyOf] != walletCus {
			t.Fatalf("copy %+v", cc)
		}
		x.copied().expect(SaleCreating, "Record", "CreateIntent")
		if req := x.req().(CreateIntent).Request; req.Customer != copyCus || req.SetupFutureUsage != "off_session" || req.Metadata[MetaWallet] != walletCus {
			t.Fatalf("request %+v", req)
		}
		x.created().accepted().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).
			expect(SaleApproved, "Record", "LinkCustomer")
	})
	t.Run("a wallet customer without consent: no copy, no save, the wallet named in the metadata", func(t *testing.T) {
		x := start(t, withCustomer(SaleCustomer{Wallet: walletCus, Name: "Mara", Email: "mara@example.com"}))
		x.charge().expect(SaleCreating, "Record", "CreateIntent")
		if req := x.req().(CreateIntent).Request; req.Customer != "" || req.SetupFutureUsage != "" || req.Metadata[MetaWallet] != walletCus {
			t.Fatalf("request %+v", req)
		}
	})
}

func TestSetCustomerOnlyInDraft(t *testing.T) {
	x := start(t)
	c := ownCard()
	x.s = x.s.SetCustomer(&c)
	c.Name = "changed"
	if x.s.Customer.Name != "Ava Chen" {
		t.Fatal("the sale shares the caller's customer")
	}
	x.charge()
	x.s = x.s.SetCustomer(nil)
	if x.s.Customer == nil || !strings.Contains(x.s.Notice, "before charging") {
		t.Fatalf("changed after charging: %+v %q", x.s.Customer, x.s.Notice)
	}
}

// A seller whose charges are made on the platform (destination, separate):
// the PaymentIntent lives on the platform, so a wallet customer pays with
// the wallet's own customer and card — nothing shared, copied, attached or
// linked at the seller — and a seller's own customer is refused before
// any request.
func TestCustomerOnPlatformCharges(t *testing.T) {
	for _, typ := range []ChargeType{ChargeDestination, ChargeSeparate} {
		t.Run(string(typ)+" wallet card: one request, the wallet's customer and card", func(t *testing.T) {
			x := start(t, charges(typ, FeeRule{}), withCustomer(wallet(false, false)))
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			req := x.req().(CreateIntent).Request
			if req.Customer != walletCus || req.SavedCard != walletCard || req.Metadata[MetaWallet] != walletCus {
				t.Fatalf("request %+v", req)
			}
			if typ == ChargeDestination && req.TransferDestination != seller {
				t.Fatalf("destination %q", req.TransferDestination)
			}
			x.confirmed(IntentSucceeded)
			for _, e := range x.effs {
				if _, ok := e.(LinkCustomer); ok {
					t.Fatalf("a platform charge links no seller copy: %+v", x.effs)
				}
			}
		})
		t.Run(string(typ)+" save on the reader: the wallet customer, setup_future_usage", func(t *testing.T) {
			c := wallet(false, false)
			c.Card, c.SaveCard, c.ConsentBy = nil, true, "anna"
			x := start(t, charges(typ, FeeRule{}), withCustomer(c))
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			if req := x.req().(CreateIntent).Request; req.Customer != walletCus || req.SetupFutureUsage != "off_session" {
				t.Fatalf("request %+v", req)
			}
		})
		t.Run(string(typ)+" a seller's own customer is refused, nothing sent", func(t *testing.T) {
			x := start(t, charges(typ, FeeRule{}), withCustomer(ownCard()))
			x.charge().expect(SaleDraft)
			if x.s.Notice != NoticeSellerCustomerOnPlatform {
				t.Fatalf("notice %q", x.s.Notice)
			}
		})
	}
}
