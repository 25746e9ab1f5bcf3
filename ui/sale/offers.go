package sale

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Open sales at start. Reconciliation brings this console's unfinished
// sales up to date with Stripe and hands them over (Deps.Offers); the
// cashier is asked about each in turn, before anything else: resume its
// live view (the customer may still be at the counter), or cancel it (the
// reader first, compare before cancel, then the intent). Either way the
// live view opens on it, with that seller's register behind it.

// offerLoadedMsg carries what the live view of an offered sale needs.
type offerLoadedMsg struct {
	sale   pos.Sale
	resume bool
	seller pos.Seller
	loc    pos.Location
	reader pos.Reader
}

// offerDialog asks about open sale s (of n still to ask about).
func (f *Flow) offerDialog(s pos.Sale, n int) *app.Dialog {
	k, sess := f.deps.Keys, f.sess
	seller := string(s.Seller)
	if x, ok := f.sess.SellerByID(s.Seller); ok {
		seller = widgets.SellerName(x)
	}
	amount := s.Amount
	if amount == 0 {
		amount = s.Cart.Total()
	}
	when := s.ChargedAt
	if when.IsZero() {
		when = s.CreatedAt
	}
	title := sess.T("sale.offer.title")
	if n > 1 {
		title = sess.T("sale.offer.title_of", i18n.Args{"N": n})
	}
	ids := sess.T("sale.offer.sale_id", i18n.Args{"Sale": s.ID})
	if s.IntentID != "" {
		ids = sess.T("sale.offer.sale_intent_ids", i18n.Args{"Sale": s.ID, "Intent": s.IntentID})
	}
	return &app.Dialog{
		Refresh: func() *app.Dialog { return f.offerDialog(s, n) },
		Title:   title,
		Lines: []string{
			sess.T("sale.offer.rung_up", i18n.Args{"When": sess.FormatTime(when.In(f.deps.Now().Location()), "format.day_time"),
				"Doing": saleDoing(sess.Loc, s, i18n.Money{Amount: amount, Currency: s.Currency}, seller, s.ReaderID)}),
			ids,
		},
		Choices: []app.Choice{
			{Key: k.Resume, Do: func() tea.Cmd { return f.takeOffer(s, true) }, Text: sess.T("sale.offer.resume")},
			{Key: k.CancelOpen, Do: func() tea.Cmd { return f.takeOffer(s, false) }, Text: sess.T("sale.offer.cancel")},
		},
	}
}

// takeOffer loads what the live view of offered sale s needs, to resume
// or cancel it.
func (f *Flow) takeOffer(s pos.Sale, resume bool) tea.Cmd {
	if len(f.offers) > 0 && f.offers[0].ID == s.ID {
		f.offers = f.offers[1:]
	}
	f.opening = true
	return loadOfferCmd(f.deps, s, resume)
}

// loadOfferCmd reads the sale's seller, reader and location for its live
// view. What cannot be read is stood in for by the ids the sale holds: the
// sale itself is resumed or canceled either way.
func loadOfferCmd(d *app.Deps, s pos.Sale, resume bool) tea.Cmd {
	sellers, terminal := d.Sellers, d.Terminal
	return app.Timed(d.Timeout, func(ctx context.Context) tea.Msg {
		msg := offerLoadedMsg{sale: s, resume: resume,
			seller: pos.Seller{ID: s.Seller, Currency: s.Currency},
			loc:    pos.Location{ID: s.LocationID},
			reader: pos.Reader{ID: s.ReaderID, Owner: s.ReaderOwner}}
		if x, err := sellers.GetSeller(ctx, s.Seller); err == nil {
			msg.seller = x
		}
		if r, err := terminal.GetReader(ctx, s.ReaderOwner, s.ReaderID); err == nil {
			msg.reader = r
		}
		for _, owner := range []pos.Account{pos.Platform, s.Seller} {
			if msg.loc.DisplayName != "" || s.LocationID == "" {
				break
			}
			ls, _ := terminal.ListLocations(ctx, owner)
			for _, l := range ls {
				if l.ID == s.LocationID {
					if l.Owner == "" {
						l.Owner = owner
					}
					msg.loc = l
				}
			}
		}
		return msg
	})
}

// openOffered opens the live view on an offered sale, with its seller's
// register (and pickers) below it, and resumes or cancels it.
func (f *Flow) openOffered(msg offerLoadedMsg) tea.Cmd {
	f.opening = false
	seller, loc, rd := msg.seller, msg.loc, msg.reader
	f.sess.Seller, f.sess.Location, f.sess.Reader = &seller, &loc, &rd
	f.register = newRegisterScreen(f, seller, loc, rd)
	f.payment = newPaymentScreen(f, msg.sale, seller, loc, rd)
	f.payment.resume = pos.Resumed{At: f.deps.Now()}
	f.payment.note(f.sess.T("sale.offer.resumed"))
	if !msg.resume {
		f.payment.resume = pos.CancelRequested{At: f.deps.Now(), Reason: "abandoned"} // i18n:ok a Stripe cancellation reason
		f.payment.note(f.sess.T("sale.offer.canceling"))
	}
	return app.Home(newLocationsScreen(f, seller), newReadersScreen(f, loc), f.register, f.payment)
}
