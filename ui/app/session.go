package app

import (
	"time"

	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
)

// Session is one cashier's console: who is signed in, where they sell
// (seller · location · reader), what they chose before, who opened the
// back office, the request numbers. Its screens share it (each holds the
// pointer) and change it in Update, on the session's own goroutine; a
// command never touches it (it captures copies). Many sessions may run in
// one process, each with its own Session, all sharing one Deps.
type Session struct {
	// Operator and Role are who signed in; Role is "" when none was given
	// (RoleOrCashier: a cashier).
	Operator string
	Role     config.Role
	// Loc is the session's language (the operator's: config's language
	// for them, else the console's, else the POSIX locale): every word,
	// amount and date its screens show goes through it. Never nil.
	Loc *i18n.Locale

	// Seller, Location and Reader are the place being sold at (nil: not
	// chosen yet); the header shows them.
	Seller   *pos.Seller
	Location *pos.Location
	Reader   *pos.Reader
	// Prefs are the remembered choices, as loaded and since changed.
	Prefs Remembered
	// Sellers is the last list of connected accounts loaded.
	Sellers []pos.Seller

	// Approver is the operator whose PIN opened the back office ("" while
	// it is closed); the header shows it.
	Approver string
	// MoneyMoved is set by a refund, void or capture; the transaction list
	// reloads when it is on top again.
	MoneyMoved bool
	// Frame is the spinner's frame, advanced by the root's animation tick.
	Frame int

	top  Screen // the screen on top, set by the root
	seq  int
	inks *Inks // the Deps' Styles as inks (Deps.Ink), measured as used
}

// NewSession starts the session of who.
func NewSession(who SignIn) *Session {
	loc := who.Locale
	if loc == nil {
		loc = i18n.New(i18n.English)
	}
	return &Session{Operator: who.Operator, Role: who.Role, Loc: loc, Prefs: Remembered{}.Clone()}
}

// T renders message id in the session's language (i18n.Locale.T).
func (s *Session) T(id string, args ...i18n.Args) string { return s.Loc.T(id, args...) }

// N renders the plural message id for count (i18n.Locale.N).
func (s *Session) N(id string, count int, args ...i18n.Args) string {
	return s.Loc.N(id, count, args...)
}

// Money renders an amount in the session's language ("12,50 €", "$12.50").
func (s *Session) Money(amount int64, currency string) string { return s.Loc.Money(amount, currency) }

// MoneyNumber renders an amount without its currency ("12,50", "12.50"),
// for a column whose currency is named once.
func (s *Session) MoneyNumber(amount int64, currency string) string {
	return s.Loc.MoneyNumber(amount, currency)
}

// FormatTime renders t with the session's layout layoutID ("format.time",
// i18n.Locale.FormatTime).
func (s *Session) FormatTime(t time.Time, layoutID string) string {
	return s.Loc.FormatTime(t, layoutID)
}

// RoleOrCashier is the signed-in role, a cashier when none was given.
func (s *Session) RoleOrCashier() config.Role {
	if s.Role == "" {
		return config.RoleCashier
	}
	return s.Role
}

// NextSeq returns a request number no screen of the session has used, so
// an answer to a screen that was closed and opened again is never taken
// for an answer to the new one.
func (s *Session) NextSeq() int {
	s.seq++
	return s.seq
}

// SetTop records the screen on top (the root does, after every message).
func (s *Session) SetTop(top Screen) { s.top = top }

// IsTop reports whether sc is the screen on top: screens with timers pause
// while hidden.
func (s *Session) IsTop(sc Screen) bool { return s.top == sc }

// UseInks makes the session render with in (nil: measure the Deps'
// Styles again) until the colour profile or background changes: the tests
// render with LipglossInks to hold the fast paths to lipgloss.
func (s *Session) UseInks(in *Inks) { s.inks = in }

// SellerByID returns the loaded seller with id.
func (s *Session) SellerByID(id pos.Account) (pos.Seller, bool) {
	for _, x := range s.Sellers {
		if x.ID == id {
			return x, true
		}
	}
	return pos.Seller{}, false
}
