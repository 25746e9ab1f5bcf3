package widgets

import (
	"context"
	"errors"
	"strings"

	"kasse/pos"
	"kasse/ui/app"
)

// Display names, with the id as fallback.

// SellerName names a seller: its display name, else its id.
func SellerName(s pos.Seller) string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return string(s.ID)
}

// LocationName names a location: its display name, else its id.
func LocationName(l pos.Location) string {
	if l.DisplayName != "" {
		return l.DisplayName
	}
	return l.ID
}

// ReaderName names a reader: its label, else its id.
func ReaderName(r pos.Reader) string {
	if r.Label != "" {
		return r.Label
	}
	return r.ID
}

// SellerBlock returns why a seller cannot take card payments, or "".
func SellerBlock(s pos.Seller) string {
	switch {
	case s.CardPayments == pos.CapabilityPending:
		return "card_payments pending verification"
	case s.CardPayments == pos.CapabilityInactive:
		return "card_payments inactive"
	case s.CardPayments != pos.CapabilityActive:
		return "card_payments not requested"
	case !s.ChargesEnabled:
		return "charges disabled"
	}
	return ""
}

// AccountName names an account for people: the seller's name (from the
// session's seller list), or "platform".
func AccountName(sess *app.Session, a pos.Account) string {
	if a.IsPlatform() {
		return "platform"
	}
	if s, ok := sess.SellerByID(a); ok {
		return SellerName(s)
	}
	return string(a)
}

// AccountPhrase names an account in a sentence.
func AccountPhrase(sess *app.Session, a pos.Account) string {
	if a.IsPlatform() {
		return "the platform account"
	}
	return AccountName(sess, a) + "'s account"
}

// OrDash is s, or a dash for nothing.
func OrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// NonEmpty returns the strings of ss that are not empty.
func NonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// AmountNum renders amount without the currency code ("12.50"), for
// columns whose currency is given once (pos.Format is the one formatter).
func AmountNum(amount int64, currency string) string {
	s := pos.Format(amount, currency)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// ErrText renders a port error for the cashier: the kind, the (key-free)
// message and the request id when there is one.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	var pe *pos.Error
	if errors.As(err, &pe) {
		s := pe.Error()
		if pe.RequestID != "" {
			s += " [" + pe.RequestID + "]"
		}
		return s
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time (the request may still have reached Stripe)"
	}
	return err.Error()
}
