package sale_test

import (
	"errors"
	"strings"
	"testing"

	"kasse/checkout"
	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
	"kasse/ui/widgets"
)

func TestSellerFilter(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("text:de")
	if got := sellersOf(h).List().Shown(); got != 2 {
		t.Fatalf("filter %q shows %d sellers, want 2 (the DE ones)", "de", got)
	}
	h.Keys("text: bä")
	if got := sellersOf(h).List().Shown(); got != 1 {
		t.Fatalf("filter %q shows %d sellers, want 1", sellersOf(h).List().Query(), got)
	}
	h.Golden("sellers_filtered")
	h.Keys("backspace", "backspace", "backspace")
	if sellersOf(h).List().Query() != "de" {
		t.Errorf("query after backspaces = %q", sellersOf(h).List().Query())
	}
	h.Keys("text:zzz")
	h.Contains("Nothing matches “dezzz”")
	h.Keys("esc")
	if sellersOf(h).List().Query() != "" || sellersOf(h).List().Shown() != 5 {
		t.Errorf("esc did not clear the filter: %q, %d shown", sellersOf(h).List().Query(), sellersOf(h).List().Shown())
	}
	if !h.On("Choose a seller") {
		t.Error("esc on the root screen navigated away")
	}
}

func TestSellerWithoutCardPaymentsCannotBeChosen(t *testing.T) {
	d, _, term, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("down", "enter") // Blumen Schmidt: pending
	if !h.On("Choose a seller") {
		t.Fatal("a seller without card payments was chosen")
	}
	h.Contains("Blumen Schmidt cannot take card payments: card_payments pending verification.")
	if len(term.Calls()) != 0 {
		t.Errorf("terminal was called: %v", term.Ops())
	}
	h.Golden("sellers_blocked")
	h.Keys("down")
	h.Lacks("cannot take card payments:")
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
		if got := widgets.SellerBlock(i18n.New(i18n.English), tc.s); got != tc.want {
			t.Errorf("widgets.SellerBlock(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestSellersErrorAndRetry(t *testing.T) {
	d, s, _, _ := uitest.DemoDeps()
	s.Err = &pos.Error{Kind: pos.KindAuth, Code: "api_key_expired", Message: "Expired API Key provided.", RequestID: "req_123"}
	h := uitest.New(t, d)
	h.Contains("Could not load the sellers: authentication (api_key_expired): Expired API Key provided. [req_123]", "ctrl+r tries again")
	h.Golden("sellers_error")
	s.Err = nil
	h.Keys("ctrl+r")
	if s.Calls != 2 || len(sellersOf(h).List().Items()) != 5 {
		t.Fatalf("retry: %d calls, %d sellers", s.Calls, len(sellersOf(h).List().Items()))
	}
}

func TestChooseSellerLocationReader(t *testing.T) {
	d, _, term, prefs := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("enter") // Bäckerei Müller
	if !h.On("Choose a location…") || sess(h).Seller == nil || sess(h).Seller.ID != "acct_1Baeckerei" {
		t.Fatalf("after choosing: on %q seller=%v", h.Top().Title(), sess(h).Seller)
	}
	var ids []string
	for _, l := range locationsOf(h).List().Items() {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_baeckerei,tml_baeckerei2" {
		t.Errorf("locations = %s, want the two named after the seller", got)
	}
	h.Golden("locations_list")
	h.Keys("enter")
	if !h.On("Choose a reader…") || sess(h).Location.ID != "tml_baeckerei" {
		t.Fatalf("after location: on %q", h.Top().Title())
	}
	lr := term.CallsOf("ListReaders")
	if len(lr) != 1 || lr[0].Account != pos.Platform || lr[0].Arg != "tml_baeckerei" {
		t.Errorf("ListReaders calls = %+v", lr)
	}
	h.Golden("readers_list")
	h.Keys("down", "enter") // the offline one
	if sess(h).Reader == nil || sess(h).Reader.ID != "tmr_back" {
		t.Fatalf("reader = %v", sess(h).Reader)
	}
	h.Contains("Back counter reported offline")
	want := ui.Remembered{Seller: "acct_1Baeckerei",
		Locations: map[pos.Account]string{"acct_1Baeckerei": "tml_baeckerei"},
		Readers:   map[string]string{"tml_baeckerei": "tmr_back"}}
	if got := prefs.Stored; !sameRemembered(got, want) {
		t.Errorf("remembered %+v, want %+v", got, want)
	}
}

func sameRemembered(a, b ui.Remembered) bool {
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
	d, _, _, prefs := uitest.DemoDeps()
	prefs.Stored = ui.Remembered{Seller: "acct_1Taco",
		Locations: map[pos.Account]string{"acct_1Taco": "tml_taco_own"},
		Readers:   map[string]string{"tml_taco_own": "tmr_truck"}}
	h := uitest.New(t, d)
	if sel, _ := sellersOf(h).List().Selected(); sel.ID != "acct_1Taco" {
		t.Fatalf("preselected seller %s", sel.ID)
	}
	h.Keys("enter")
	if sel, _ := locationsOf(h).List().Selected(); sel.ID != "tml_taco_own" {
		t.Fatalf("preselected location %s", sel.ID)
	}
	if n := len(locationsOf(h).List().Items()); n != 3 {
		t.Errorf("Taco Loco has %d locations, want 3 (named, tagged, own)", n)
	}
	h.Keys("enter")
	if sess(h).Location.Owner != "acct_1Taco" {
		t.Errorf("own location owner = %q", sess(h).Location.Owner)
	}
	if sel, _ := readersOf(h).List().Selected(); sel.ID != "tmr_truck" {
		t.Fatalf("preselected reader %s", sel.ID)
	}
}

func TestPrefsErrorsAreWarnings(t *testing.T) {
	d, _, _, prefs := uitest.DemoDeps()
	prefs.LoadErr = errors.New("prefs.json: permission denied")
	h := uitest.New(t, d)
	h.Contains("Could not read the remembered choices: prefs.json: permission denied")
	prefs.SaveErr = errors.New("disk full")
	h.Keys("enter")
	h.Contains("Could not remember this choice: disk full")
	if !h.On("Choose a location…") {
		t.Error("a failed save blocked navigation")
	}
	h.Fire(nil) // the status line clears
	h.Lacks("disk full")
}

func TestBackNavigation(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("enter", "enter")
	h.Keys("text:x") // filter on the reader picker
	h.Keys("esc")    // clears the filter only
	if !h.On("Choose a reader…") {
		t.Fatal("esc with a filter left the screen")
	}
	h.Keys("esc")
	if !h.On("Choose a location…") || sess(h).Location != nil {
		t.Fatalf("esc from readers: on %q", h.Top().Title())
	}
	h.Keys("esc")
	if !h.On("Choose a seller") || sess(h).Seller != nil {
		t.Fatalf("esc from locations: on %q", h.Top().Title())
	}
	h.Contains("no seller · no location · no reader")
}

func TestLateLocationsAreDropped(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("enter")
	before := len(locationsOf(h).List().Items())
	h.Send(sale.LocationsLoaded("acct_1Other", []pos.Location{{ID: "tml_x"}}))
	if len(locationsOf(h).List().Items()) != before {
		t.Error("an answer for another seller replaced the list")
	}
}

func TestLocationsPartialFailure(t *testing.T) {
	d, _, term, _ := uitest.DemoDeps()
	term.LocErr["acct_1Taco"] = &pos.Error{Kind: pos.KindAuth, Message: "no access"}
	h := uitest.New(t, d)
	h.Keys("text:taco", "enter")
	if n := len(locationsOf(h).List().Items()); n != 2 {
		t.Errorf("%d locations, want the 2 platform ones", n)
	}
	h.Contains("Some locations could not be listed: authentication: no access")
	term.LocErr[pos.Platform] = errors.New("boom")
	h.Keys("ctrl+r")
	h.Contains("Reload failed: boom")
}

func TestNoReadersAtLocation(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("enter", "down", "enter") // Bäckerei Müller – Markt has no reader
	h.Contains("No reader is registered at Bäckerei Müller – Markt.")
	h.Keys("enter")
	if sess(h).Reader != nil {
		t.Error("enter on an empty list chose something")
	}
}

// A platform location is the seller's by its kasse_seller metadata,
// whatever its name (the demo's "Bäckerei Sonnenkorn" for the seller
// "Sonnenkorn"); the name only decides for locations without the key. The
// picker offers every location of the seller: tagged, named and own.
func TestLocationsOfASellerByMetadataThenName(t *testing.T) {
	d, s, term, _ := uitest.DemoDeps()
	s.Sellers = append(s.Sellers, pos.Seller{ID: "acct_1Sonnenkorn", DisplayName: "Sonnenkorn", Country: "DE", Currency: "eur",
		CardPayments: "active", ChargesEnabled: true})
	tag := func(acct string) map[string]string { return map[string]string{pos.LocationSellerKey: acct} }
	term.Locations[pos.Platform] = append(term.Locations[pos.Platform],
		pos.Location{ID: "tml_sk", DisplayName: "Bäckerei Sonnenkorn", Metadata: tag("acct_1Sonnenkorn"),
			Address: pos.Address{Line1: "Bergmannstraße 12", City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_markt", DisplayName: "Markthalle Neun · Stand 4", Metadata: tag("acct_1Sonnenkorn"),
			Address: pos.Address{Line1: "Eisenbahnstraße 42", City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_named", DisplayName: "Sonnenkorn – Bahnhof", Address: pos.Address{City: "Berlin", Country: "DE"}},
		pos.Location{ID: "tml_sk_other", DisplayName: "Sonnenkorn Café", Metadata: tag("acct_1Baeckerei"),
			Address: pos.Address{City: "Potsdam", Country: "DE"}},
	)
	term.Locations["acct_1Sonnenkorn"] = []pos.Location{{ID: "tml_sk_van", Owner: "acct_1Sonnenkorn", DisplayName: "Lieferwagen",
		Address: pos.Address{City: "Berlin", Country: "DE"}}}
	h := uitest.New(t, d)
	h.Keys("text:sonnen", "enter")
	if !h.On("Choose a location…") || sess(h).Seller.ID != "acct_1Sonnenkorn" {
		t.Fatalf("after choosing Sonnenkorn: on %q seller=%v", h.Top().Title(), sess(h).Seller)
	}
	var ids []string
	for _, l := range locationsOf(h).List().Items() {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_sk,tml_sk_markt,tml_sk_named,tml_sk_van" {
		t.Errorf("locations = %s, want the two tagged, the named one and the own one", got)
	}
	h.Golden("locations_tagged")
	h.Keys("enter")
	if !h.On("Choose a reader…") || sess(h).Location.ID != "tml_sk" {
		t.Fatalf("after location: on %q location=%v", h.Top().Title(), sess(h).Location)
	}
	// The location named like Sonnenkorn but tagged for Bäckerei Müller
	// is Bäckerei Müller's.
	h.Keys("esc", "esc")
	if !h.On("Choose a seller") {
		t.Fatalf("esc esc: on %q", h.Top().Title())
	}
	h.Keys("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "text:müller", "enter")
	ids = nil
	for _, l := range locationsOf(h).List().Items() {
		ids = append(ids, l.ID)
	}
	if got := strings.Join(ids, ","); got != "tml_baeckerei,tml_baeckerei2,tml_sk_other" {
		t.Errorf("Bäckerei Müller's locations = %s", got)
	}
}

func TestSellerWithoutLocationsIsToldHowToGetOne(t *testing.T) {
	d, s, _, _ := uitest.DemoDeps()
	s.Sellers = append(s.Sellers, pos.Seller{ID: "acct_1Neu", DisplayName: "Neuer Laden", Country: "DE", Currency: "eur",
		CardPayments: "active", ChargesEnabled: true})
	h := uitest.New(t, d)
	h.Keys("text:neuer", "enter")
	h.Contains("Neuer Laden has no Terminal location yet.", "kasse readers create-location --seller acct_1Neu")
}

func TestHelpOverlay(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	h := uitest.New(t, d)
	h.Keys("?")
	if !h.M.HelpOpen() {
		t.Fatal("? did not open the help")
	}
	h.Golden("help_sellers")
	h.Keys("down") // swallowed
	if sel, _ := sellersOf(h).List().Selected(); sel.ID != "acct_1Baeckerei" {
		t.Error("keys leak through the help screen")
	}
	h.Keys("esc")
	if h.M.HelpOpen() {
		t.Error("esc did not close the help")
	}
	h.Keys("ctrl+c")
	if !h.Quit {
		t.Error("ctrl+c did not quit")
	}
}

func TestPickerScrollsToCursor(t *testing.T) {
	d, s, _, _ := uitest.DemoDeps()
	s.Sellers = nil
	for i := range 60 {
		s.Sellers = append(s.Sellers, pos.Seller{ID: pos.Account("acct_" + fmtID(i)), DisplayName: "Seller " + fmtID(i),
			Country: "US", Currency: "usd", CardPayments: "active", ChargesEnabled: true})
	}
	h := uitest.New(t, d)
	h.Keys("pgdown", "pgdown", "pgdown", "down")
	h.Contains("▸ Seller 31")
	h.Golden("sellers_scrolled")
}

func fmtID(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestValidate(t *testing.T) {
	d, _, _, _ := uitest.DemoDeps()
	d.Payments = &uitest.FakePayments{}
	d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Journal: &uitest.MemJournal{}}
	d.Mode = config.ModeSandbox
	if err := d.Validate(); err != nil {
		t.Fatalf("valid deps: %v", err)
	}
	bad := d
	bad.Mode = "prod"
	bad.TaxRate = 200000
	bad.QuickKeys = []ui.QuickKey{{Key: "c"}, {Key: "c"}, {Key: "0"}, {Key: "ab"}}
	err := bad.Validate()
	for _, want := range []string{`mode "prod"`, "tax rate 200%", `quick key "c" is bound twice`, `quick key "0"`, `quick key "ab"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to mention %s", err, want)
		}
	}
	live := d
	live.Mode = config.ModeLive
	live.Presenter = &uitest.FakePresenter{}
	if err := live.Validate(); err == nil || !strings.Contains(err.Error(), "Presenter") {
		t.Errorf("live with presenter: %v", err)
	}
	none := ui.Deps{Mode: config.ModeTest}
	if err := none.Validate(); err == nil || !strings.Contains(err.Error(), "required") {
		t.Errorf("no ports: %v", err)
	}
}
