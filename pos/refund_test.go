package pos

import (
	"errors"
	"strings"
	"testing"
)

func TestRefundable(t *testing.T) {
	tests := []struct {
		name string
		c    Charge
		want int64
	}{
		{"fresh", Charge{Amount: 1000, AmountCaptured: 1000, Captured: true, Status: "succeeded"}, 1000},
		{"partly refunded", Charge{Amount: 1000, AmountCaptured: 1000, AmountRefunded: 300, Captured: true, Status: "succeeded"}, 700},
		{"fully refunded", Charge{Amount: 1000, AmountCaptured: 1000, AmountRefunded: 1000, Captured: true, Refunded: true, Status: "succeeded"}, 0},
		// partial capture of 80.00 on 100.00: Stripe counts the released 20.00 as refunded
		{"partial capture", Charge{Amount: 10000, AmountCaptured: 8000, AmountRefunded: 2000, Captured: true, Status: "succeeded"}, 8000},
		{"partial capture then refund", Charge{Amount: 10000, AmountCaptured: 8000, AmountRefunded: 5000, Captured: true, Status: "succeeded"}, 5000},
		{"capped at captured", Charge{Amount: 10000, AmountCaptured: 8000, Captured: true, Status: "succeeded"}, 8000},
		{"uncaptured", Charge{Amount: 1000, Status: "succeeded"}, 0},
		{"failed", Charge{Amount: 1000, AmountCaptured: 1000, Captured: true, Status: "failed"}, 0},
		{"pending", Charge{Amount: 1000, AmountCaptured: 1000, Captured: true, Status: "pending"}, 0},
		{"inconsistent over-refund", Charge{Amount: 1000, AmountCaptured: 1000, AmountRefunded: 1200, Captured: true, Status: "succeeded"}, 0},
	}
	for _, tt := range tests {
		if got := Refundable(tt.c); got != tt.want {
			t.Errorf("%s: Refundable = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func paidIntent(refunded int64) Intent {
	return Intent{ID: "pi_9", Status: IntentSucceeded, Amount: 1000, Currency: "usd",
		LatestCharge: &Charge{ID: "ch_9", Amount: 1000, AmountCaptured: 1000, AmountRefunded: refunded, Captured: true, Status: "succeeded"}}
}

func TestRefundableFromIntent(t *testing.T) {
	uncapturedCharge := paidIntent(0)
	uncapturedCharge.LatestCharge = &Charge{ID: "ch_9", Amount: 1000, Status: "succeeded"}
	noCharge := paidIntent(0)
	noCharge.LatestCharge = nil
	tests := []struct {
		name string
		in   Intent
		want int64
		err  error
		msg  string
	}{
		{"succeeded", paidIntent(0), 1000, nil, ""},
		{"partly refunded", paidIntent(400), 600, nil, ""},
		{"authorized only", Intent{ID: "pi_9", Status: IntentRequiresCapture}, 0, ErrUncaptured, "capture it, or void it by canceling"},
		{"uncaptured charge", uncapturedCharge, 0, ErrUncaptured, "void"},
		{"canceled", Intent{ID: "pi_9", Status: IntentCanceled}, 0, ErrNotRefundable, "is canceled"},
		{"unpaid", Intent{ID: "pi_9", Status: IntentRequiresPaymentMethod}, 0, ErrNotRefundable, "only a succeeded payment"},
		{"charge not loaded", noCharge, 0, ErrNotRefundable, "not loaded"},
	}
	for _, tt := range tests {
		got, err := RefundableFromIntent(tt.in)
		if !errors.Is(err, tt.err) || got != tt.want || (err != nil && !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("%s: = %d, %v; want %d, %v (%q)", tt.name, got, err, tt.want, tt.err, tt.msg)
		}
	}
}

func TestValidateRefund(t *testing.T) {
	tests := []struct {
		name               string
		amount, refundable int64
		cur                string
		want               int64
		err                error
		msg                string
	}{
		{"partial", 500, 1000, "usd", 500, nil, ""},
		{"exact remainder", 1000, 1000, "usd", 1000, nil, ""},
		{"zero means full", 0, 1000, "usd", 1000, nil, ""},
		{"too much", 2500, 1000, "usd", 0, ErrRefundExceeds, "refund 25.00 USD exceeds the 10.00 USD still refundable"},
		{"jpy too much", 600, 500, "jpy", 0, ErrRefundExceeds, "refund 600 JPY exceeds the 500 JPY still refundable"},
		{"negative", -1, 1000, "usd", 0, ErrAmountNegative, "cannot be negative"},
		{"nothing left", 100, 0, "usd", 0, ErrNothingRefund, "fully refunded"},
		{"nothing left, full", 0, 0, "usd", 0, ErrNothingRefund, ""},
		{"kwd step", 1235, 5000, "kwd", 0, ErrAmountPrecision, "last of the three KWD decimals"},
		{"isk whole", 550, 5000, "isk", 0, ErrAmountPrecision, "whole units"},
		{"isk full rounds down legacy fraction", 0, 4010, "isk", 4000, nil, ""},
		{"isk legacy fraction below one krona", 0, 10, "isk", 0, ErrNothingRefund, "smallest refundable"},
		{"bad currency", 100, 1000, "??", 0, ErrCurrency, ""},
	}
	for _, tt := range tests {
		got, err := ValidateRefund(tt.amount, tt.refundable, tt.cur)
		if !errors.Is(err, tt.err) || got != tt.want || (err != nil && !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("%s: = %d, %v; want %d, %v (%q)", tt.name, got, err, tt.want, tt.err, tt.msg)
		}
	}
}

func TestParseRefundReason(t *testing.T) {
	for _, r := range RefundReasons() {
		if got, err := ParseRefundReason(string(r)); err != nil || got != r {
			t.Errorf("ParseRefundReason(%q) = %q, %v", r, got, err)
		}
	}
	for _, bad := range []string{"", "abandoned", "expired_uncaptured_charge", "Duplicate"} {
		if _, err := ParseRefundReason(bad); !errors.Is(err, ErrRefundReason) {
			t.Errorf("ParseRefundReason(%q) err = %v", bad, err)
		}
	}
}

func TestNewRefund(t *testing.T) {
	ok := RefundConfig{ID: "r1", SaleID: "s1", Seller: seller, Intent: paidIntent(300), Reason: RefundRequestedByCustomer}
	tests := []struct {
		name   string
		mod    func(*RefundConfig)
		err    error
		amount int64
	}{
		{"full remainder", func(*RefundConfig) {}, nil, 700},
		{"partial", func(c *RefundConfig) { c.Amount = 200 }, nil, 200},
		{"too much", func(c *RefundConfig) { c.Amount = 800 }, ErrRefundExceeds, 0},
		{"no reason", func(c *RefundConfig) { c.Reason = "" }, ErrRefundReason, 0},
		{"bad id", func(c *RefundConfig) { c.ID = "r 1" }, ErrRefundConfig, 0},
		{"uncaptured", func(c *RefundConfig) { c.Intent.Status = IntentRequiresCapture }, ErrUncaptured, 0},
	}
	for _, tt := range tests {
		cfg := ok
		tt.mod(&cfg)
		r, err := NewRefund(cfg, t0)
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		if err == nil && (r.Amount != tt.amount || r.State != RefundDraft || r.ChargeID != "ch_9" || r.Key() != "kasse-r1-refund") {
			t.Errorf("%s: %+v", tt.name, r)
		}
	}
	r, _ := NewRefund(ok, t0)
	req := r.Request()
	if req.IntentID != "pi_9" || req.Amount != 700 || req.Reason != "requested_by_customer" ||
		req.Metadata["kasse_refund_id"] != "r1" || req.Metadata["kasse_sale_id"] != "s1" {
		t.Errorf("request = %+v", req)
	}
}
