package sandbox

import "fmt"

// Seeds. Every sandbox has its platform account; "demo" (the default, also
// for "") adds connected sellers with Terminal hardware:
//
//   - Lumen Coffee Roasters (US, usd), Bäckerei Sonnenkorn (DE, eur) and
//     Sakura Ramen Shinjuku (JP, jpy — zero-decimal): Express accounts the
//     platform controls, selling through PLATFORM-owned locations named
//     after them and tied to them by metadata (demoSellerKey), each with
//     a simulated WisePOS E labelled "Counter 1" (the platform-owned
//     readers setup of Stripe's Terminal + Connect docs: readers and
//     locations on the platform, PaymentIntents on the seller);
//   - Hollow Oak Books (GB, gbp): onboarding unfinished, card_payments
//     inactive, charges_enabled false; no location (it cannot sell);
//   - Northwind Bikes (US, usd): a Standard account that owns its location
//     and reader (the direct-charges, seller-owned readers setup).
//
// "none" is the platform alone. Ids are random per sandbox.

// demoSellerKey is the metadata key a platform application would put on a
// location to tie it to the connected seller it serves (Kasse's
// convention: pos.LocationSellerKey; Stripe gives it no meaning). The demo
// data sets it on the platform locations like an application that created
// them for its sellers would.
const demoSellerKey = "kasse_seller"

// sellerSpec describes one demo seller.
type sellerSpec struct {
	name, displayName, country, currency, email, phone, url, mcc, product string
	descriptor, descriptorKana, descriptorKanji, color, timezone          string
	addr                                                                  address
	accountType                                                           string
	active                                                                bool
	payoutInterval, payoutAnchor                                          string
	payoutDelay                                                           int64
	ageDays                                                               int64
	location                                                              string // "platform" | "own" | ""
}

var demoSellers = []sellerSpec{
	{name: "Lumen Coffee Roasters", displayName: "Lumen Coffee", country: "US", currency: "usd",
		email: "hello@lumencoffee.example", phone: "+15035550142", url: "https://lumencoffee.example", mcc: "5814",
		product: "Specialty coffee, espresso drinks and pastries.", descriptor: "LUMEN COFFEE", color: "#6B4226",
		timezone: "America/Los_Angeles", accountType: "express", active: true, payoutInterval: "daily", payoutDelay: 2,
		addr:    address{line1: "2140 NW Kearney St", city: "Portland", state: "OR", postalCode: "97210", country: "US"},
		ageDays: 420, location: "platform"},
	{name: "Bäckerei Sonnenkorn", displayName: "Sonnenkorn", country: "DE", currency: "eur",
		email: "kasse@sonnenkorn.example", phone: "+49305550173", url: "https://sonnenkorn.example", mcc: "5462",
		product: "Sourdough bread, rolls and cakes baked on site.", descriptor: "SONNENKORN", color: "#E0A526",
		timezone: "Europe/Berlin", accountType: "express", active: true, payoutInterval: "daily", payoutDelay: 7,
		addr:    address{line1: "Bergmannstraße 12", city: "Berlin", postalCode: "10961", country: "DE"},
		ageDays: 330, location: "platform"},
	{name: "Sakura Ramen Shinjuku", displayName: "Sakura Ramen", country: "JP", currency: "jpy",
		email: "info@sakura-ramen.example", phone: "+81355550188", url: "https://sakura-ramen.example", mcc: "5812",
		product: "Ramen restaurant: tonkotsu and shoyu ramen, gyoza.", descriptor: "SAKURA RAMEN",
		descriptorKana: "ｻｸﾗﾗｰﾒﾝ", descriptorKanji: "桜ラーメン", color: "#D94F70", timezone: "Asia/Tokyo",
		accountType: "express", active: true, payoutInterval: "weekly", payoutAnchor: "friday", payoutDelay: 4,
		addr:    address{line1: "3-14-1 Shinjuku", city: "Shinjuku-ku", state: "Tokyo", postalCode: "160-0022", country: "JP"},
		ageDays: 240, location: "platform"},
	{name: "Hollow Oak Books", displayName: "Hollow Oak Books", country: "GB", currency: "gbp",
		email: "shop@hollowoakbooks.example", phone: "+442079460321", mcc: "5942",
		product: "Independent bookshop: new and second-hand books.", timezone: "Europe/London", accountType: "express",
		active: false, payoutInterval: "daily", payoutDelay: 3,
		addr:    address{line1: "27 Museum Street", city: "London", postalCode: "WC1A 1JR", country: "GB"},
		ageDays: 12},
	{name: "Northwind Bikes", displayName: "Northwind Bikes", country: "US", currency: "usd",
		email: "service@northwindbikes.example", phone: "+13035550119", url: "https://northwindbikes.example", mcc: "5940",
		product: "Bicycle sales, rentals and repairs.", descriptor: "NORTHWIND BIKES", color: "#1F6FB2",
		timezone: "America/Denver", accountType: "standard", active: true, payoutInterval: "daily", payoutDelay: 2,
		addr:    address{line1: "1200 Pearl St", city: "Boulder", state: "CO", postalCode: "80302", country: "US"},
		ageDays: 150, location: "own"},
}

