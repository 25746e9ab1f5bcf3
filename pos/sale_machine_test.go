package pos

import (
	"strings"
	"testing"
)

// Scenario tables: each row drives one sale from Draft and asserts the
// state and effects after every event.

func TestSaleHappyPaths(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"automatic capture, tip and card from the charge", func(x *h) {
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			ci := x.req().(CreateIntent)
			if ci.Key != "kasse-s1-create" || ci.Seller != seller || ci.Request.Amount != 1000 ||
				ci.Request.Currency != "usd" || ci.Request.Metadata["kasse_sale_id"] != "s1" {
				x.t.Fatalf("create = %+v", ci)
			}
			x.created().expect(SaleProcessing, "Record", "ProcessIntent")
			pr := x.req().(ProcessIntent)
			if pr.Key != "kasse-s1-process-1" || pr.IntentID != ourPI || pr.ReaderID != readerID || pr.Owner != Platform {
				x.t.Fatalf("process = %+v", pr)
			}
			x.accepted().expect(SaleWaitingForCard)
			x.tick().expect(SaleWaitingForCard, "PollReader")
			x.polled(rdr(ours(ActionInProgress))).expect(SaleWaitingForCard)
			x.tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 150)))).expect(SaleApproved)
			if x.s.Amount != 1150 || x.s.Tip == nil || *x.s.Tip != 150 || x.s.Card.Last4 != "4242" || x.s.ChargeID != "ch_1" || x.s.DoneAt.IsZero() {
				x.t.Fatalf("approval details: amount %d tip %v card %+v charge %q", x.s.Amount, x.s.Tip, x.s.Card, x.s.ChargeID)
			}
			x.tick().expect(SaleApproved) // nothing left to do
		}},
		{"approved without expanded charge: one read for the card details", func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), pi(IntentSucceeded)))).expect(SaleApproved, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
			if x.s.Card.Brand != "visa" || x.s.ChargeID != "ch_1" {
				x.t.Fatalf("card %+v", x.s.Card)
			}
		}},
		{"manual capture", func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0)))).expect(SaleRequiresCapture)
			x.do(CaptureRequested{At: x.next()}).expect(SaleCapturing, "Record", "CaptureIntent")
			if c := x.req().(CaptureIntent); c.Key != "kasse-s1-capture-1" || c.Amount != 1000 {
				x.t.Fatalf("capture = %+v", c)
			}
			x.captured(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"manual capture: capture outcome unknown, intent still uncaptured → recapture with a new key", func(x *h) {
			x.waiting().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentRequiresCapture, 0))))
			x.do(CaptureRequested{At: x.next()}).failed(KindUnknown).expect(SaleUnknown)
			x.tick().expect(SaleUnknown, "GetIntent")
			x.read(paid(IntentRequiresCapture, 0)).expect(SaleCapturing, "Record", "CaptureIntent")
			if x.key() != "kasse-s1-capture-2" {
				x.t.Fatalf("key %s", x.key())
			}
			x.failed(KindUnknown).tick().read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"cart shown on the reader while in Draft, locked after Charge", func(x *h) {
			c, _ := x.s.Cart.Add(Line{Description: "Mug", Quantity: 2, UnitPrice: 500})
			x.do(CartChanged{At: x.next(), Cart: c}).expect(SaleDraft, "Record", "SetDisplay")
			if d := x.effs[1].(SetDisplay); d.Cart.Total != 2000 || d.Key != "kasse-s1-display-1" || len(d.Cart.Lines) != 2 {
				x.t.Fatalf("display = %+v", d)
			}
			x.charge().expect(SaleCreating, "Record", "CreateIntent")
			if x.s.Request.Amount != 2000 {
				x.t.Fatalf("charged %d", x.s.Request.Amount)
			}
			x.do(CartChanged{At: x.next(), Cart: c}).expect(SaleCreating)
			if !strings.Contains(x.s.Notice, "locked") {
				x.t.Fatalf("notice %q", x.s.Notice)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := start(t)
			if strings.HasPrefix(tt.name, "manual") {
				x = start(t, manual)
			}
			tt.run(x)
		})
	}
}

func TestSaleChargeValidation(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(x *h)
		notice string
	}{
		{"no reader", func(x *h) { x.s.ReaderID = "" }, "Choose a reader"},
		{"empty cart", func(x *h) { x.s.Cart.Lines = nil }, "empty"},
		{"below minimum", func(x *h) { x.s.Cart.Lines[0].UnitPrice = 49 }, "below the minimum charge of 0.50 USD"},
		{"fee not below amount", func(x *h) { x.s.ApplicationFee = 1000 }, "application fee"},
	}
	for _, tt := range tests {
		x := start(t)
		tt.mod(x)
		x.charge().expect(SaleDraft)
		if !strings.Contains(x.s.Notice, tt.notice) {
			t.Errorf("%s: notice %q lacks %q", tt.name, x.s.Notice, tt.notice)
		}
	}
}

