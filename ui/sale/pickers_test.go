package ui

import (
	"errors"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/pos"
)

func TestSellersLoadingThenList(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := startHarness(t, d)
	answers := h.exec(h.m.Init()) // run the loads, deliver later
	if h.m.active != scrSellers || !h.m.sellers.busy {
		t.Fatalf("want the seller picker loading, got active=%d busy=%v", h.m.active, h.m.sellers.busy)
	}
	if !h.hasPending(animTickMsg{}) {
		t.Error("no spinner tick scheduled while loading")
	}
	h.golden("sellers_loading")
	for _, a := range answers {
		h.send(a)
	}
	if h.m.sellers.busy {
		t.Error("still busy after the answer")
	}
	h.golden("sellers_list")
	if n := h.fire(animTickMsg{}); n != 1 {
		t.Errorf("fired %d spinner ticks, want 1", n)
	}
	if h.hasPending(animTickMsg{}) {
		t.Error("spinner keeps ticking with nothing loading")
	}
}

func TestSellerFilter(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("text:de")
	if got := len(h.m.sellers.list.shown); got != 2 {
		t.Fatalf("filter %q shows %d sellers, want 2 (the DE ones)", "de", got)
	}
	h.keys("text: bä")
	if got := len(h.m.sellers.list.shown); got != 1 {
		t.Fatalf("filter %q shows %d sellers, want 1", h.m.sellers.list.query, got)
	}
	h.golden("sellers_filtered")
	h.keys("backspace", "backspace", "backspace")
	if h.m.sellers.list.query != "de" {
		t.Errorf("query after backspaces = %q", h.m.sellers.list.query)
	}
	h.keys("text:zzz")
	h.contains(`Nothing matches "dezzz"`)
	h.keys("esc")
	if h.m.sellers.list.query != "" || len(h.m.sellers.list.shown) != 5 {
		t.Errorf("esc did not clear the filter: %q, %d shown", h.m.sellers.list.query, len(h.m.sellers.list.shown))
	}
	if h.m.active != scrSellers {
		t.Error("esc on the root screen navigated away")
	}
}

func TestSellerWithoutCardPaymentsCannotBeChosen(t *testing.T) {
	d, _, term, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("down", "enter") // Blumen Schmidt: pending
	if h.m.active != scrSellers {
		t.Fatal("a seller without card payments was chosen")
	}
	h.contains("Blumen Schmidt cannot take card payments: card_payments pending verification.")
	if len(term.calls) != 0 {
		t.Errorf("terminal was called: %v", term.ops())
	}
	h.golden("sellers_blocked")
	h.keys("down")
	h.lacks("cannot take card payments:")
}

