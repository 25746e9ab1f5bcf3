package pos

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestApplyIntentEvent(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	rest := func(st SaleState) Sale {
		return Sale{ID: "s1", IntentID: "pi_1", State: st, Amount: 1000, IntentStatus: IntentRequiresCapture, AmountCapturable: 1000}
	}
	succeeded := Intent{ID: "pi_1", Status: IntentSucceeded, Amount: 1000, AmountReceived: 800, LatestChargeID: "ch_1"}
	canceled := Intent{ID: "pi_1", Status: IntentCanceled}
	cases := []struct {
		name    string
		sale    Sale
		in      Intent
		state   SaleState
		notice  NoticeKind
		outcome SaleEventOutcome
	}{
		{"captured elsewhere", rest(SaleRequiresCapture), succeeded, SaleApproved, NoticeCaptured, EventApplied},
		{"voided elsewhere", rest(SaleRequiresCapture), canceled, SaleCanceled, NoticeCanceled, EventApplied},
		{"decision, canceled elsewhere", rest(SaleDeclined), canceled, SaleCanceled, NoticeCanceled, EventApplied},
		{"already approved", rest(SaleApproved), succeeded, SaleApproved, "", EventNoChange},
		{"already canceled", rest(SaleCanceled), canceled, SaleCanceled, "", EventNoChange},
		{"approved, then an old cancel", rest(SaleApproved), canceled, SaleApproved, "", EventNoChange},
		{"capturable after the capture", rest(SaleApproved), Intent{ID: "pi_1", Status: IntentRequiresCapture}, SaleApproved, "", EventNoChange},
		{"canceled, then succeeded", rest(SaleCanceled), succeeded, SaleCanceled, "", EventNoChange},
		{"under way", rest(SaleWaitingForCard), succeeded, SaleWaitingForCard, "", EventWait},
		{"capturing", rest(SaleCapturing), succeeded, SaleCapturing, "", EventWait},
		{"intent not saved yet", Sale{ID: "s1", State: SaleCreating}, succeeded, SaleCreating, "", EventWait},
		{"another intent", rest(SaleRequiresCapture), Intent{ID: "pi_2", Status: IntentSucceeded}, SaleRequiresCapture, "", EventNoChange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, notice, out := ApplyIntentEvent(c.sale, c.in, at)
			if got.State != c.state || notice != c.notice || out != c.outcome {
				t.Fatalf("got %s %q %d, want %s %q %d", got.State, notice, out, c.state, c.notice, c.outcome)
			}
			if out == EventApplied && (!got.Finished() || got.DoneAt != at || got.AmountCapturable != 0) {
				t.Errorf("applied but %+v", got)
			}
		})
	}
	got, _, _ := ApplyIntentEvent(rest(SaleRequiresCapture), succeeded, at)
	if got.Amount != 800 || got.ChargeID != "ch_1" || got.IntentStatus != IntentSucceeded {
		t.Errorf("a partial capture elsewhere: amount %d charge %q status %q", got.Amount, got.ChargeID, got.IntentStatus)
	}
	failed := Sale{ID: "s1", IntentID: "pi_1", State: SaleFailed, IntentStatus: IntentRequiresPaymentMethod}
	got, _, out := ApplyIntentEvent(failed, canceled, at)
	if out != EventApplied || !got.Finished() {
		t.Errorf("a failed sale whose intent was canceled elsewhere is not finished: %d %+v", out, got)
	}
}

func TestDisputeOrderAndRefunds(t *testing.T) {
	opened := Dispute{ID: "dp_1", Status: DisputeNeedsResponse}
	staged := Dispute{ID: "dp_1", Status: DisputeNeedsResponse, HasEvidence: true}
	review := Dispute{ID: "dp_1", Status: DisputeUnderReview, HasEvidence: true, SubmissionCount: 1}
	won := Dispute{ID: "dp_1", Status: DisputeWon, HasEvidence: true, SubmissionCount: 1}
	order := []Dispute{opened, staged, review, won}
	for i := range order {
		for j := range order {
			if got, want := order[j].Newer(order[i]), j >= i; got != want && !(i == j) {
				t.Errorf("%d newer than %d: %v", j, i, got)
			}
		}
	}
	if !opened.BlocksRefund() || won.BlocksRefund() || (Dispute{Status: DisputeWarningNeedsResponse, ChargeRefundable: true}).BlocksRefund() {
		t.Error("BlocksRefund")
	}
	in := Intent{ID: "pi_1", Status: IntentSucceeded, Currency: "usd",
		LatestCharge: &Charge{ID: "ch_1", Amount: 1000, AmountCaptured: 1000, Captured: true, Status: "succeeded", Disputed: true}}
	cfg := RefundConfig{ID: "rf-1", Seller: "acct_1", Intent: in, Reason: RefundRequestedByCustomer}
	_, err := NewRefund(cfg, time.Now())
	if !errors.Is(err, ErrDisputed) {
		t.Errorf("a disputed charge with no dispute known: %v", err)
	}
	d := Dispute{ID: "dp_1", Reason: "fraudulent", Status: DisputeNeedsResponse}
	cfg.Dispute = &d
	if _, err = NewRefund(cfg, time.Now()); !errors.Is(err, ErrDisputed) || !strings.Contains(err.Error(), "fraudulent") {
		t.Errorf("a chargeback: %v", err)
	}
	cfg.Dispute = &Dispute{ID: "dp_1", Status: DisputeWarningNeedsResponse, ChargeRefundable: true}
	if _, err = NewRefund(cfg, time.Now()); err != nil {
		t.Errorf("an inquiry refuses the refund: %v", err)
	}
	cfg.Dispute = &won
	if _, err = NewRefund(cfg, time.Now()); err != nil {
		t.Errorf("a won chargeback refuses the refund: %v", err)
	}
}

func TestValidateEvidence(t *testing.T) {
	ok := map[string]string{EvidenceProductDescription: "2 × flat white", EvidenceUncategorizedText: "receipt …"}
	if err := ValidateEvidence(ok); err != nil {
		t.Fatal(err)
	}
	for name, ev := range map[string]map[string]string{
		"empty":     {},
		"blank":     {EvidenceProductDescription: ""},
		"unknown":   {"receipt": "file_1"},
		"too long":  {EvidenceServiceDate: strings.Repeat("x", 5001)},
		"runes ok?": {EvidenceCustomerName: strings.Repeat("ü", 5001)},
	} {
		if err := ValidateEvidence(ev); !errors.Is(err, ErrEvidence) {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := map[string]string{}
	for _, f := range []string{EvidenceProductDescription, EvidenceRefundPolicy, EvidenceUncategorizedText} {
		big[f] = strings.Repeat("x", 20000)
	}
	if err := ValidateEvidence(big); err != nil {
		t.Errorf("60000 characters: %v", err)
	}
	if err := CheckAnswerable(Dispute{ID: "dp_1", Status: DisputeUnderReview}); !errors.Is(err, ErrDisputeAnswered) {
		t.Errorf("under review: %v", err)
	}
}
