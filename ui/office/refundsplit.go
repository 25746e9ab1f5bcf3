package office

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// The refund form shows, before the supervisor confirms, what the refund
// takes back from whom: from the seller, from the platform, and how —
// the seller's transfer reversed, the platform's fee given back or kept.
// It reads the payment through Supervisor.Lookup (the same facts the
// refund is made from) and plans the split for the amount typed
// (pos.PlanRefund via supervisor.Payment.Shares).

// refundSplit is the payment the form plans refunds of.
type refundSplit struct {
	loaded  bool
	payment supervisor.Payment
	err     error
}

// splitLoadedMsg answers the lookup.
type splitLoadedMsg struct {
	intent  string
	payment supervisor.Payment
	err     error
}

// loadSplit reads the payment of the form's refund.
func (s *moneyScreen) loadSplit() tea.Cmd {
	sv := s.deps.Supervisor
	if s.act != actRefund || sv == nil {
		return nil
	}
	seller, id := s.row.Seller, s.d.Intent.ID
	return app.Timed(s.deps.Timeout, func(ctx context.Context) tea.Msg {
		p, err := sv.Lookup(ctx, seller, id)
		return splitLoadedMsg{intent: id, payment: p, err: err}
	})
}

// splitLines are the preview's lines for the amount typed (0: all that
// remains), in the session's language; problem is set when the refund
// would be refused for its split.
func (s *moneyScreen) splitLines() (lines []string, problem string) {
	loc, cur := s.sess.Loc, s.d.Intent.Currency
	sp := s.split
	switch {
	case sp == nil:
		return nil, ""
	case !sp.loaded:
		return []string{loc.T("fees.refund.loading")}, ""
	case sp.err != nil:
		return []string{loc.T("fees.refund.unread", i18n.Args{"Error": widgets.ErrText(loc, sp.err)})}, ""
	}
	amount := int64(0)
	if t := s.amount.Text(); t != "" {
		a, err := loc.ParseAmount(t, cur)
		if err != nil || a <= 0 {
			return nil, "" // the amount's own hint says what is wrong
		}
		amount = a
	}
	sh, err := sp.payment.Shares(amount)
	if err != nil {
		return nil, splitProblem(loc, err, sp.payment, amount, cur)
	}
	money := func(v int64) i18n.Money { return i18n.Money{Amount: v, Currency: cur} }
	lines = append(lines, loc.T("fees.refund.split", i18n.Args{"Amount": money(sh.Amount), "Seller": money(sh.Seller), "Platform": money(sh.Platform)}))
	if sh.Reversal > 0 {
		lines = append(lines, loc.T("fees.refund.reversal", i18n.Args{"Amount": money(sh.Reversal)}))
	}
	switch f := sp.payment.Facts; {
	case sh.FeeRefund > 0:
		lines = append(lines, loc.T("fees.refund.fee_back", i18n.Args{"Amount": money(sh.FeeRefund)}))
	case f.Type.Or() != pos.ChargeSeparate && f.Fee > f.FeeRefunded:
		lines = append(lines, loc.T("fees.refund.fee_kept"))
	}
	return lines, ""
}

// splitProblem renders why the split refuses a refund.
func splitProblem(loc *i18n.Locale, err error, p supervisor.Payment, amount int64, cur string) string {
	if amount == 0 {
		amount = p.Refundable
	}
	if m, ok := i18n.RefundSplitProblem(err, p.Facts, amount, cur); ok {
		return loc.Render(m)
	}
	return widgets.ErrText(loc, err)
}
