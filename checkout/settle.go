package checkout

import (
	"context"
	"errors"

	"kasse/pos"
)

// Settling at start: every command that touches the journal (the console,
// kasse charge, kasse refund, kasse reconcile) first settles what a crash
// or a lost connection left unfinished: Settle runs Reconcile, then
// ReconcileRefunds. The console offers its own open sales to the cashier
// (ReconcileOptions.Offer); everything else is settled — kept if paid,
// canceled otherwise.

// StartJournal is what Settle needs; *journal.Journal implements it.
type StartJournal interface {
	SaleJournal
	RefundJournal
}

// Settlement is what Settle did: every sale and refund the journal held
// unfinished, as saved afterwards.
type Settlement struct {
	Sales   []Reconciled
	Refunds []pos.RefundFlow
	Err     error // Reconcile's and ReconcileRefunds' errors, joined
}

// Settle reconciles the journal's unfinished sales (with opts), then its
// unfinished refunds, and reports both.
func (r *Runner) Settle(ctx context.Context, j StartJournal, opts ReconcileOptions) Settlement {
	sales, serr := r.Reconcile(ctx, j, opts)
	refunds, rerr := r.ReconcileRefunds(ctx, j)
	return Settlement{Sales: sales, Refunds: refunds, Err: errors.Join(serr, rerr)}
}

// Complete reports whether everything could be settled (or was left open
// on purpose: offered, in use elsewhere).
func (s Settlement) Complete() bool {
	for _, x := range s.Sales {
		if x.Err != nil {
			return false
		}
	}
	return s.Err == nil
}

// Note is one line of a settlement for the audit trail.
type Note struct {
	Subject string // the sale's or the refund's id
	Detail  string // "sale " + Reconciled.Line, "refund " + RefundLine
}

// Notes are the lines a settlement adds to the audit trail: one per sale
// it acted on (not a draft, which never reached Stripe; not one offered to
// the cashier or in use elsewhere, which it left alone) and one per refund.
func (s Settlement) Notes() []Note {
	var out []Note
	for _, x := range s.Sales {
		if x.Was != pos.SaleDraft && !x.Offered && !x.InUse {
			out = append(out, Note{x.Sale.ID, "sale " + x.Line()})
		}
	}
	for _, r := range s.Refunds {
		out = append(out, Note{r.ID, "refund " + RefundLine(r)})
	}
	return out
}

// ForConsole splits a console start's settlement for the screen: the
// sales it settled (named in the start notice), the sales it left open for
// the cashier (offered: resume or cancel), and one line per sale that
// could not be settled or that another Kasse holds. Drafts are left out.
func (s Settlement) ForConsole() (settled, offered []pos.Sale, open []string) {
	for _, x := range s.Sales {
		switch {
		case x.Was == pos.SaleDraft:
		case x.Offered:
			offered = append(offered, x.Sale)
		case x.InUse || x.Err != nil:
			open = append(open, x.Line())
		default:
			settled = append(settled, x.Sale)
		}
	}
	return settled, offered, open
}

// Line is "<sale id>: waiting_for_card → canceled · 12.50 USD · pi_…".
func (x Reconciled) Line() string {
	s := x.Sale
	line := s.ID + ": " + x.Summary()
	if amount := x.Amount(); amount > 0 {
		line += " · " + pos.Format(amount, s.Currency)
	}
	if s.IntentID != "" {
		line += " · " + s.IntentID
	}
	return line
}

// Amount is the sale's amount in minor units: the intent's once there is
// one, else the cart's total.
func (x Reconciled) Amount() int64 {
	if x.Sale.Amount > 0 {
		return x.Sale.Amount
	}
	return x.Sale.Cart.Total()
}

// Outcome classifies the sale for a report: in_use, not_settled,
// authorized (left for capture), or the sale's state (approved, canceled,
// …).
func (x Reconciled) Outcome() string {
	switch {
	case x.InUse:
		return "in_use"
	case x.Err != nil:
		return "not_settled"
	case x.Sale.State == pos.SaleRequiresCapture:
		return "authorized"
	}
	return string(x.Sale.State)
}

// RefundLine is "<refund flow id> → succeeded · 5.00 USD · re_…".
func RefundLine(r pos.RefundFlow) string {
	line := r.ID + " → " + string(r.State)
	if r.Amount > 0 {
		line += " · " + pos.Format(r.Amount, r.Currency)
	}
	if r.RefundID != "" {
		line += " · " + r.RefundID
	}
	return line
}
