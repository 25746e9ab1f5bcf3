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
//     and reader (the direct-charges, seller-owned readers setup);
//   - customers with saved cards on the platform and the sellers
//     (seed_customers.go).
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
	s.change(func() {
		s.createPlatform()
		if name == "none" {
			return
		}
		now := s.opts.Now().Unix()
		for _, sp := range demoSellers {
			a := s.newSeller(sp, now-sp.ageDays*86400)
			switch sp.location {
			case "platform":
				l := s.newLocation("", sp.name, sp.addr)
				l.Metadata[demoSellerKey] = a.ID
				s.newSimulatedReader("", "simulated-wpe", "Counter 1", l.ID)
			case "own":
				l := s.newLocation(a.ID, sp.name, sp.addr)
				s.newSimulatedReader(a.ID, "simulated-wpe", "Counter 1", l.ID)
			}
		}
		s.seedCustomers() // regulars with saved cards (seed_customers.go)
	})
	return nil
}

// newSeller stores a connected account for sp. Called with mu held, in a
// change.
func (s *Server) newSeller(sp sellerSpec, created int64) *account {
	m := s.newMeta("acct", "")
	m.ID = "acct_1" + randomString(15) // Stripe account ids are 16 characters
	addr := sp.addr
	a := newAccount(m, created, accountSpec{name: sp.name, displayName: sp.displayName, businessType: "company",
		country: sp.country, currency: sp.currency, email: sp.email, phone: sp.phone, url: sp.url, mcc: sp.mcc,
		product: sp.product, descriptor: sp.descriptor, descriptorKana: sp.descriptorKana,
		descriptorKanji: sp.descriptorKanji, color: sp.color, timezone: sp.timezone, supportAddress: &addr,
		accountType: sp.accountType, controlled: sp.accountType != "standard", active: sp.active,
		payoutInterval: sp.payoutInterval, payoutAnchor: sp.payoutAnchor, payoutDelay: sp.payoutDelay})
	put(s, s.st.accounts, a)
	return a
}
