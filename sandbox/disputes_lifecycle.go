package sandbox

import (
	"net/http"
	"time"

	"kasse/sandbox/internal/apierr"
)

// A dispute's life apart from its routes: the test cards and the timers
// that open and decide it, the balance transactions it moves, closing it,
// and DisputeCharge (a dispute opened from Go). The object, its rendering
// and its routes are in disputes.go.

// The dispute test cards.
const (
	disputeCardFraudulent  = "4000000000000259"
	disputeCardNotReceived = "4000000000002685"
	disputeCardInquiry     = "4000000000001976"
)

// disputeCards: what each dispute test card's dispute is.
var disputeCards = map[string]struct{ reason, status string }{
	disputeCardFraudulent:  {"fraudulent", "needs_response"},
	disputeCardNotReceived: {"product_not_received", "needs_response"},
	disputeCardInquiry:     {"fraudulent", "warning_needs_response"},
}

// The dispute cards are approved Visa cards wherever they are presented.
func init() {
	for n := range disputeCards {
		testCards[n] = card(n, "visa", "visa", "credit", "US")
	}
}

// Test evidence (uncategorized_text) that decides a submitted dispute.
const (
	winningEvidence = "winning_evidence"
	losingEvidence  = "losing_evidence"
)

const (
	defaultDisputeDelay = 2 * time.Second
	evidenceDays        = 7
	disputeFee          = 1500
)

// disputeIfTestCard schedules the dispute of a captured charge paid with a
// dispute test card. Called in the change that captured it.
func (s *Server) disputeIfTestCard(rq *request, ch *charge) {
	kind, ok := disputeCards[cardNumberOf(ch)]
	if !ok || !ch.Captured || ch.Disputed {
		return
	}
	s.afterDisputeDelay(func() bool { return !ch.Disputed }, func() { s.openDispute(ch, kind.reason, kind.status) })
}

// afterDisputeDelay runs do as a change of its own DisputeDelay from now,
// if still (checked then, under the lock) says it is still due.
func (s *Server) afterDisputeDelay(still func() bool, do func()) {
	delay := s.opts.DisputeDelay
	if delay <= 0 {
		delay = defaultDisputeDelay
	}
	time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if still() {
			s.change(do)
		}
	})
}

// cardNumberOf is the dispute test card a charge was paid with ("" when
// none): its card's fingerprint names it.
func cardNumberOf(ch *charge) string {
	d := ch.PaymentMethodDetails
	if d == nil {
		return ""
	}
	fp := ""
	switch {
	case d.Card != nil:
		fp = str(d.Card.Fingerprint)
	case d.CardPresent != nil:
		fp = d.CardPresent.Fingerprint
	}
	for n := range disputeCards {
		if testCards[n].fingerprint() == fp {
			return n
		}
	}
	return ""
}

// openDispute disputes ch (in a change).
func (s *Server) openDispute(ch *charge, reason, status string) {
	now := s.opts.Now()
	due := time.Unix(now.Unix(), 0).UTC().AddDate(0, 0, evidenceDays)
	dueBy := time.Date(due.Year(), due.Month(), due.Day(), 23, 59, 59, 0, time.UTC).Unix()
	d := &dispute{Meta: s.newMeta("dp", ch.Account), Object: "dispute", Amount: ch.AmountCaptured - ch.AmountRefunded,
		BalanceTransactions: []balanceTxnJSON{}, Charge: idRef(ch.ID), Created: now.Unix(), Currency: ch.Currency,
		Evidence: disputeEvidence{}, EvidenceDetails: evidenceDetailsJSON{DueBy: &dueBy}, Metadata: map[string]string{},
		PaymentIntent: ch.PaymentIntent, Reason: reason, Status: status, IsChargeRefundable: status == "warning_needs_response"}
	if d.Amount <= 0 {
		d.Amount = ch.Amount
	}
	d.PaymentMethodDetail.Type = "card"
	d.PaymentMethodDetail.Card = &struct {
		Brand             string  `json:"brand"`
		NetworkReasonCode *string `json:"network_reason_code"`
	}{Brand: brandOfCharge(ch), NetworkReasonCode: nullString(networkReasonCode(reason))}
	rq := &request{Now: now}
	put(s, s.st.disputes, d)
	s.touch(ch)
	ch.Disputed = true
	s.emit(rq, ch.Account, "charge.dispute.created", d, nil)
	if d.inquiry() {
		return
	}
	s.touch(d)
	d.BalanceTransactions = append(d.BalanceTransactions, balanceTxn(d, now, -d.Amount, disputeFee, "Chargeback withdrawal for "+ch.ID, "dispute"))
	s.emit(rq, ch.Account, "charge.dispute.funds_withdrawn", d, nil)
}

