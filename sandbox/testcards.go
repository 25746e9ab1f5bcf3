package sandbox

import (
	"crypto/sha256"
	"strings"
)

// Test cards and test amounts of Stripe's Terminal testing page
// (stripe-api.md §2.3, §2.4), for present_payment_method on simulated
// readers.

// testCard is a card the simulated reader "reads".
type testCard struct {
	number  string
	brand   string // payment_method_details brand: visa, mastercard, amex, …
	network string // card network the payment ran on
	funding string // credit | debit | prepaid
	country string
	cvm     string // receipt.cardholder_verification_method
	// decline makes every payment with this card fail (a decline outcome).
	decline *declineOutcome
	// wallet is the mobile wallet the card is in ("apple_pay",
	// "google_pay"; "" for a plastic card): a reader reads it contactless
	// and generates no reusable card from it.
	wallet string
	// authentication: charged without a reader, the card needs 3D Secure
	// (card.go).
	authentication bool
	// fp is fingerprint(), computed once by card (a hash per charge and
	// per dispute-card check otherwise).
	fp string
}

func (c *testCard) last4() string { return c.number[len(c.number)-4:] }

// fingerprint is stable per card number, like Stripe's.
func (c *testCard) fingerprint() string {
	if c.fp != "" {
		return c.fp
	}
	return cardFingerprint(c.number)
}

func cardFingerprint(number string) string {
	sum := sha256.Sum256([]byte("kasse-sandbox-card:" + number))
	out := make([]byte, 16)
	for i := range out {
		out[i] = idAlphabet[int(sum[i])%len(idAlphabet)]
	}
	return string(out)
}

// accountType is the EMV receipt's account type for the card's funding.
func (c *testCard) accountType() string {
	switch c.funding {
	case "debit":
		return "checking"
	case "prepaid":
		return "prepaid"
	case "credit":
		return "credit"
	}
	return "unknown"
}

// declineOutcome is how a presented card fails.
type declineOutcome struct {
	code        string // last_payment_error.code / charge.failure_code
	declineCode string // last_payment_error.decline_code ("" = none)
	message     string
	outcomeType string // charge.outcome.type
	network     string // charge.outcome.network_status
}

// Decline messages are Stripe's card_error messages. Decisions (UNVERIFIED
// for Terminal): every issuer decline other than insufficient funds reads
// "Your card was declined.", as Stripe's card declines do for online cards;
// expired_card and processing_error carry their own code and decline_code
// equal to it (Stripe's declined-payments test table).
func issuerDecline(code, declineCode string) *declineOutcome {
	msg := "Your card was declined."
	switch declineCode {
	case "insufficient_funds":
		msg = "Your card has insufficient funds."
	case "expired_card":
		msg = "Your card has expired."
	case "processing_error":
		msg = "An error occurred while processing your card. Try again in a little bit."
	case "live_mode_test_card":
		msg = "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing."
	}
	return &declineOutcome{code: code, declineCode: declineCode, message: msg, outcomeType: "issuer_declined", network: "declined_by_network"}
}

// incorrectNumber: a number that is not a card number at all never reaches
// the network. Stripe answers incorrect_number without a decline_code.
var incorrectNumber = &declineOutcome{code: "incorrect_number", message: "Your card number is incorrect.",
	outcomeType: "invalid", network: "not_sent_to_network"}

func card(number, brand, network, funding, country string) *testCard {
	return &testCard{number: number, brand: brand, network: network, funding: funding, country: country, cvm: "none",
		fp: cardFingerprint(number)}
}