// seed loads the named initial data (platform part contract). Called by
// New before the server serves.
func (s *Server) seed(name string) error {
	switch name {
	case "", "demo", "none":
	default:
		return fmt.Errorf("sandbox: unknown seed %q (want \"demo\" or \"none\")", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.platform()
	if name == "none" {
		return nil
	}
	now := s.opts.Now().Unix()
	for _, sp := range demoSellers {
		a := s.newSeller(sp, now-sp.ageDays*86400)
		t := a.created + 86400
		switch sp.location {
		case "platform":
			l := s.newLocation("", sp.name, sp.addr, t)
			l.metadata[demoSellerKey] = a.id
			s.newSimulatedReader("", "simulated-wpe", "Counter 1", l.id, t)
		case "own":
			l := s.newLocation(a.id, sp.name, sp.addr, t)
			s.newSimulatedReader(a.id, "simulated-wpe", "Counter 1", l.id, t)
		}
	}
	return nil
}

// newSeller stores a connected account for sp. Called with mu held.
func (s *Server) newSeller(sp sellerSpec, created int64) *account {
	m := s.newMeta("acct", "", created)
	m.id = "acct_1" + randomString(15) // Stripe account ids are 16 characters
	addr := sp.addr
	a := &account{meta: m, businessName: sp.name, displayName: sp.displayName, businessType: "company",
		country: sp.country, defaultCurrency: sp.currency, email: sp.email, accountType: sp.accountType,
		controlled: sp.accountType != "standard", metadata: map[string]string{},
		mcc: sp.mcc, productDescription: sp.product, supportEmail: sp.email, supportPhone: sp.phone,
		supportURL: sp.url, url: sp.url, supportAddress: &addr,
		statementDescriptor: sp.descriptor, statementDescriptorKana: sp.descriptorKana,
		statementDescriptorKanji: sp.descriptorKanji, primaryColor: sp.color, timezone: sp.timezone,
		payoutInterval: sp.payoutInterval, payoutDelayDays: sp.payoutDelay, payoutWeeklyAnchor: sp.payoutAnchor}
	if sp.active {
		a.cardPayments, a.transfers = "active", "active"
		a.chargesEnabled, a.payoutsEnabled, a.detailsSubmitted = true, true, true
		a.tosDate, a.tosIP = created+3600, "198.51.100.24"
		a.bank = testBank(sp.country, sp.currency, sp.name, "company")
	} else {
		// Onboarding unfinished: Stripe's shape for an account that has
		// not provided what it owes (as in stripe-mock's fixture).
		a.cardPayments, a.transfers = "inactive", "inactive"
		a.currentlyDue = []string{"business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"}
		a.pastDue = a.currentlyDue
		a.disabledReason = "requirements.past_due"
	}
	s.st.accounts[a.id] = a
	return a
}

// testBank is Stripe's test payout account for a country.
func testBank(country, currency, holder, holderType string) *bankAccount {
	b := &bankAccount{id: "ba_1" + randomString(23), holderName: holder, holderType: holderType,
		bankName: "STRIPE TEST BANK", country: country, currency: currency, fingerprint: randomString(16)}
	switch country {
	case "US":
		b.routingNumber, b.last4 = "110000000", "6789"
	case "JP":
		b.routingNumber, b.last4 = "1100000", "1234"
	case "GB":
		b.routingNumber, b.last4 = "10-88-00", "2345"
	default: // IBAN countries: DE89370400440532013000
		b.last4 = "3000"
	}
	return b
}
