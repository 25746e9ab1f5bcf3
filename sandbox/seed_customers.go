package sandbox

import "time"

// The demo's customers (seed "demo"): regulars saved in the platform's
// wallet and at sellers, each card saved the way a reader saves one (a
// succeeded SetupIntent, its setup attempt, the card_present read and the
// generated card attached to the customer). The demo ties a seller's copy
// of a wallet customer to it with the metadata a platform application
// would keep (Kasse's convention; Stripe gives it no meaning):
//
//   - on the seller's copy, demoCopyOf names the platform customer;
//   - on the shared card, demoSharedFrom names the platform card;
//   - on the platform customer, demoCopyKey+<seller> names the copy.
//
// The customers:
//
//   - platform wallet: Mara Lindqvist (Visa 4242; already shared with
//     Bäckerei Sonnenkorn, so paying there needs no clone), Jonas Weber
//     (Mastercard 4444), Theo Brandt (a Mastercard that expired in 2021),
//     Priya Raman (no email);
//   - Lumen Coffee Roasters: Ava Chen (Amex 0005);
//   - Bäckerei Sonnenkorn: Lena Vogel (Visa debit 5556), Mara's copy;
//   - Sakura Ramen Shinjuku: Haruto Sato (JCB 0505);
//   - Northwind Bikes: Sam Rivera (Discover 1117).
const (
	demoCopyOf     = "kasse_platform_customer"
	demoSharedFrom = "kasse_platform_payment_method"
	demoCopyKey    = "kasse_copy_"
)

// demoCustomer is one demo regular.
type demoCustomer struct {
	seller      string // the seller's name; "" = the platform's wallet
	name, email string
	card        string // test card number of the saved card ("" = none)
	expiredYear int    // the saved card expired in December of this year (0: it has not)
}

var demoCustomers = []demoCustomer{
	{"", "Mara Lindqvist", "mara.lindqvist@example.com", "4242424242424242", 0},
	{"", "Jonas Weber", "jonas.weber@example.com", "5555555555554444", 0},
	{"", "Theo Brandt", "theo.brandt@example.com", "5200828282828210", 2021},
	{"", "Priya Raman", "", "6011111111111117", 0},
	{"Lumen Coffee Roasters", "Ava Chen", "ava.chen@example.com", "378282246310005", 0},
	{"Bäckerei Sonnenkorn", "Lena Vogel", "lena.vogel@example.com", "4000056655665556", 0},
	{"Sakura Ramen Shinjuku", "Haruto Sato", "haruto.sato@example.com", "3566002020360505", 0},
	{"Northwind Bikes", "Sam Rivera", "sam.rivera@example.com", "6011111111111117", 0},
}

// seedCustomers stores the demo customers (called by seed, in its
// change, after the sellers).
func (s *Server) seedCustomers() {
	sellers := map[string]string{}
	for a := range s.st.accounts.All() {
		if a != s.st.platform {
			sellers[str(a.BusinessProfile.Name)] = a.ID
		}
	}
	now := s.opts.Now()
	byName := map[string]*customer{}
	cards := map[string]*paymentMethod{}
	for i, dc := range demoCustomers {
		account := sellers[dc.seller]
		created := now.Add(-time.Duration(90-i) * 24 * time.Hour).Unix()
		c := s.seedCustomer(account, dc.name, dc.email, created)
		if account == "" {
			byName[dc.name] = c
		}
		if dc.card != "" {
			cards[dc.name+"@"+account] = s.seedSavedCard(c, dc.card, created+600, dc.expiredYear)
		}
	}
	// Mara's copy at Bäckerei Sonnenkorn, her card shared with it.
	mara, sonnenkorn := byName["Mara Lindqvist"], sellers["Bäckerei Sonnenkorn"]
	if mara == nil || sonnenkorn == "" {
		return
	}
	created := now.Add(-20 * 24 * time.Hour).Unix()
	cp := s.seedCustomer(sonnenkorn, str(mara.Name), str(mara.Email), created)
	cp.Metadata[demoCopyOf] = mara.ID
	src := cards["Mara Lindqvist@"]
	clone := s.newCardPaymentMethod(sonnenkorn, onlineCard(src.number), created+60)
	card := *src.Card
	card.GeneratedFrom = nil
	clone.Card, clone.Created, clone.Customer = &card, created+60, cp.ID
	clone.Metadata = map[string]string{demoSharedFrom: src.ID, demoCopyOf: mara.ID}
	put(s, s.st.paymentMethods, clone)
	mara.Metadata[demoCopyKey+sonnenkorn] = cp.ID
}

// seedCustomer stores a customer of account.
func (s *Server) seedCustomer(account, name, email string, created int64) *customer {
	c := &customer{Meta: s.newMeta("cus", account), Object: "customer", Created: created, Name: nullString(name),
		Email: nullString(email), InvoicePrefix: randomString(8), NextInvoiceSequence: 1, PreferredLocales: []string{},
		TaxExempt: "none", Metadata: map[string]string{}}
	c.ID = "cus_" + randomString(14)
	put(s, s.st.customers, c)
	return c
}

// seedSavedCard saves test card number for c as a reader's
// process_setup_intent does, without the reader: the SetupIntent, its
// attempt, the card_present read and the generated card. expiredYear > 0
// makes the card one that expired in December of that year.
func (s *Server) seedSavedCard(c *customer, number string, created int64, expiredYear int) *paymentMethod {
	tc := lookupTestCard(number)
	si := &setupIntent{Meta: s.newMeta("seti", c.Account), Object: "setup_intent", Created: created, Customer: c.ID,
		Metadata: map[string]string{}, PaymentMethodTypes: []string{"card_present"}, Status: "succeeded", Usage: "off_session"}
	si.ClientSecret = nullString(si.ID + "_secret_" + randomString(24))
	put(s, s.st.setups, si)
	cp := s.newCardPresentPaymentMethod(c.Account, tc, created)
	at := s.newSetupAttempt(si, cp, created)
	details := pmDetails(tc, "card_present", true, 0, created, false, "", tc.cvm)
	details.CardPresent.AmountAuthorized = nil
	gen := s.newCardPaymentMethod(c.Account, tc, created)
	gen.Customer = c.ID
	gen.Card.GeneratedFrom = &generatedFromJSON{SetupAttempt: at.ID,
		PaymentMethodDetails: &generatedDetailsJSON{Type: "card_present", CardPresent: details.CardPresent}}
	if expiredYear > 0 {
		gen.Card.ExpYear, cp.CardPresent.ExpYear = expiredYear, expiredYear
		details.CardPresent.ExpYear = expiredYear
	}
	put(s, s.st.paymentMethods, gen)
	at.PaymentMethodDetails.CardPresent.GeneratedCard = nullString(gen.ID)
	si.PaymentMethod, si.LatestAttempt = nullString(cp.ID), at.ID
	return gen
}