func TestSellerBlockReasons(t *testing.T) {
	for _, tc := range []struct {
		s    pos.Seller
		want string
	}{
		{pos.Seller{CardPayments: "active", ChargesEnabled: true}, ""},
		{pos.Seller{CardPayments: "active"}, "charges disabled"},
		{pos.Seller{CardPayments: "pending", ChargesEnabled: true}, "card_payments pending verification"},
		{pos.Seller{CardPayments: "inactive"}, "card_payments inactive"},
		{pos.Seller{}, "card_payments not requested"},
	} {
		if got := sellerBlock(tc.s); got != tc.want {
			t.Errorf("sellerBlock(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestSellersErrorAndRetry(t *testing.T) {
	d, s, _, _ := demoDeps()
	s.err = &pos.Error{Kind: pos.KindAuth, Code: "api_key_expired", Message: "Expired API Key provided.", RequestID: "req_123"}
	h := newHarness(t, d)
	h.contains("Could not load the sellers: authentication (api_key_expired): Expired API Key provided. [req_123]", "ctrl+r tries again")
	h.golden("sellers_error")
	s.err = nil
	h.keys("ctrl+r")
	if s.calls != 2 || len(h.m.sellers.list.all) != 5 {
		t.Fatalf("retry: %d calls, %d sellers", s.calls, len(h.m.sellers.list.all))
	}
}

func TestChooseSellerLocationReader(t *testing.T) {
	d, _, term, prefs := demoDeps()
	h := newHarness(t, d)
	h.keys("enter") // Bäckerei Müller
	if h.m.active != scrLocations || h.m.sh.seller == nil || h.m.sh.seller.ID != "acct_1Baeckerei" {
		t.Fatalf("after choosing: active=%d seller=%v", h.m.active, h.m.sh.seller)
	}
	var ids []string
	for _, l := range h.m.locations.list.all {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_baeckerei,tml_baeckerei2" {
		t.Errorf("locations = %s, want the two named after the seller", got)
	}
	h.golden("locations_list")
	h.keys("enter")
	if h.m.active != scrReaders || h.m.sh.location.ID != "tml_baeckerei" {
		t.Fatalf("after location: active=%d", h.m.active)
	}
	lr := term.callsOf("ListReaders")
	if len(lr) != 1 || lr[0].Account != pos.Platform || lr[0].Arg != "tml_baeckerei" {
		t.Errorf("ListReaders calls = %+v", lr)
	}
	h.golden("readers_list")
	h.keys("down", "enter") // the offline one
	if h.m.sh.reader == nil || h.m.sh.reader.ID != "tmr_back" {
		t.Fatalf("reader = %v", h.m.sh.reader)
	}
	h.contains("Back counter reported offline")
	want := Remembered{Seller: "acct_1Baeckerei",
		Locations: map[pos.Account]string{"acct_1Baeckerei": "tml_baeckerei"},
		Readers:   map[string]string{"tml_baeckerei": "tmr_back"}}
	if got := prefs.stored; !sameRemembered(got, want) {
		t.Errorf("remembered %+v, want %+v", got, want)
	}
}

func sameRemembered(a, b Remembered) bool {
	if a.Seller != b.Seller || len(a.Locations) != len(b.Locations) || len(a.Readers) != len(b.Readers) {
		return false
	}
	for k, v := range a.Locations {
		if b.Locations[k] != v {
			return false
		}
	}
	for k, v := range a.Readers {
		if b.Readers[k] != v {
			return false
		}
	}
	return true
}

func TestRememberedChoicesArePreselected(t *testing.T) {
	d, _, _, prefs := demoDeps()
	prefs.stored = Remembered{Seller: "acct_1Taco",
		Locations: map[pos.Account]string{"acct_1Taco": "tml_taco_own"},
		Readers:   map[string]string{"tml_taco_own": "tmr_truck"}}
	h := newHarness(t, d)
	if sel, _ := h.m.sellers.list.selected(); sel.ID != "acct_1Taco" {
		t.Fatalf("preselected seller %s", sel.ID)
	}
	h.keys("enter")
	if sel, _ := h.m.locations.list.selected(); sel.ID != "tml_taco_own" {
		t.Fatalf("preselected location %s", sel.ID)
	}
	if n := len(h.m.locations.list.all); n != 3 {
		t.Errorf("Taco Loco has %d locations, want 3 (named, tagged, own)", n)
	}
	h.keys("enter")
	if h.m.sh.location.Owner != "acct_1Taco" {
		t.Errorf("own location owner = %q", h.m.sh.location.Owner)
	}
	if sel, _ := h.m.readers.list.selected(); sel.ID != "tmr_truck" {
		t.Fatalf("preselected reader %s", sel.ID)
	}
}

func TestPrefsErrorsAreWarnings(t *testing.T) {
	d, _, _, prefs := demoDeps()
	prefs.loadErr = errors.New("prefs.json: permission denied")
	h := newHarness(t, d)
	h.contains("Could not read the remembered choices: prefs.json: permission denied")
	prefs.saveErr = errors.New("disk full")
	h.keys("enter")
	h.contains("Could not remember this choice: disk full")
	if h.m.active != scrLocations {
		t.Error("a failed save blocked navigation")
	}
	h.fire(clearStatusMsg{})
	h.lacks("disk full")
}

func TestBackNavigation(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("enter", "enter")
	h.keys("text:x") // filter on the reader picker
	h.keys("esc")    // clears the filter only
	if h.m.active != scrReaders {
		t.Fatal("esc with a filter left the screen")
	}
	h.keys("esc")
	if h.m.active != scrLocations || h.m.sh.location != nil {
		t.Fatalf("esc from readers: active=%d", h.m.active)
	}
	h.keys("esc")
	if h.m.active != scrSellers || h.m.sh.seller != nil {
		t.Fatalf("esc from locations: active=%d", h.m.active)
	}
	h.contains("no seller · no location · no reader")
}

func TestLateLocationsAreDropped(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("enter")
	before := len(h.m.locations.list.all)
	h.send(locationsLoadedMsg{seller: "acct_1Other", locations: []pos.Location{{ID: "tml_x"}}})
	if len(h.m.locations.list.all) != before {
		t.Error("an answer for another seller replaced the list")
	}
}

func TestLocationsPartialFailure(t *testing.T) {
	d, _, term, _ := demoDeps()
	term.locErr["acct_1Taco"] = &pos.Error{Kind: pos.KindAuth, Message: "no access"}
	h := newHarness(t, d)
	h.keys("text:taco", "enter")
	if n := len(h.m.locations.list.all); n != 2 {
		t.Errorf("%d locations, want the 2 platform ones", n)
	}
	h.contains("Some locations could not be listed: authentication: no access")
	term.locErr[pos.Platform] = errors.New("boom")
	h.keys("ctrl+r")
	h.contains("Reload failed: boom")
}

func TestNoReadersAtLocation(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("enter", "down", "enter") // Bäckerei Müller – Markt has no reader
	h.contains("No reader is registered at Bäckerei Müller – Markt.")
	h.keys("enter")
	if h.m.sh.reader != nil {
		t.Error("enter on an empty list chose something")
	}
}

// A platform location is the seller's by its kasse_seller metadata,
// whatever its name (the demo's "Bäckerei Sonnenkorn" for the seller
// "Sonnenkorn"); the name only decides for locations without the key. The
// picker offers every location of the seller: tagged, named and own.
func TestLocationsOfASellerByMetadataThenName(t *testing.T) {
	d, s, term, _ := demoDeps()
	s.sellers = append(s.sellers, pos.Seller{ID: "acct_1Sonnenkorn", DisplayName: "Sonnenkorn", Country: "DE", Currency: "eur",
		CardPayments: "active", ChargesEnabled: true})
	tag := func(acct string) map[string]string { return map[string]string{pos.LocationSellerKey: acct} }
	term.locations[pos.Platform] = append(term.locations[pos.Platform],
		pos.Location{ID: "tml_sk", DisplayName: "Bäckerei Sonnenkorn", Metadata: tag("acct_1Sonnenkorn"),
			Address: pos.Address{Line1: "Bergmannstraße 12", City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_markt", DisplayName: "Markthalle Neun · Stand 4", Metadata: tag("acct_1Sonnenkorn"),
			Address: pos.Address{Line1: "Eisenbahnstraße 42", City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_named", DisplayName: "Sonnenkorn – Bahnhof", Address: pos.Address{City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_other", DisplayName: "Sonnenkorn Café", Metadata: tag("acct_1Baeckerei"),
			Address: pos.Address{City: "Potsdam", Country: "DE"}},
	)
	term.locations["acct_1Sonnenkorn"] = []pos.Location{{ID: "tml_sk_van", Owner: "acct_1Sonnenkorn", DisplayName: "Lieferwagen",
		Address: pos.Address{City: "Berlin", Country: "DE"}}}
	h := newHarness(t, d)
	h.keys("text:sonnen", "enter")
	if h.m.active != scrLocations || h.m.sh.seller.ID != "acct_1Sonnenkorn" {
		t.Fatalf("after choosing Sonnenkorn: active=%d seller=%v", h.m.active, h.m.sh.seller)
	}
	var ids []string
	for _, l := range h.m.locations.list.all {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_sk,tml_sk_markt,tml_sk_named,tml_sk_van" {
		t.Errorf("locations = %s, want the two tagged, the named one and the own one", got)
	}
	h.golden("locations_tagged")
	h.keys("enter")
	if h.m.active != scrReaders || h.m.sh.location.ID != "tml_sk" {
		t.Fatalf("after location: active=%d location=%v", h.m.active, h.m.sh.location)
	}
	// The location named like Sonnenkorn but tagged for Bäckerei Müller
	// is Bäckerei Müller's.
	h.keys("esc", "esc")
	if h.m.active != scrSellers {
		t.Fatalf("esc esc: active=%d", h.m.active)
	}
	h.keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "text:müller", "enter")
	ids = nil
	for _, l := range h.m.locations.list.all {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_baeckerei,tml_baeckerei2,tml_sk_other" {
		t.Errorf("Bäckerei Müller's locations = %s", got)
	}
}

func TestSellerWithoutLocationsIsToldHowToGetOne(t *testing.T) {
	d, s, _, _ := demoDeps()
	s.sellers = append(s.sellers, pos.Seller{ID: "acct_1Neu", DisplayName: "Neuer Laden", Country: "DE", Currency: "eur",
		CardPayments: "active", ChargesEnabled: true})
	h := newHarness(t, d)
	h.keys("text:neuer", "enter")
	h.contains("Neuer Laden has no Terminal location yet.", "kasse readers create-location --seller acct_1Neu")
}

func TestHelpOverlay(t *testing.T) {
	d, _, _, _ := demoDeps()
	h := newHarness(t, d)
	h.keys("?")
	if !h.m.showHelp {
		t.Fatal("? did not open the help")
	}
	h.golden("help_sellers")
	h.keys("down") // swallowed
	if sel, _ := h.m.sellers.list.selected(); sel.ID != "acct_1Baeckerei" {
		t.Error("keys leak through the help screen")
	}
	h.keys("esc")
	if h.m.showHelp {
		t.Error("esc did not close the help")
	}
	h.keys("ctrl+c")
	if !h.quit {
		t.Error("ctrl+c did not quit")
	}
}

func TestPickerScrollsToCursor(t *testing.T) {
	d, s, _, _ := demoDeps()
	s.sellers = nil
	for i := range 60 {
		s.sellers = append(s.sellers, pos.Seller{ID: pos.Account("acct_" + fmtID(i)), DisplayName: "Seller " + fmtID(i),
			Country: "US", Currency: "usd", CardPayments: "active", ChargesEnabled: true})
	}
	h := newHarness(t, d)
	h.keys("pgdown", "pgdown", "pgdown", "down")
	h.contains("▸ Seller 31")
	h.golden("sellers_scrolled")
}

func fmtID(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestValidate(t *testing.T) {
	d, _, _, _ := demoDeps()
	d.Payments = &fakePayments{}
	d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Journal: &memJournal{}}
	d.Mode = ModeSandbox
	if err := d.Validate(); err != nil {
		t.Fatalf("valid deps: %v", err)
	}
	bad := d
	bad.Mode = "prod"
	bad.TaxRate = 200000
	bad.QuickKeys = []QuickKey{{Key: "c"}, {Key: "c"}, {Key: "0"}, {Key: "ab"}}
	err := bad.Validate()
	for _, want := range []string{`mode "prod"`, "tax rate 200%", `quick key "c" is bound twice`, `quick key "0"`, `quick key "ab"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
	live := d
	live.Mode = ModeLive
	live.Presenter = &fakePresenter{}
	if err := live.Validate(); err == nil || !strings.Contains(err.Error(), "Presenter") {
		t.Errorf("live with presenter: %v", err)
	}
	none := Deps{Mode: ModeTest}
	if err := none.Validate(); err == nil || !strings.Contains(err.Error(), "required") {
		t.Errorf("no ports: %v", err)
	}
}
