package office_test

import (
	"strings"
	"testing"

	"kasse/i18n"
	"kasse/pos"
	"kasse/reports"
	"kasse/ui/internal/uitest"
	"kasse/ui/office"
)

// inDisputes opens the disputes desk as bea.
func inDisputes(t *testing.T, o *uitest.Office) *uitest.Harness {
	t.Helper()
	h := uitest.OpenArea(t, o, "f5", "bea", "2468")
	if _, ok := h.Top().(*office.DisputesScreen); !ok {
		t.Fatalf("not in Disputes:\n%s", h.View())
	}
	return h
}

func TestDisputesDeskListsOpenDisputes(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inDisputes(t, o)
	h.Contains("2 disputes", "Waiting for an answer", "Bäckerei Müller", "fraudulent", "needs a response",
		"till-1-20260314T140200-k1", "product not re", "inquiry: respond", "2026-03-20")
	h.Lacks("dp_lost3", "Ramen")
	h.Golden("disputes_list")
	h.Keys("/")
	h.Contains("Every dispute", "3 disputes", "Ramen Ichiban", "lost")
	uitest.UsableAt80x24(t, h, "disputes list", "Every dispute", "Bäckerei", "needs a response")
	// A cashier may not open the desk.
	h2 := uitest.OpenArea(t, uitest.OfficeDeps(), "f5", "anna", "1111")
	if _, ok := h2.Top().(*office.DisputesScreen); ok {
		t.Error("a cashier opened the disputes desk")
	}
}

func TestDisputeEvidencePrefilledStagedSubmitted(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inDisputes(t, o)
	h.Keys("enter")
	d, ok := h.Top().(*office.DisputeScreen)
	if !ok || d.Row().Dispute.ID != "dp_fraud1" {
		t.Fatalf("detail not open:\n%s", h.View())
	}
	h.Contains("Dispute dp_fraud1", "€12.50", "fraudulent", "needs a response", "(6 days left)", "VISA ····0259",
		"refused while the chargeback stands", "none yet")
	h.Golden("dispute_detail")
	h.Keys("s") // nothing staged yet
	h.Contains("Nothing is staged yet")
	h.Keys("e")
	act, ok := h.Top().(*office.DisputeActScreen)
	if !ok {
		t.Fatalf("evidence form not open:\n%s", h.View())
	}
	ev := act.Evidence()
	if !strings.Contains(ev[pos.EvidenceProductDescription], "2 × Sourdough loaf") || ev[pos.EvidenceServiceDate] != "2026-03-14" ||
		!strings.Contains(ev[pos.EvidenceUncategorizedText], "ending 0259") || !strings.Contains(ev[pos.EvidenceUncategorizedText], "tmr_counter1") {
		t.Errorf("prefilled evidence: %#v", ev)
	}
	h.Golden("dispute_evidence")
	uitest.UsableAt80x24(t, h, "dispute evidence", "Evidence for dp_fraud1")
	// A wrong PIN: refused, nothing staged, the PIN cleared.
	act.Form.FocusOn(act.NoteField())
	h.Keys("text:The customer signed the receipt.", "tab", "right") // receipt: no
	act.Form.FocusOn(act.PINField())
	h.Keys("text:9999", "enter")
	if act.PINField().Value != "" {
		t.Error("the PIN stays in the form")
	}
	h.Contains("wrong PIN")
	if got := o.Disputes.Rows[0].Dispute.HasEvidence; got {
		t.Fatal("a wrong PIN staged evidence")
	}
	h.Keys("text:2468", "enter")
	h.Contains("Evidence staged for dp_fraud1")
	got := o.Disputes.Rows[0].Dispute.Evidence
	if got[pos.EvidenceUncategorizedText] != "The customer signed the receipt." || got[pos.EvidenceProductDescription] == "" {
		t.Errorf("staged %#v", got)
	}
	h.Keys("esc") // back to the detail, which reloads
	h.Contains("Evidence (submitted 0×)", "The customer signed the receipt.")
	h.Keys("s")
	h.Contains("Submit the evidence of dp_fraud1")
	act = h.Top().(*office.DisputeActScreen)
	act.Form.FocusOn(act.PINField())
	h.Keys("text:2468", "enter")
	h.Contains("Evidence submitted for dp_fraud1: under review")
	h.Keys("esc")
	h.Contains("under review", "Evidence (submitted 1×)")
	h.Keys("a") // answered: no more
	h.Contains("This dispute is under review")
	if calls := o.Disputes.Calls(); len(calls) != 3 || !strings.Contains(calls[2], "submit=true") {
		t.Errorf("calls %v", calls)
	}
}

