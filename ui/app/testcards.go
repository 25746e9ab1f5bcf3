package app

import "kasse/i18n"

// TestCard is one of Stripe's card_present test cards.
type TestCard struct {
	Number string
	// Decline is the decline code the card produces ("" for the card that
	// is approved): Stripe's code, shown as is in every language.
	Decline string
	// Disputed: approved, then disputed shortly after (Stripe's dispute
	// test card; the disputes desk, f5, takes it from there).
	Disputed bool
}

// TestCards are the cards the console offers on simulated readers
// (Stripe's Terminal testing page): one approval and the common refusals.
// The live view's test-card picker and the reader test payment use them.
func TestCards() []TestCard {
	return []TestCard{ // i18n:ok Stripe's decline codes below are codes, in every language
		{Number: "4242424242424242", Decline: ""},
		{Number: "4000000000000002", Decline: "card_declined"},      // i18n:ok a decline code
		{Number: "4000000000009995", Decline: "insufficient_funds"}, // i18n:ok a decline code
		{Number: "4000000000009987", Decline: "lost_card"},          // i18n:ok a decline code
		{Number: "4000000000009979", Decline: "stolen_card"},        // i18n:ok a decline code
		{Number: "4000000000000069", Decline: "expired_card"},       // i18n:ok a decline code
		{Number: "4000000000000119", Decline: "processing_error"},   // i18n:ok a decline code
	}
}

// SaleTestCards are TestCards and, for a sale, the dispute test card
// (4000000000000259: approved, then disputed as fraudulent), so a new user
// can try the disputes desk from the console. A reader's test payment
// does not offer it: a test payment is not a sale to answer for.
func SaleTestCards() []TestCard {
	return append(TestCards(), TestCard{Number: "4000000000000259", Disputed: true})
}

// Label names the card and its outcome in loc: "Visa · approved",
// "Declined · insufficient_funds".
func (c TestCard) Label(loc *i18n.Locale) string {
	if c.Disputed {
		return loc.T("app.testcard.disputed")
	}
	if c.Decline == "" {
		return loc.T("app.testcard.approved")
	}
	return loc.T("app.testcard.declined", i18n.Args{"Code": c.Decline})
}

// Last4 is the card number's last four digits.
func (c TestCard) Last4() string { return c.Number[len(c.Number)-4:] }
