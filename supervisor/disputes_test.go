package supervisor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/internal/cli"
	"kasse/pos"
	"kasse/supervisor"
)

const disputeCard = "4000000000000259"

func (e *env) disputesCmd(stdin string, args ...string) run {
	var out, errb bytes.Buffer
	code := supervisor.RunDisputes(context.Background(), e.deps, args, cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return run{code, out.String(), errb.String()}
}

// waitDisputes waits until the desk lists n open disputes.
func (e *env) waitDisputes(n int) supervisor.DisputeList {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		list, err := e.svc.Disputes(context.Background(), supervisor.DisputeQuery{OpenOnly: true})
		if err != nil {
			e.t.Fatal(err)
		}
		if len(list.Rows) >= n {
			return list
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d open disputes, want %d", len(list.Rows), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDisputeDeskListsLinksAndRefusesRefunds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.journalSaleWith(4200, 0, false, disputeCard)
	other := e.sale(1000, false) // another console's sale
	if _, err := e.srv.DisputeCharge(other.LatestChargeID, "duplicate", false); err != nil {
		t.Fatal(err)
	}
	list := e.waitDisputes(2)
	var mine *supervisor.DisputeRow
	for i, r := range list.Rows {
		if r.Dispute.IntentID == s.IntentID {
			mine = &list.Rows[i]
		} else if r.Sale != nil {
			t.Errorf("another console's dispute linked to sale %s", r.Sale.ID)
		}
	}
	if mine == nil || mine.Sale == nil || mine.Sale.ID != s.ID || mine.SellerName != e.seller.DisplayName ||
		mine.Dispute.Reason != "fraudulent" || mine.Dispute.Status != pos.DisputeNeedsResponse {
		t.Fatalf("the sale's dispute: %+v", mine)
	}
	// The refund is refused before any refund request.
	before := e.counter.Count("CreateRefund")
	_, err := e.svc.Refund(ctx, supervisor.RefundRequest{Seller: e.seller.ID, IntentID: s.IntentID, Reason: pos.RefundRequestedByCustomer,
		Operator: "ann", PIN: thePIN})
	if !errors.Is(err, pos.ErrDisputed) || !strings.Contains(err.Error(), "fraudulent") {
		t.Errorf("refund of a disputed sale: %v", err)
	}
	if n := e.counter.Count("CreateRefund") - before; n != 0 {
		t.Errorf("%d refund requests sent for a disputed sale", n)
	}
	if a := e.auditOf("refund.rejected"); len(a) != 1 {
		t.Errorf("refund.rejected audited %d times", len(a))
	}
	// Prefill: what Kasse knows of the sale.
	ev := supervisor.Prefill(*mine)
	if !strings.Contains(ev[pos.EvidenceProductDescription], "1 × Item") || ev[pos.EvidenceServiceDate] == "" ||
		!strings.Contains(ev[pos.EvidenceUncategorizedText], "ending 0259") || !strings.Contains(ev[pos.EvidenceUncategorizedText], e.reader.ID) ||
		!strings.Contains(ev[pos.EvidenceUncategorizedText], s.IntentID) {
		t.Errorf("prefill: %#v", ev)
	}
	if err := pos.ValidateEvidence(ev); err != nil {
		t.Errorf("prefill does not validate: %v", err)
	}
}

func TestDisputeEvidenceSubmitAndAccept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s1 := e.journalSaleWith(3000, 0, false, disputeCard)
	s2 := e.journalSaleWith(1000, 0, false, disputeCard)
	list := e.waitDisputes(2)
	id := map[string]string{}
	for _, r := range list.Rows {
		id[r.Dispute.IntentID] = r.Dispute.ID
	}
	d1, d2 := id[s1.IntentID], id[s2.IntentID]

	// A cashier may not; a wrong PIN is refused; nothing is sent.
	_, err := e.svc.Evidence(ctx, supervisor.EvidenceRequest{ID: d1, Evidence: map[string]string{pos.EvidenceCustomerName: "x"}, Operator: "bo", PIN: "1357"})
	if _, ok := supervisor.AsRefusal(err); !ok {
		t.Errorf("a cashier stages evidence: %v", err)
	}
	_, err = e.svc.Evidence(ctx, supervisor.EvidenceRequest{ID: d1, Evidence: map[string]string{}, Operator: "ann", PIN: thePIN})
	if !errors.Is(err, pos.ErrEvidence) {
		t.Errorf("empty evidence: %v", err)
	}
	// Stage (seller found in the journal), then submit winning evidence.
	staged, err := e.svc.Evidence(ctx, supervisor.EvidenceRequest{ID: d1, Operator: "ann", PIN: thePIN, Why: "receipt signed",
		Evidence: map[string]string{pos.EvidenceProductDescription: "coffee", pos.EvidenceUncategorizedText: "winning_evidence"}})
	if err != nil || staged.Status != pos.DisputeNeedsResponse || !staged.HasEvidence {
		t.Fatalf("staged: %+v %v", staged, err)
	}
	sub, err := e.svc.Evidence(ctx, supervisor.EvidenceRequest{ID: d1, Submit: true, Operator: "ann", PIN: thePIN})
	if err != nil || sub.Status != pos.DisputeUnderReview || sub.SubmissionCount != 1 {
		t.Fatalf("submitted: %+v %v", sub, err)
	}
	_, err = e.svc.Evidence(ctx, supervisor.EvidenceRequest{ID: d1, Submit: true, Operator: "ann", PIN: thePIN})
	if !errors.Is(err, pos.ErrDisputeAnswered) {
		t.Errorf("submitting twice: %v", err)
	}
	for _, a := range []string{"dispute.evidence", "dispute.submit"} {
		got := e.auditOf(a)
		if len(got) != 1 || !strings.Contains(got[0].Detail, "idempotency_key=kasse-"+d1) {
			t.Errorf("audit %s: %+v", a, got)
		}
	}
	// Accept the other: lost; the journal keeps the state.
	acc, err := e.svc.Accept(ctx, supervisor.AcceptRequest{Seller: e.seller.ID, ID: d2, Operator: "ann", PIN: thePIN, Why: "no proof"})
	if err != nil || acc.Status != pos.DisputeLost {
		t.Fatalf("accept: %+v %v", acc, err)
	}
	if d, _, _ := e.journal.DisputeForIntent(ctx, s2.IntentID); d.Status != pos.DisputeLost {
		t.Errorf("journal after accept: %s", d.Status)
	}
	if _, err := e.svc.Accept(ctx, supervisor.AcceptRequest{ID: d2, Operator: "ann", PIN: thePIN}); !errors.Is(err, pos.ErrDisputeAnswered) {
		t.Errorf("accepting twice: %v", err)
	}
	// The winning evidence closes d1 as won: the refund is possible again.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := e.svc.Dispute(ctx, "", d1)
		if err == nil && r.Dispute.Status == pos.DisputeWon {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not won: %+v %v", r.Dispute.Status, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := e.svc.Refund(ctx, supervisor.RefundRequest{Seller: e.seller.ID, IntentID: s1.IntentID, Amount: 500,
		Reason: pos.RefundRequestedByCustomer, Operator: "ann", PIN: thePIN}); err != nil {
		t.Errorf("refund after a won dispute: %v", err)
	}
}

