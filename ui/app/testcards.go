package app

// TestCard is one of Stripe's card_present test cards.
type TestCard struct {
	Number string
	Label  string
}

// TestCards are the cards the console offers on simulated readers
// (Stripe's Terminal testing page): one approval and the common refusals.
// The live view's test-card picker and the reader test payment use them.
func TestCards() []TestCard {
	return []TestCard{
		{"4242424242424242", "Visa · approved"},
		{"4000000000000002", "Declined · card_declined"},
		{"4000000000009995", "Declined · insufficient_funds"},
		{"4000000000009987", "Declined · lost_card"},
		{"4000000000009979", "Declined · stolen_card"},
		{"4000000000000069", "Declined · expired_card"},
		{"4000000000000119", "Declined · processing_error"},
	}
}

// Last4 is the card number's last four digits.
func (c TestCard) Last4() string { return c.Number[len(c.Number)-4:] }
