package app

import "kasse/i18n"

// TestCard is one of Stripe's card_present test cards.
type TestCard struct {
	Number string
	// Decline is the decline code the card produces ("" for the card that
	// is approved): Stripe's code, shown as is in every language.
	Decline string
}

// TestCards are the cards the console offers on simulated readers
// (Stripe's Terminal testing page): one approval and the common refusals.
// The live view's test-card picker and the reader test payment use them.
func TestCards() []TestCard {
	return []TestCard{ // i18n:ok Stripe's decline codes below are codes, in every language
		{"4242424242424242", ""},
		{"4000000000000002", "card_declined"},      // i18n:ok a decline code
		{"4000000000009995", "insufficient_funds"}, // i18n:ok a decline code
		{"4000000000009987", "lost_card"},          // i18n:ok a decline code
		{"4000000000009979", "stolen_card"},        // i18n:ok a decline code
		{"4000000000000069", "expired_card"},       // i18n:ok a decline code
		{"4000000000000119", "processing_error"},   // i18n:ok a decline code
	}
}

// Label names the card and its outcome in loc: "Visa · approved",
// "Declined · insufficient_funds".
func (c TestCard) Label(loc *i18n.Locale) string {
	if c.Decline == "" {
		return loc.T("app.testcard.approved")
	}
	return loc.T("app.testcard.declined", i18n.Args{"Code": c.Decline})
}

// Last4 is the card number's last four digits.
func (c TestCard) Last4() string { return c.Number[len(c.Number)-4:] }
