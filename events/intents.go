package events

import (
	"context"
	"errors"
	"fmt"

	"kasse/journal"
	"kasse/pos"
)

// findSale is the sale a payment belongs to: by kasse_sale_id (written
// before the intent existed), else by the PaymentIntent id.
func (h *Handler) findSale(ctx context.Context, saleID, intentID string) (pos.Sale, bool, error) {
	if saleID != "" {
		s, err := h.Journal.Sale(ctx, saleID)
		switch {
		case err == nil:
			return s, true, nil
		case !errors.Is(err, journal.ErrNotFound):
			return s, false, err
		}
	}
	return h.Journal.SaleByIntent(ctx, intentID)
}

// intentEvent: a capture or cancel by another system moves a resting sale.
func (h *Handler) intentEvent(ctx context.Context, ev pos.Event) (Result, error) {
	in := ev.Intent
	if in == nil {
		return ignored("no payment_intent in the event"), nil
	}
	saleID := in.Metadata["kasse_sale_id"]
	s, found, err := h.findSale(ctx, saleID, in.ID)
	if err != nil {
		return Result{}, err
	}
	if !found {
		if saleID != "" && (h.ConsoleID == "" || in.Metadata["kasse_console_id"] == "" || in.Metadata["kasse_console_id"] == h.ConsoleID) {
			return waits("sale "+saleID+" is not in the journal yet", saleID), nil
		}
		return ignored("payment " + in.ID + " is not a sale of this journal"), nil
	}
	release, held, err := h.claim(s)
	if err != nil {
		return Result{}, err
	}
	if held != "" {
		return waits(held, s.ID), nil
	}
	defer release()
	next, kind, out := pos.ApplyIntentEvent(s, *in, h.now())
	switch out {
	case pos.EventWait:
		return waits("the sale is under way: its own process follows the payment", s.ID), nil
	case pos.EventNoChange:
		return applied("the sale already shows it", s.ID, nil), nil
	}
	if err := h.Journal.SaveSale(ctx, next); err != nil {
		return Result{}, err
	}
	what := map[pos.NoticeKind]string{pos.NoticeCaptured: "captured", pos.NoticeCanceled: "canceled"}[kind]
	note := fmt.Sprintf("sale %s %s by another system (%s → %s)", s.ID, orWord(what, "settled"), s.State, next.State)
	if err := h.audit(ctx, "sale.event", s.ID, ev, note); err != nil {
		return Result{}, err
	}
	var n *pos.Notice
	if kind != "" {
		n = &pos.Notice{Kind: kind, Seller: s.Seller, SaleID: s.ID, IntentID: in.ID, Amount: next.Amount, Currency: next.Currency}
	}
	return applied(note, s.ID, n), nil
}

// claim makes sure no running process drives s while an event changes it.
// held says why the event must wait ("" = go ahead; call release after).
func (h *Handler) claim(s pos.Sale) (release func(), held string, err error) {
	nothing := func() {}
	if s.Finished() {
		return nothing, "", nil // nothing left to drive
	}
	if h.Holds != nil && h.Holds(s.ID) {
		if s.State == pos.SaleRequiresCapture {
			return nothing, "", nil // authorized, resting: this process only reads it again
		}
		return nil, "this console drives the sale: it settles the payment itself", nil
	}
	rel, ok, err := h.Journal.ClaimSale(s.ID)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "another running Kasse drives the sale", nil
	}
	return rel, "", nil
}