// testCards are the card_present test numbers by number.
var testCards = func() map[string]*testCard {
	cards := []*testCard{
		card("4242424242424242", "visa", "visa", "credit", "US"),
		card("4000056655665556", "visa", "visa", "debit", "US"),
		card("5555555555554444", "mastercard", "mastercard", "credit", "US"),
		card("5200828282828210", "mastercard", "mastercard", "debit", "US"),
		card("5105105105105100", "mastercard", "mastercard", "prepaid", "US"),
		card("378282246310005", "amex", "amex", "credit", "US"),
		card("371449635398431", "amex", "amex", "credit", "US"),
		card("6011111111111117", "discover", "discover", "credit", "US"),
		card("6011000990139424", "discover", "discover", "credit", "US"),
		card("3056930009020004", "diners", "diners", "credit", "US"),
		card("36227206271667", "diners", "diners", "credit", "US"),
		card("3566002020360505", "jcb", "jcb", "credit", "JP"),
		card("6200000000000005", "unionpay", "unionpay", "credit", "CN"),
		card("4506445006931933", "interac", "interac", "debit", "CA"),
		card("6280000360000978", "eftpos_au", "eftpos_au", "debit", "AU"),
		card("4000050360000001", "visa", "eftpos_au", "debit", "AU"),
		card("5555050360000080", "mastercard", "eftpos_au", "debit", "AU"),
		// The refund of this card fails later in Stripe's JS SDK only; on
		// the server-driven flow it is a plain approved Visa.
		card("4000000000005126", "visa", "visa", "credit", "US"),
	}
	// PIN cards: the simulated reader "enters" the PIN, the payment succeeds
	// and the receipt shows how the cardholder was verified.
	for _, c := range []struct{ n, cvm string }{
		{"4001007020000002", "offline_pin"}, {"4000008260000075", "offline_pin"},
		{"4001000360000005", "online_pin"}, {"4000002760000008", "online_pin"},
	} {
		pc := card(c.n, "visa", "visa", "credit", "US")
		pc.cvm = c.cvm
		cards = append(cards, pc)
	}
	for _, d := range []struct{ n, code, decline string }{
		{"4000000000000002", "card_declined", "generic_decline"},
		{"4000000000009995", "card_declined", "insufficient_funds"},
		{"4000000000009987", "card_declined", "lost_card"},
		{"4000000000009979", "card_declined", "stolen_card"},
		{"4000000000000069", "expired_card", "expired_card"},
		{"4000000000000119", "processing_error", "processing_error"},
	} {
		dc := card(d.n, "visa", "visa", "credit", "US")
		dc.decline = issuerDecline(d.code, d.decline)
		cards = append(cards, dc)
	}
	// Mobile wallets. Stripe's Terminal testing page lists no wallet card;
	// the sandbox reads these two numbers as an Apple Pay Visa and a
	// Google Pay Mastercard on the phone (decision): they pay like any
	// card, contactless, and generate no reusable card (§12).
	for _, w := range []struct{ n, brand, wallet string }{
		{"4242420000000000", "visa", "apple_pay"}, {"5555550000000002", "mastercard", "google_pay"},
	} {
		wc := card(w.n, w.brand, w.brand, "credit", "US")
		wc.wallet = w.wallet
		cards = append(cards, wc)
	}
	m := make(map[string]*testCard, len(cards))
	for _, c := range cards {
		m[c.number] = c
	}
	return m
}()

// Default cards when present_payment_method names none.
const (
	defaultCardNumber    = "4242424242424242"
	defaultInteracNumber = "4506445006931933"
)

// cardSeparators drops the spaces and dashes of a typed card number (a
// Replacer is safe for concurrent use; building one per card cost more
// than the rest of the lookup).
var cardSeparators = strings.NewReplacer(" ", "", "-", "")

// lookupTestCard resolves a presented number. An unknown number that is a
// plausible card number (Luhn-valid, 12–19 digits) is a live card: Stripe
// declines those in test mode with live_mode_test_card. Anything else is
// incorrect_number. Either way the returned card carries the decline.
func lookupTestCard(number string) *testCard {
	n := cardSeparators.Replace(number)
	if c, ok := testCards[n]; ok {
		return c
	}
	if len(n) < 4 {
		n = strings.Repeat("0", 4-len(n)) + n
	}
	c := card(n, "unknown", "unknown", "unknown", "US")
	if isDigits(n) && len(n) >= 12 && len(n) <= 19 && luhn(n) {
		c.brand, c.network = brandOf(n), brandOf(n)
		c.decline = issuerDecline("card_declined", "live_mode_test_card")
	} else {
		c.decline = incorrectNumber
	}
	return c
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func luhn(n string) bool {
	sum, double := 0, false
	for i := len(n) - 1; i >= 0; i-- {
		d := int(n[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// brandOf guesses a brand from the number's prefix.
func brandOf(n string) string {
	switch {
	case strings.HasPrefix(n, "4"):
		return "visa"
	case strings.HasPrefix(n, "5"), strings.HasPrefix(n, "2"):
		return "mastercard"
	case strings.HasPrefix(n, "34"), strings.HasPrefix(n, "37"):
		return "amex"
	case strings.HasPrefix(n, "6"):
		return "discover"
	case strings.HasPrefix(n, "30"), strings.HasPrefix(n, "36"), strings.HasPrefix(n, "38"):
		return "diners"
	case strings.HasPrefix(n, "35"):
		return "jcb"
	}
	return "unknown"
}

// amountOutcome applies the test amounts of §2.4 to total (amount + tip).
// The "ending" is the last two digits of the amount in the currency's
// minor unit; for zero-decimal currencies (JPY) it is the last two digits
// of the integer amount (decision: ¥1005 declines like $10.05). Endings 02
// and 03 (PIN required) succeed on the simulated reader, which "enters"
// the PIN (decision; UNVERIFIED). The named results are decline_code values
// under code card_declined (UNVERIFIED for Terminal, the usual Stripe
// convention). It returns nil for an approval; cvm is the verification
// method the receipt shows ("" = the card's own).
func amountOutcome(total int64) (d *declineOutcome, cvm string) {
	switch total % 100 {
	case 1:
		return issuerDecline("card_declined", "call_issuer"), ""
	case 2:
		return nil, "offline_pin"
	case 3:
		return nil, "online_pin"
	case 5:
		return issuerDecline("card_declined", "generic_decline"), ""
	case 55:
		return issuerDecline("card_declined", "incorrect_pin"), ""
	case 65:
		return issuerDecline("card_declined", "withdrawal_count_limit_exceeded"), ""
	case 75:
		return issuerDecline("card_declined", "pin_try_exceeded"), ""
	}
	return nil, ""
}
