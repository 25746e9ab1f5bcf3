package checkout

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"kasse/i18n"
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
	// Detail is what happened, as key=value pairs (the audit trail's
	// language-neutral form, as supervisor writes its entries): kind=sale
	// sale= was= state= amount= currency= intent= [transfer= transfer_id=]
	// [error=], or kind=refund
	// refund= state= amount= currency= refund_id=. NoteMessage reads it
	// back for people, in their language.
	Detail string
}

// Notes are the lines a settlement adds to the audit trail: one per sale
// it acted on (not a draft, which never reached Stripe; not one offered to
// the cashier or in use elsewhere, which it left alone) and one per refund.
func (s Settlement) Notes() []Note {
	var out []Note
	for _, x := range s.Sales {
		if x.Was != pos.SaleDraft && !x.Offered && !x.InUse {
			f := fields{{"kind", "sale"}, {"sale", x.Sale.ID}, {"was", string(x.Was)}, {"state", string(x.Sale.State)}, // i18n:ok the audit trail's field names
				{"amount", strconv.FormatInt(x.Amount(), 10)}, {"currency", x.Sale.Currency}, {"intent", x.Sale.IntentID}} // i18n:ok field names
			if t := x.Sale.Transfer; t != nil {
				f = append(f, field{"transfer", string(t.State)}, field{"transfer_id", t.ID}) // i18n:ok field names
			}
			if x.Err != nil {
				f = append(f, field{"error", i18n.Neutral().Err(x.Err)}) // i18n:ok a field name
			}
			out = append(out, Note{x.Sale.ID, f.String()})
		}
	}
	for _, r := range s.Refunds {
		f := fields{{"kind", "refund"}, {"refund", r.ID}, {"state", string(r.State)}, {"amount", strconv.FormatInt(r.Amount, 10)}, // i18n:ok field names
			{"currency", r.Currency}, {"refund_id", r.RefundID}} // i18n:ok field names
		out = append(out, Note{r.ID, f.String()})
	}
	return out
}

// NoteMessage reads a Note's Detail back as a message for people ("sale
// s-1: waiting_for_card → canceled · 12,50 € · pi_1"), or false for a
// detail it cannot read (an entry of an older Kasse, kept as it is).
func NoteMessage(detail string) (i18n.Message, bool) {
	f, ok := parseFields(detail)
	if !ok {
		return i18n.Message{}, false
	}
	amount, err := strconv.ParseInt(f["amount"], 10, 64)
	if err != nil {
		return i18n.Message{}, false
	}
	switch f["kind"] {
	case "sale":
		x := Reconciled{Sale: pos.Sale{ID: f["sale"], State: pos.SaleState(f["state"]), Amount: amount, Currency: f["currency"],
			IntentID: f["intent"]}, Was: pos.SaleState(f["was"])}
		if t, ok := f["transfer"]; ok {
			x.Sale.Transfer = &pos.SaleTransfer{TransferStep: pos.TransferStep{State: pos.TransferState(t), ID: f["transfer_id"]}}
		}
		if e, ok := f["error"]; ok {
			x.Err = errors.New(e) // the cause as it was written: English
		}
		return i18n.M("cli.checkout.note.sale", i18n.Args{"Line": x.LineMessage()}), true
	case "refund":
		r := pos.RefundFlow{ID: f["refund"], State: pos.RefundState(f["state"]), Amount: amount, Currency: f["currency"], RefundID: f["refund_id"]}
		return i18n.M("cli.checkout.note.refund", i18n.Args{"Line": RefundLineMessage(r)}), true
	}
	return i18n.Message{}, false
}

// field is one key=value pair of a Note.
type field struct{ key, value string }

type fields []field

// String writes the pairs, leaving out empty values; a value with a space,
// a quote or an equals sign is quoted (Go syntax).
func (fs fields) String() string {
	var b strings.Builder
	for _, f := range fs {
		if f.value == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		v := f.value
		if strings.ContainsAny(v, " \t\n\"=\\") || !utf8.ValidString(v) {
			v = strconv.Quote(v)
		}
		b.WriteString(f.key + "=" + v)
	}
	return b.String()
}

// parseFields reads what fields.String wrote; false when s is not that.
func parseFields(s string) (map[string]string, bool) {
	out := map[string]string{}
	for s != "" {
		k, rest, ok := strings.Cut(s, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \"") {
			return nil, false
		}
		var v string
		if strings.HasPrefix(rest, "\"") {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, false
			}
			v, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
			rest = " " + rest
		}
		out[k] = v
		if rest = strings.TrimPrefix(rest, " "); rest != "" && rest[0] == ' ' {
			return nil, false
		}
		s = rest
	}
	_, kind := out["kind"]
	return out, kind
}

// ForConsole splits a console start's settlement for the screen: the
// sales it settled (named in the start notice), the sales it left open for
// the cashier (offered: resume or cancel), and one line per sale that
// could not be settled or that another Kasse holds (to render in the
// session's language). Drafts are left out.
func (s Settlement) ForConsole() (settled, offered []pos.Sale, open []i18n.Message) {
	for _, x := range s.Sales {
		switch {
		case x.Was == pos.SaleDraft:
		case x.Offered:
			offered = append(offered, x.Sale)
		case x.InUse || x.Err != nil:
			open = append(open, x.LineMessage())
		default:
			settled = append(settled, x.Sale)
		}
	}
	return settled, offered, open
}

// Line is LineMessage in English: "<sale id>: waiting_for_card → canceled
// · $12.50 · pi_…".
func (x Reconciled) Line() string { return i18n.Neutral().Render(x.LineMessage()) }

// LineMessage is the sale's line for people: its id, what happened
// (SummaryMessage), its amount and its PaymentIntent.
func (x Reconciled) LineMessage() i18n.Message {
	s := x.Sale
	a := i18n.Args{"Sale": s.ID, "Summary": x.SummaryMessage(), "Amount": i18n.Money{Amount: x.Amount(), Currency: s.Currency}, "Intent": s.IntentID}
	switch amount := x.Amount(); {
	case amount > 0 && s.IntentID != "":
		return i18n.M("cli.checkout.sale_line_amount_intent", a)
	case amount > 0:
		return i18n.M("cli.checkout.sale_line_amount", a)
	case s.IntentID != "":
		return i18n.M("cli.checkout.sale_line_intent", a)
	}
	return i18n.M("cli.checkout.sale_line", a)
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

// RefundLine is RefundLineMessage in English: "<refund flow id> →
// succeeded · $5.00 · re_…".
func RefundLine(r pos.RefundFlow) string { return i18n.Neutral().Render(RefundLineMessage(r)) }

// RefundLineMessage is a refund's line for people: its id, its state, its
// amount and Stripe's refund id.
func RefundLineMessage(r pos.RefundFlow) i18n.Message {
	a := i18n.Args{"Refund": r.ID, "State": string(r.State), "Amount": i18n.Money{Amount: r.Amount, Currency: r.Currency}, "RefundID": r.RefundID}
	if r.RefundID == "" {
		return i18n.M("cli.checkout.refund_line", a)
	}
	return i18n.M("cli.checkout.refund_line_id", a)
}
