package sandbox

import (
	"bytes"
	"net/http"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Disputes (stripe-api.md §11): GET /v1/disputes, GET/POST
// /v1/disputes/{id}, POST /v1/disputes/{id}/close. A dispute lives on the
// account that owns the charge (the seller, for a direct charge) and is
// listed from that account's context.
//
// Test mode, as Stripe's testing page documents it: a payment with a
// dispute test card (pm_card_createDispute, 4000000000000259: fraudulent;
// pm_card_createDisputeProductNotReceived, 4000000000002685:
// product_not_received; pm_card_createDisputeInquiry, 4000000000001976:
// an inquiry) succeeds and is disputed shortly after it is captured. The
// dispute's evidence with uncategorized_text "winning_evidence" or
// "losing_evidence", once submitted, closes it as won or lost shortly
// after; other evidence leaves it under review.
//
// What a dispute does:
//   - created: the charge shows disputed: true; charge.dispute.created; a
//     chargeback (needs_response) withdraws the amount and a dispute fee
//     (a balance transaction, charge.dispute.funds_withdrawn) and makes
//     the charge unrefundable (is_charge_refundable false): a refund is
//     400 charge_disputed "Charge ch_… has been charged back; cannot issue
//     a refund." An inquiry (warning_needs_response) withdraws nothing and
//     the charge stays refundable.
//   - updated (POST with evidence and/or metadata): submit=false stages
//     the evidence (has_evidence); submit=true (the default) submits it:
//     under_review (warning_under_review), submission_count + 1.
//     charge.dispute.updated either way, with previous_attributes.
//   - closed: won (funds and fee back: charge.dispute.funds_reinstated),
//     lost (close, or losing evidence), warning_closed (an inquiry closed):
//     charge.dispute.closed.
//
// Decisions (not documented by Stripe): the dispute opens
// Options.DisputeDelay (default 2 s) after the payment is captured, and
// test evidence decides that long after submission; evidence is due 7
// days after the dispute opens, at 23:59:59 UTC; the dispute fee is 1500
// minor units of the charge's currency; Terminal's card_present test cards
// have no dispute card, so the online dispute cards above also dispute
// when presented on a simulated reader; evidence or submit on a dispute
// that was submitted or closed is 400 (metadata may still change); close
// works only on a dispute that needs a response; a refund is refused while
// the dispute is not refundable, unless it was won; evidence file fields
// (receipt, …) name File objects, which the sandbox does not have, so any
// value is resource_missing; the timers are not kept in the state file (a
// restarted sandbox does not open or decide what it had scheduled).

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

// dispute is a dispute in its 2023-10-16 shape.
type dispute struct {
	store.Meta
	Object              string              `json:"object"`
	Amount              int64               `json:"amount"`
	BalanceTransactions []balanceTxnJSON    `json:"balance_transactions"`
	Charge              ref                 `json:"charge"`
	Created             int64               `json:"created"`
	Currency            string              `json:"currency"`
	Evidence            disputeEvidence     `json:"evidence"`
	EvidenceDetails     evidenceDetailsJSON `json:"evidence_details"`
	IsChargeRefundable  bool                `json:"is_charge_refundable"`
	Livemode            bool                `json:"livemode"`
	Metadata            map[string]string   `json:"metadata"`
	PaymentIntent       ref                 `json:"payment_intent"`
	PaymentMethodDetail disputePMDetails    `json:"payment_method_details"`
	Reason              string              `json:"reason"`
	Status              string              `json:"status"`
}

func (*dispute) objectType() string { return "dispute" }

type evidenceDetailsJSON struct {
	DueBy           *int64 `json:"due_by"`
	HasEvidence     bool   `json:"has_evidence"`
	PastDue         bool   `json:"past_due"`
	SubmissionCount int64  `json:"submission_count"`
}

type disputePMDetails struct {
	Card *struct {
		Brand             string  `json:"brand"`
		NetworkReasonCode *string `json:"network_reason_code"`
	} `json:"card"`
	Type string `json:"type"`
}

// balanceTxnJSON is a balance_transaction (the dispute's withdrawal and
// reinstatement).
type balanceTxnJSON struct {
	ID                string    `json:"id"`
	Object            string    `json:"object"`
	Amount            int64     `json:"amount"`
	AvailableOn       int64     `json:"available_on"`
	Created           int64     `json:"created"`
	Currency          string    `json:"currency"`
	Description       *string   `json:"description"`
	ExchangeRate      *float64  `json:"exchange_rate"`
	Fee               int64     `json:"fee"`
	FeeDetails        []feeJSON `json:"fee_details"`
	Net               int64     `json:"net"`
	ReportingCategory string    `json:"reporting_category"`
	Source            string    `json:"source"`
	Status            string    `json:"status"`
	Type              string    `json:"type"`
}

type feeJSON struct {
	Amount      int64   `json:"amount"`
	Application *string `json:"application"`
	Currency    string  `json:"currency"`
	Description *string `json:"description"`
	Type        string  `json:"type"`
}

// evidenceFields are dispute_evidence's properties with the update
// parameter's maximum length; 0 marks a file field (a File id).
var evidenceFields = []struct {
	name string
	max  int
}{
	{"access_activity_log", 20000}, {"billing_address", 5000}, {"cancellation_policy", 0},
	{"cancellation_policy_disclosure", 20000}, {"cancellation_rebuttal", 20000}, {"customer_communication", 0},
	{"customer_email_address", 5000}, {"customer_name", 5000}, {"customer_purchase_ip", 5000},
	{"customer_signature", 0}, {"duplicate_charge_documentation", 0}, {"duplicate_charge_explanation", 20000},
	{"duplicate_charge_id", 5000}, {"product_description", 20000}, {"receipt", 0}, {"refund_policy", 0},
	{"refund_policy_disclosure", 20000}, {"refund_refusal_explanation", 20000}, {"service_date", 5000},
	{"service_documentation", 0}, {"shipping_address", 5000}, {"shipping_carrier", 5000}, {"shipping_date", 5000},
	{"shipping_documentation", 0}, {"shipping_tracking_number", 5000}, {"uncategorized_file", 0}, {"uncategorized_text", 20000},
}

// maxEvidenceChars is Stripe's limit on all evidence text together.
const maxEvidenceChars = 150000

// disputeEvidence is dispute_evidence: every field, null when unset.
type disputeEvidence map[string]*string

// MarshalJSON writes every evidence field in the spec's order.
func (e disputeEvidence) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range evidenceFields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(appendString(nil, f.name))
		b.WriteByte(':')
		if v := e[f.name]; v != nil {
			b.Write(appendString(nil, *v))
		} else {
			b.WriteString("null")
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// open reports whether the dispute still needs a response.
func (d *dispute) open() bool {
	return d.Status == "needs_response" || d.Status == "warning_needs_response"
}

func (d *dispute) inquiry() bool {
	switch d.Status {
	case "warning_needs_response", "warning_under_review", "warning_closed":
		return true
	}
	return false
}

// disputeExpandable lists the expand[] paths of a dispute.
var disputeExpandable = []string{"charge", "payment_intent"}

func (s *Server) renderDispute(d *dispute, exp *expand.Tree) any {
	if exp.Empty() {
		return d
	}
	c := *d
	if sub := exp.Sub("charge"); sub != nil {
		if ch, ok := s.st.charges.Get(refID(d.Charge)); ok {
			c.Charge = s.renderCharge(ch, sub)
		}
	}
	if sub := exp.Sub("payment_intent"); sub != nil {
		if pi, ok := s.st.intents.Get(refID(d.PaymentIntent)); ok {
			c.PaymentIntent = s.renderIntent(pi, sub)
		}
	}
	return &c
}

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

func (s *Server) findDispute(rq *request, id string) (*dispute, *apierr.Error) {
	d, ok := s.st.disputes.Get(id)
	if !ok || !owned(d, rq) {
		return nil, apierr.NoSuch("dispute", id).WithParam("dispute")
	}
	return d, nil
}

// getDispute: GET /v1/disputes/{id}.
func (s *Server) getDispute(rq *request) (any, *apierr.Error) {
	return retrieve(rq, disputeExpandable, s.findDispute, s.renderDispute)
}

// listDisputes: GET /v1/disputes, newest first; filters charge,
// payment_intent, created.
func (s *Server) listDisputes(rq *request) (any, *apierr.Error) {
	created, pg, err := parseList(rq, disputeExpandable)
	if err != nil {
		return nil, err
	}
	chF, piF := rq.Params.Child("charge"), rq.Params.Child("payment_intent")
	return listTable(s, rq, s.st.disputes, pg, func(d *dispute) bool {
		return created.Match(d.Created) && (chF == nil || refID(d.Charge) == chF.Value()) &&
			(piF == nil || refID(d.PaymentIntent) == piF.Value())
	}, "/v1/disputes", s.renderDispute)
}

// updateDispute: POST /v1/disputes/{id} (evidence, metadata, submit).
func (s *Server) updateDispute(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, disputeExpandable); err != nil {
		return nil, err
	}
	submitParam, err := form.Bool(p, "submit", "submit")
	if err != nil {
		return nil, err
	}
	d, err := s.findDispute(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	ev := p.Child("evidence")
	if err := form.Object(ev, "evidence"); err != nil {
		return nil, err
	}
	evidence := disputeEvidence{}
	for k, v := range d.Evidence {
		evidence[k] = v
	}
	if ev != nil {
		names := make([]string, len(evidenceFields))
		for i, f := range evidenceFields {
			names[i] = f.name
		}
		if err := form.Only(ev, "evidence", names...); err != nil {
			return nil, err
		}
		for _, f := range evidenceFields {
			param := "evidence[" + f.name + "]"
			v, ok, err := form.String(ev, f.name, param, f.max)
			if err != nil || !ok {
				if err != nil {
					return nil, err
				}
				continue
			}
			if f.max == 0 && v != "" {
				return nil, apierr.NoSuch("file", v).WithParam(param)
			}
			evidence[f.name] = nullString(v)
		}
		total := 0
		for _, v := range evidence {
			if v != nil {
				total += len([]rune(*v))
			}
		}
		if total > maxEvidenceChars {
			return nil, apierr.InvalidParam("evidence", "The combined character count of all evidence fields is limited to %d; these have %d.", maxEvidenceChars, total)
		}
	}
	// submit defaults to true, and counts only with evidence to submit.
	submit := submitParam == nil || *submitParam
	changesEvidence := ev != nil || submitParam != nil && *submitParam
	if changesEvidence && !d.open() {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "evidence",
			"This dispute is %s: its evidence was already submitted or it is closed, so evidence can no longer be changed or submitted.", d.Status)
	}
	metadata, err := form.Metadata(p, d.Metadata)
	if err != nil {
		return nil, err
	}
	prev := map[string]any{}
	s.touch(d)
	if p.Has("metadata") && !sameMap(metadata, d.Metadata) {
		prev["metadata"] = d.Metadata
		d.Metadata = metadata
	}
	if changesEvidence {
		prev["evidence"], prev["evidence_details"] = d.Evidence, d.EvidenceDetails
		d.Evidence = evidence
		d.EvidenceDetails.HasEvidence = true
		if submit && (ev != nil || submitParam != nil) {
			prev["status"] = d.Status
			d.EvidenceDetails.SubmissionCount++
			d.EvidenceDetails.PastDue = d.EvidenceDetails.DueBy != nil && rq.Now.Unix() > *d.EvidenceDetails.DueBy
			if d.inquiry() {
				d.Status = "warning_under_review"
			} else {
				d.Status = "under_review"
			}
			s.decideLater(d)
		}
	}
	if len(prev) > 0 { // an update that changes nothing raises no event
		s.emit(rq, d.Account, "charge.dispute.updated", d, prev)
	}
	return s.renderDispute(d, rq.Expand), nil
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

// closeDisputeRoute: POST /v1/disputes/{id}/close — accept the loss.
func (s *Server) closeDisputeRoute(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, disputeExpandable); err != nil {
		return nil, err
	}
	d, err := s.findDispute(rq, rq.ID)
	if err != nil {
		return nil, err
	}
	if !d.open() {
		return nil, apierr.Invalid(http.StatusBadRequest, "", "",
			"This dispute is %s and cannot be closed: only a dispute that needs a response can be closed.", d.Status)
	}
	s.closeDispute(d, false)
	return s.renderDispute(d, rq.Expand), nil
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
