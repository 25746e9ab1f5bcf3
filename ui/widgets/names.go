package widgets

import (
	"context"
	"errors"

	"kasse/i18n"
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

// Blocked reports whether a seller cannot take card payments.
func Blocked(s pos.Seller) bool { return SellerBlock(nil, s) != "" }

// SellerBlock returns why a seller cannot take card payments, in loc, or
// "" (loc may be nil to ask only whether).
func SellerBlock(loc *i18n.Locale, s pos.Seller) string {
	if s.Charges.Type.OnPlatform() { // destination, separate: the capabilities their type needs
		return capabilityBlock(loc, s)
	}
	id := ""
	switch {
	case s.CardPayments == pos.CapabilityPending:
		id = "widgets.block.pending"
	case s.CardPayments == pos.CapabilityInactive:
		id = "widgets.block.inactive"
	case s.CardPayments != pos.CapabilityActive:
		id = "widgets.block.not_requested"
	case !s.ChargesEnabled:
		id = "widgets.block.charges_disabled"
	}
	if id == "" || loc == nil {
		return id
	}
	return loc.T(id)
}

// AccountName names an account for people: the seller's name (from the
// session's seller list), or the platform.
func AccountName(sess *app.Session, a pos.Account) string {
	if a.IsPlatform() {
		return sess.T("widgets.platform")
	}
	if s, ok := sess.SellerByID(a); ok {
		return SellerName(s)
	}
	return string(a)
}

// AccountPhrase names an account in a sentence ("the platform account",
// "Taco Loco's account").
func AccountPhrase(sess *app.Session, a pos.Account) string {
	if a.IsPlatform() {
		return sess.T("widgets.platform_account")
	}
	return sess.T("widgets.seller_account", i18n.Args{"Seller": AccountName(sess, a)})
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

// ErrText renders a port error for the cashier in loc: the kind, the
// (key-free) message and the request id when there is one. A catalogued
// error (*i18n.Error) is in loc's words; Stripe's own messages are
// Stripe's (English).
func ErrText(loc *i18n.Locale, err error) string {
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
		return loc.T("widgets.no_answer")
	}
	return loc.Err(err)
}