func TestRunDisputes(t *testing.T) {
	e := newEnv(t)
	s := e.journalSaleWith(2500, 0, false, disputeCard)
	list := e.waitDisputes(1)
	d := list.Rows[0].Dispute.ID

	r := e.disputesCmd("", "list")
	if r.code != 0 || !strings.Contains(r.stdout, d) || !strings.Contains(r.stdout, "fraudulent") || !strings.Contains(r.stdout, s.ID) {
		t.Errorf("list: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = e.disputesCmd("", "list", "--json")
	var rows []supervisor.DisputeJSON
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 || rows[0].SaleID != s.ID || rows[0].Amount != 2500 {
		t.Errorf("list --json: %v %s", err, r.stdout)
	}
	r = e.disputesCmd("", "show", d)
	if r.code != 0 || !strings.Contains(r.stdout, "Kasse would fill in") || !strings.Contains(r.stdout, "ending 0259") {
		t.Errorf("show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = e.disputesCmd("", "show", d, "--json")
	var one supervisor.DisputeJSON
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.Prefill[pos.EvidenceServiceDate] == "" {
		t.Errorf("show --json: %v %s", err, r.stdout)
	}
	r = e.disputesCmd("739184\n", "evidence", d, "--prefill", "--customer-name", "Jo Doe", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &one); r.code != 0 || err != nil || !one.HasEvidence || one.Status != pos.DisputeNeedsResponse {
		t.Fatalf("evidence --prefill: %d %s %s", r.code, r.stdout, r.stderr)
	}
	got, _ := e.svc.Dispute(context.Background(), "", d)
	if got.Dispute.Evidence[pos.EvidenceCustomerName] != "Jo Doe" || !strings.Contains(got.Dispute.Evidence[pos.EvidenceUncategorizedText], s.IntentID) {
		t.Errorf("evidence staged: %#v", got.Dispute.Evidence)
	}
	r = e.disputesCmd("", "submit", d)
	if r.code != supervisor.ExitUsage || !strings.Contains(r.stderr, "PIN") {
		t.Errorf("submit without a PIN: %d %s", r.code, r.stderr)
	}
	r = e.disputesCmd("0000\n", "submit", d)
	if r.code != supervisor.ExitRefused {
		t.Errorf("submit with a wrong PIN: %d %s", r.code, r.stderr)
	}
	r = e.disputesCmd("739184\n", "submit", d)
	if r.code != 0 || !strings.Contains(r.stdout, "under review") {
		t.Errorf("submit: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = e.disputesCmd("739184\n", "accept", d)
	if r.code != supervisor.ExitError || !strings.Contains(r.stderr, "under review") {
		t.Errorf("accept after submit: %d %s", r.code, r.stderr)
	}
	for _, args := range [][]string{{"frob"}, {"show"}, {"list", "--prefill"}, {"evidence", d, "--pin", "1"}, {"list", "extra"}} {
		if r := e.disputesCmd("", args...); r.code != supervisor.ExitUsage {
			t.Errorf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	if r := e.disputesCmd("", "show", "dp_unknownToTheJournal"); r.code != supervisor.ExitError || !strings.Contains(r.stderr, "--seller") {
		t.Errorf("an unknown dispute without --seller: %d %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "739184") {
		t.Error("the PIN is printed")
	}
}

// TestDisputeDeskReadsThePlatformsDisputes: a destination charge lives on
// the platform, so does its dispute; the desk reads the platform's
// disputes when a seller is charged that way, links the dispute to the
// sale and names the seller the payment was made for; a refund of the
// disputed payment is refused before any request.
func TestDisputeDeskReadsThePlatformsDisputes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	setup := pos.ChargeSetup{Type: pos.ChargeDestination, RefundFee: true}
	e.withCharges(setup)
	s := e.chargedSale(setup, 2500)
	in, err := e.client.GetIntent(ctx, pos.Platform, s.IntentID)
	if err != nil || in.LatestCharge == nil {
		t.Fatalf("the platform's payment: %+v %v", in, err)
	}
	if _, err := e.srv.DisputeCharge(in.LatestCharge.ID, "fraudulent", false); err != nil {
		t.Fatal(err)
	}
	list := e.waitDisputes(1)
	var row *supervisor.DisputeRow
	for i, r := range list.Rows {
		if r.Dispute.IntentID == s.IntentID {
			row = &list.Rows[i]
		}
	}
	if row == nil || !row.Dispute.Account.IsPlatform() || row.Sale == nil || row.Sale.ID != s.ID || row.SellerName != e.seller.DisplayName {
		t.Fatalf("the platform's dispute: %+v", row)
	}
	before := e.counter.Count("CreateRefund")
	_, err = e.svc.Refund(ctx, supervisor.RefundRequest{Seller: e.seller.ID, IntentID: s.IntentID, Reason: pos.RefundRequestedByCustomer,
		Operator: "ann", PIN: thePIN})
	if !errors.Is(err, pos.ErrDisputed) {
		t.Errorf("refund of a disputed destination charge: %v", err)
	}
	if n := e.counter.Count("CreateRefund") - before; n != 0 {
		t.Errorf("%d refund requests sent for a disputed payment", n)
	}
}