func balanceTxn(d *dispute, now time.Time, amount, fee int64, description, category string) balanceTxnJSON {
	fees := []feeJSON{}
	if fee != 0 {
		fees = append(fees, feeJSON{Amount: fee, Currency: d.Currency, Description: nullString("Dispute fee"), Type: "stripe_fee"})
	}
	return balanceTxnJSON{ID: newID("txn"), Object: "balance_transaction", Amount: amount, AvailableOn: now.Unix(),
		Created: now.Unix(), Currency: d.Currency, Description: nullString(description), Fee: fee, FeeDetails: fees,
		Net: amount - fee, ReportingCategory: category, Source: d.ID, Status: "available", Type: "adjustment"}
}

func brandOfCharge(ch *charge) string {
	switch d := ch.PaymentMethodDetails; {
	case d == nil:
	case d.Card != nil:
		return str(d.Card.Brand)
	case d.CardPresent != nil:
		return d.CardPresent.Brand
	}
	return "visa"
}

// networkReasonCode is Visa's reason code for a dispute reason (the test
// cards are Visa).
func networkReasonCode(reason string) string {
	switch reason {
	case "fraudulent":
		return "10.4"
	case "product_not_received":
		return "13.1"
	}
	return "13.7"
}

// refusedByDispute refuses a refund of a charge whose dispute is not
// refundable (a chargeback not won). Called by createRefund.
func (s *Server) refusedByDispute(ch *charge) *apierr.Error {
	if !ch.Disputed {
		return nil
	}
	for d := range s.st.disputes.All() {
		if refID(d.Charge) == ch.ID && !d.IsChargeRefundable && d.Status != "won" {
			return apierr.Invalid(http.StatusBadRequest, "charge_disputed", "charge", "Charge %s has been charged back; cannot issue a refund.", ch.ID)
		}
	}
	return nil
}

// decideLater closes a submitted dispute whose uncategorized_text is test
// evidence, DisputeDelay after submission. Called in a change.
func (s *Server) decideLater(d *dispute) {
	text := str(d.Evidence["uncategorized_text"])
	if text != winningEvidence && text != losingEvidence {
		return
	}
	s.afterDisputeDelay(func() bool { return d.Status == "under_review" || d.Status == "warning_under_review" },
		func() { s.closeDispute(d, text == winningEvidence) })
}

// closeDispute closes d as won or lost (an inquiry: warning_closed),
// reinstating a chargeback's funds when won. Called in a change.
func (s *Server) closeDispute(d *dispute, won bool) {
	now := s.opts.Now()
	rq := &request{Now: now}
	s.touch(d)
	prev := map[string]any{"status": d.Status}
	switch {
	case d.inquiry():
		d.Status = "warning_closed"
	case won:
		d.Status = "won"
	default:
		d.Status = "lost"
	}
	s.emit(rq, d.Account, "charge.dispute.closed", d, prev)
	if d.Status == "won" && len(d.BalanceTransactions) > 0 {
		s.touch(d) // emit encoded it: touch again before changing it
		d.BalanceTransactions = append(d.BalanceTransactions, balanceTxn(d, now, d.Amount, -disputeFee, "Chargeback reversal for "+refID(d.Charge), "dispute_reversal"))
		s.emit(rq, d.Account, "charge.dispute.funds_reinstated", d, nil)
	}
}

// DisputeCharge opens a dispute on charge id now, as a cardholder's bank
// would (a Go-level control for tests and demos: Stripe has no API for
// it). reason is one of Stripe's dispute reasons ("" = general);
// inquiry opens a warning_needs_response inquiry instead of a chargeback.
func (s *Server) DisputeCharge(id, reason string, inquiry bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.st.charges.Get(id)
	if !ok || !ch.Captured || ch.Disputed {
		return "", errNoDisputable(id)
	}
	if reason == "" {
		reason = "general"
	}
	status := "needs_response"
	if inquiry {
		status = "warning_needs_response"
	}
	var dp string
	s.change(func() {
		s.openDispute(ch, reason, status)
		for d := range s.st.disputes.All() {
			if refID(d.Charge) == id {
				dp = d.ID
			}
		}
	})
	return dp, nil
}

type errNoDisputable string

func (e errNoDisputable) Error() string {
	return "sandbox: charge " + string(e) + " does not exist, is not captured or is already disputed"
}