func TestDisputeAccept(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inDisputes(t, o)
	h.Keys("down", "enter")
	h.Contains("Dispute dp_inquiry2", "still possible (an inquiry)", "not a sale of this console")
	h.Keys("a")
	h.Contains("Accepting closes the dispute as lost", "$9.00")
	act := h.Top().(*office.DisputeActScreen)
	act.Form.FocusOn(act.PINField())
	h.Keys("text:2468", "enter")
	h.Contains("dp_inquiry2 accepted: lost")
	h.Keys("esc", "esc")
	if _, ok := h.Top().(*office.DisputesScreen); !ok {
		t.Fatalf("not back on the list:\n%s", h.View())
	}
	h.Lacks("Taco Loco", "pi_other")
}

// A payment with a chargeback: the transaction says disputed, its detail
// names the dispute and refuses the refund before any request.
func TestDisputedPaymentRefusesRefund(t *testing.T) {
	o := uitest.OfficeDeps()
	o.Rep.Rows[0].Dispute = pos.DisputeNeedsResponse
	det := o.Rep.Details["pi_paid"]
	det.Dispute = &o.Disputes.Rows[0].Dispute
	o.Rep.Details["pi_paid"] = det
	h := inTransactions(t, o)
	h.Contains("disputed")
	openTx(t, h, "pi_paid")
	h.Contains("Dispute", "needs a response · fraudulent · dp_fraud1", "Stripe refuses refunds while the chargeback")
	h.Golden("tx_detail_disputed")
	h.Keys("r")
	if _, ok := h.Top().(*office.MoneyScreen); ok {
		t.Fatal("the refund form opened for a disputed payment")
	}
	h.Contains("This payment is disputed (fraudulent, needs a response)")
	if n := strings.Count(h.View(), "This payment is disputed"); n != 1 {
		t.Errorf("the refusal is said %d times", n)
	}
	h.Golden("tx_detail_disputed_refund_refused")
	for _, c := range o.Sup.Calls() {
		if strings.HasPrefix(c, "refund") {
			t.Errorf("a refund request was made: %s", c)
		}
	}
}

func TestGermanDisputesDesk(t *testing.T) {
	o := uitest.OfficeDeps()
	o.D.Locale = i18n.New(i18n.German)
	h := uitest.OpenArea(t, o, "f5", "bea", "2468")
	h.Contains("Rückbuchungen", "Warten auf Antwort", "Antwort nötig", "12,50\u00a0€")
	h.Golden("disputes_list_de")
	h.Keys("enter")
	h.Contains("Rückbuchung dp_fraud1", "(noch 6 Tage)", "abgelehnt, solange die Rückbuchung besteht")
	// Evidence Stripe would refuse is refused here first, in German words.
	h.Keys("e")
	act, ok := h.Top().(*office.DisputeActScreen)
	if !ok {
		t.Fatalf("evidence form not open:\n%s", h.View())
	}
	act.NoteField().Value = strings.Repeat("x", 20001)
	act.Form.FocusOn(act.PINField())
	h.Keys("text:2468", "enter")
	h.Contains("Die Nachweise lassen sich so nicht senden")
	h.Contains("nimmt")
	h.Lacks("takes")
	if calls := o.Disputes.Calls(); len(calls) != 0 {
		t.Errorf("refused evidence was sent: %v", calls)
	}
}

var _ = reports.StatusApproved

// An action key pressed while the dispute is being read again (a notice,
// ctrl+r, coming back to it) is not lost: it acts once the read answers.
func TestDisputeActionKeyWhileReloading(t *testing.T) {
	o := uitest.OfficeDeps()
	h := inDisputes(t, o)
	h.Keys("enter")
	d, ok := h.Top().(*office.DisputeScreen)
	if !ok {
		t.Fatalf("detail not open:\n%s", h.View())
	}
	reload := d.Update(uitest.KeyMsg("ctrl+r")) // the read starts; its answer is held back
	if reload == nil {
		t.Fatal("ctrl+r read nothing")
	}
	if cmd := d.Update(uitest.KeyMsg("e")); cmd != nil {
		t.Fatal("e acted before the read answered")
	}
	if _, ok := h.Top().(*office.DisputeScreen); !ok {
		t.Fatal("e left the detail while it was read")
	}
	h.Run(reload) // the read answers: the evidence form opens
	if _, ok := h.Top().(*office.DisputeActScreen); !ok {
		t.Fatalf("e was lost while the dispute was read:\n%s", h.View())
	}
}