func TestSaleDeclines(t *testing.T) {
	tests := []struct {
		name string
		run  func(x *h)
	}{
		{"decline, retry reuses the intent with a new process key, then approve", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("card_declined", ptr(declined("insufficient_funds"))))).expect(SaleDeclined)
			if x.s.Decline == nil || x.s.Decline.DeclineCode != "insufficient_funds" {
				x.t.Fatalf("decline %+v", x.s.Decline)
			}
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
			if p := x.req().(ProcessIntent); p.IntentID != ourPI || p.Key != "kasse-s1-process-2" {
				x.t.Fatalf("retry process = %+v", p)
			}
			if x.s.Decline != nil {
				x.t.Fatal("decline not cleared on retry")
			}
			x.accepted().tick().polled(rdr(withIntent(ours(ActionSucceeded), paid(IntentSucceeded, 0)))).expect(SaleApproved)
		}},
		{"decline without expanded intent keeps the action's message", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("card_declined", nil))).expect(SaleDeclined)
			if x.s.Decline.Code != "card_declined" {
				x.t.Fatalf("decline %+v", x.s.Decline)
			}
		}},
		{"decline, then cancel: read reader, cancel intent only", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("card_declined", nil)))
			x.cancel().expect(SaleCanceling, "PollReader")
			x.polled(rdr(failedWith("card_declined", nil))).expect(SaleCanceling, "Record", "CancelIntent")
			if c := x.req().(CancelIntent); c.Key != "kasse-s1-cancel-1" || c.Reason != "requested_by_customer" || c.Seller != seller {
				x.t.Fatalf("cancel = %+v", c)
			}
			x.canceled().expect(SaleCanceled)
		}},
		{"customer pressed cancel on the reader, cashier retries", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("customer_canceled", nil))).expect(SaleCustomerCanceled)
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"expired_card failure code is a decline", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("expired_card", nil))).expect(SaleDeclined)
		}},
		{"connection_error: read the intent, it was approved", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("connection_error", nil))).expect(SaleUnknown, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
		{"connection_error: intent unpaid → interrupted, cashier decides", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("connection_error", nil))).expect(SaleUnknown, "GetIntent")
			x.read(pi(IntentRequiresPaymentMethod)).expect(SaleInterrupted)
			if x.s.Interruption != InterruptReaderError {
				x.t.Fatalf("interruption %q", x.s.Interruption)
			}
			x.retry().expect(SaleProcessing, "Record", "ProcessIntent")
		}},
		{"connection_error: authorization still running → check again on the next tick", func(x *h) {
			x.waiting().tick().polled(rdr(failedWith("connection_error", nil))).read(pi(IntentProcessing)).expect(SaleUnknown)
			x.tick().expect(SaleUnknown, "PollReader")
			x.polled(rdr(nil)).expect(SaleUnknown, "GetIntent")
			x.read(paid(IntentSucceeded, 0)).expect(SaleApproved)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(start(t)) })
	}
}

func ptr[T any](v T) *T { return &v }

func TestDeclineMessage(t *testing.T) {
	tests := []struct {
		code, decline, wantMsg, wantHint string
	}{
		{"card_declined", "insufficient_funds", "insufficient funds", "another card"},
		{"card_declined", "lost_card", "The card was declined.", "Do not retry"},
		{"card_declined", "stolen_card", "The card was declined.", "Do not retry"},
		{"card_declined", "fraudulent", "The card was declined.", "Do not retry"},
		{"expired_card", "", "expired", "another card"},
		{"incorrect_cvc", "", "security code", "Retry"},
		{"processing_error", "", "could not be processed", "Retry"},
		{"card_declined", "call_issuer", "issuer declined", "call their bank"},
		{"card_declined", "generic_decline", "The card was declined.", "another card"},
		{"card_declined", "incorrect_pin", "PIN was incorrect", "enter the PIN again"},
		{"card_declined", "withdrawal_count_limit_exceeded", "usage limit", "another card"},
		{"card_declined", "pin_try_exceeded", "Too many incorrect PIN", "another card"},
		{"card_declined", "offline_pin_required", "requires a PIN", "insert the card"},
		{"card_declined", "online_or_offline_pin_required", "requires a PIN", "enter the PIN"},
		{"card_declined", "do_not_honor", "declined", "call their bank"},
		{"card_declined", "card_not_supported", "does not support this purchase", "another card"},
		{"card_declined", "currency_not_supported", "currency", "another card"},
		{"card_declined", "something_new", "The card was declined.", "Ask for another card."},
		{"", "", "The card was declined.", "Ask for another card."},
	}
	for _, tt := range tests {
		msg, hint := DeclineReason(tt.code, tt.decline)
		if !strings.Contains(msg, tt.wantMsg) || !strings.Contains(hint, tt.wantHint) {
			t.Errorf("DeclineReason(%q, %q) = %q / %q", tt.code, tt.decline, msg, hint)
		}
		full := DeclineMessage(tt.code, tt.decline)
		if full != msg+" "+hint {
			t.Errorf("DeclineMessage = %q", full)
		}
		for _, banned := range []string{"fraud", "stolen", "lost"} {
			if strings.Contains(strings.ToLower(full), banned) {
				t.Errorf("DeclineMessage(%q) mentions %q: %q", tt.decline, banned, full)
			}
		}
	}
}
