package customers

import (
	"context"
	"fmt"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

// What a sale for a customer needs, found before the cashier presses Enter
// (reads only: the requests that change something are the sale machine's,
// recorded before they are sent; pos sale_customer.go).

// Copy is the seller's copy of a wallet customer and the cards it keeps.
type Copy struct {
	Customer pos.Customer // zero when the seller has no copy yet
	Cards    []pos.SavedCard
	// Linked: the wallet customer's metadata names the copy (else it was
	// found by email and the sale names it afterwards).
	Linked bool
}

// Shared returns the seller's copy of walletCard ("" when the seller has
// none).
func (c Copy) Shared(walletCard string) pos.SavedCard {
	for _, k := range c.Cards {
		if k.SharedFrom == walletCard && k.Customer == c.Customer.ID {
			return k
		}
	}
	return pos.SavedCard{}
}

// AtSeller finds seller's copy of the wallet customer w: the one w's
// metadata names (MetaCopyPrefix), else one found by w's email that
// names w (MetaCopyOf). A named copy that was deleted counts as none.
func (s *Service) AtSeller(ctx context.Context, seller pos.Account, w pos.Customer) (Copy, error) {
	if id := w.CopyAt(seller); id != "" {
		c, err := s.Customers.GetCustomer(ctx, seller, id)
		switch {
		case err == nil && !c.Deleted:
			cards, err := s.Customers.ListCards(ctx, seller, c.ID)
			return Copy{Customer: c, Cards: cards, Linked: true}, err
		case err != nil && !pos.IsKind(err, pos.KindNotFound):
			return Copy{}, err
		}
	}
	if w.Email == "" {
		return Copy{}, nil
	}
	found, err := s.Customers.ListCustomers(ctx, seller, pos.CustomerFilter{Email: w.Email, Limit: 10})
	if err != nil {
		return Copy{}, err
	}
	for _, c := range found {
		if c.CopyOf() == w.ID && !c.Deleted {
			cards, err := s.Customers.ListCards(ctx, seller, c.ID)
			return Copy{Customer: c, Cards: cards}, err
		}
	}
	return Copy{}, nil
}

// Choice is what the cashier chose for a sale: the customer (of the seller
// or of the wallet), a saved card to charge (nil: the reader), whether the
// customer agreed to save the card presented on the reader, and who
// confirmed that consent.
type Choice struct {
	Seller    pos.Account
	Customer  pos.Customer
	Card      *pos.SavedCard
	SaveCard  bool
	ConsentBy string
	At        time.Time // to judge the card's expiry
}

// ForSale checks the choice and builds the sale's customer: for a wallet
// customer it looks up the seller's copy and whether the seller has the
// card already, so that the sale makes only the requests it needs. Bad
// input (*BadInput) is refused before anything is sent.
func (s *Service) ForSale(ctx context.Context, ch Choice) (*pos.SaleCustomer, error) {
	cus := ch.Customer
	if cus.Deleted {
		return nil, bad(ErrCustomerGone, Value(cus.ID))
	}
	wallet := cus.Account.IsPlatform() && !ch.Seller.IsPlatform()
	if !wallet && cus.Account != ch.Seller {
		return nil, bad(ErrNotFound, i18n.M("cli.customers.detail.other_account", i18n.Args{"Customer": cus.ID, "Account": cus.Account.String()}))
	}
	if k := ch.Card; k != nil {
		switch {
		case k.Type == pos.CardTypePresent:
			return nil, bad(ErrCardPresent, Value(k.ID))
		case k.Account != cus.Account || k.Customer != cus.ID:
			return nil, bad(ErrNotTheirs, i18n.M("cli.customers.detail.not_theirs", i18n.Args{"Card": k.ID, "Customer": cus.Label()}))
		case k.Expired(ch.At):
			return nil, bad(ErrCardExpired, i18n.M("cli.customers.detail.card_expired", i18n.Args{"Card": k.ID, "Brand": k.Brand, "Last4": k.Last4,
				"Expiry": expiry(k.ExpMonth, k.ExpYear)}))
		}
	}
	sc := &pos.SaleCustomer{Name: cus.Name, Email: cus.Email, SaveCard: ch.SaveCard && ch.Card == nil, ConsentBy: ch.ConsentBy}
	var card *pos.SaleCard
	if k := ch.Card; k != nil {
		card = &pos.SaleCard{Brand: k.Brand, Last4: k.Last4, ExpMonth: k.ExpMonth, ExpYear: k.ExpYear}
	}
	if !wallet {
		sc.ID = cus.ID
		if card != nil {
			card.ID, card.Attached = ch.Card.ID, true
		}
		sc.Card = card
		return sc, nil
	}
	sc.Wallet = cus.ID
	cp, err := s.AtSeller(ctx, ch.Seller, cus)
	if err != nil {
		return nil, err
	}
	sc.ID, sc.Linked = cp.Customer.ID, cp.Linked
	if card != nil {
		card.Source = ch.Card.ID
		if shared := cp.Shared(ch.Card.ID); shared.ID != "" {
			card.ID, card.Attached = shared.ID, true
		}
	}
	sc.Card = card
	return sc, nil
}

// Find reads customer id on seller, else on the platform (the wallet).
func (s *Service) Find(ctx context.Context, seller pos.Account, id string) (pos.Customer, error) {
	c, err := s.Customers.GetCustomer(ctx, seller, id)
	if err == nil || !pos.IsKind(err, pos.KindNotFound) || seller.IsPlatform() {
		if err == nil && c.Deleted {
			return c, bad(ErrCustomerGone, Value(id))
		}
		if pos.IsKind(err, pos.KindNotFound) {
			return c, bad(ErrNotFound, Value(id))
		}
		return c, err
	}
	c, err = s.Customers.GetCustomer(ctx, pos.Platform, id)
	switch {
	case pos.IsKind(err, pos.KindNotFound):
		return c, bad(ErrNotFound, i18n.M("cli.customers.detail.nowhere", i18n.Args{"Customer": id, "Seller": string(seller)}))
	case err == nil && c.Deleted:
		return c, bad(ErrCustomerGone, Value(id))
	}
	return c, err
}

// Card reads saved card id of customer c.
func (s *Service) Card(ctx context.Context, c pos.Customer, id string) (pos.SavedCard, error) {
	k, err := s.Customers.GetCard(ctx, c.Account, id)
	if pos.IsKind(err, pos.KindNotFound) {
		return k, bad(ErrCardNotFound, i18n.M("cli.customers.detail.card_elsewhere", i18n.Args{"Card": id, "Customer": c.Label()}))
	}
	return k, err
}

// expiry is a card's expiry as cards print it: "04/2024".
func expiry(month, year int) string { return fmt.Sprintf("%02d/%d", month, year) }
