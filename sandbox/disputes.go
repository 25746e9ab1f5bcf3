package sandbox

import (
	"bytes"
	"net/http"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Disputes (stripe-api.md §11): GET /v1/disputes, GET/POST
// /v1/disputes/{id}, POST /v1/disputes/{id}/close. A dispute lives on the
// account that owns the charge (the seller, for a direct charge) and is
// listed from that account's context. This file holds the object, its
// rendering and its routes; opening, deciding and closing a dispute (test
// cards, timers, balance transactions) are in disputes_lifecycle.go.
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
