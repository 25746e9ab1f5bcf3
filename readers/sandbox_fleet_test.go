package readers

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"kasse/pos"
	"kasse/sandbox"
)

func TestSandboxInventory(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	groups, err := w.fleet.Inventory(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"platform/Bäckerei Sonnenkorn", "platform/Lumen Coffee Roasters", "platform/Sakura Ramen Shinjuku",
		"Northwind Bikes/Northwind Bikes",
	}
	if got := names(groups); !slices.Equal(got, want) {
		t.Fatalf("groups %v; want %v (Hollow Oak has no readers and is skipped)", got, want)
	}
	for _, g := range groups {
		if len(g.Readers) != 1 || g.Readers[0].Label != "Counter 1" || g.Readers[0].LocationID != g.Location.ID ||
			g.Readers[0].DeviceType != "simulated_wisepos_e" || !g.Readers[0].Online() || g.Readers[0].SerialNumber == "" {
			t.Errorf("%s: readers %+v", g.Location.DisplayName, g.Readers)
		}
	}
	own := groups[3]
	if own.Owner != north.ID || own.Location.Owner != north.ID || own.Readers[0].Owner != north.ID || own.Location.Address.State != "CO" {
		t.Errorf("the seller-owned group must carry the seller: %+v", own)
	}

	// A second reader at Lumen's location joins its group, sorted by label.
	lumen := w.location(pos.Platform, "Lumen")
	if _, err := w.fleet.Register(w.ctx, pos.Platform, "simulated-wpe", "A-Counter 0", lumen.ID); err != nil {
		t.Fatal(err)
	}
	groups, _ = w.fleet.Inventory(w.ctx)
	if rs := groups[1].Readers; len(rs) != 2 || rs[0].Label != "A-Counter 0" || rs[1].Label != "Counter 1" {
		t.Errorf("Lumen readers %+v", rs)
	}
}

func TestSandboxRegister(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	lumen := w.location(pos.Platform, "Lumen")
	north := w.seller("Northwind")
	northLoc := w.location(north.ID, "Northwind")

	r, err := w.fleet.Register(w.ctx, pos.Platform, "simulated-wpe", "Counter 2", lumen.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.ID, "tmr_") || r.Label != "Counter 2" || r.LocationID != lumen.ID || r.DeviceType != "simulated_wisepos_e" || r.Owner != pos.Platform {
		t.Errorf("registered %+v", r)
	}
	got, err := w.client.GetReader(w.ctx, pos.Platform, r.ID)
	if err != nil || got.Label != "Counter 2" {
		t.Errorf("the reader is not on the platform: %+v %v", got, err)
	}
	// Seller-owned hardware registers on the seller.
	r2, err := w.fleet.Register(w.ctx, north.ID, "simulated-s700", "Workshop", northLoc.ID)
	if err != nil || r2.Owner != north.ID {
		t.Fatalf("seller registration: %+v %v", r2, err)
	}

	n := len(w.client.RecentRequests())
	if _, err := w.fleet.Register(w.ctx, pos.Platform, "apple-grape", "Counter 3", lumen.ID); !errors.Is(err, ErrRegistrationCode) {
		t.Errorf("bad code shape: %v", err)
	}
	live := *w.fleet
	live.Mode = ModeLive
	if _, err := live.Register(w.ctx, pos.Platform, "simulated-wpe", "Counter 3", lumen.ID); !errors.Is(err, ErrMode) ||
		!strings.Contains(err.Error(), "test mode only") {
		t.Errorf("simulated code in live mode: %v", err)
	}
	if m := len(w.client.RecentRequests()); m != n {
		t.Errorf("%d requests were sent for codes that cannot work", m-n)
	}

	// Wrong account: Stripe would say "No such terminal.location".
	_, err = w.fleet.Register(w.ctx, pos.Platform, "simulated-wpe", "Counter 3", northLoc.ID)
	if !errors.Is(err, ErrWrongAccount) || !strings.Contains(err.Error(),
		"location "+northLoc.ID+" is on account "+string(north.ID)+", the reader would be registered on the platform account") {
		t.Errorf("wrong-account location: %v", err)
	}
	_, err = w.fleet.Register(w.ctx, north.ID, "simulated-wpe", "Counter 3", lumen.ID)
	if !errors.Is(err, ErrWrongAccount) || !strings.Contains(err.Error(), "is on the platform account, the reader would be registered on account "+string(north.ID)) {
		t.Errorf("reverse wrong-account: %v", err)
	}
	if _, err := w.fleet.Register(w.ctx, pos.Platform, "simulated-wpe", "Counter 3", "tml_doesnotexist"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown location: %v", err)
	}

	// A well-shaped code the backend refuses (the sandbox pairs no
	// physical readers; Stripe refuses expired codes the same way).
	_, err = w.fleet.Register(w.ctx, pos.Platform, "apple-grape-orange", "Counter 3", lumen.ID)
	var oe *OpError
	if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), `the reader did not accept registration code "apple-grape-orange"`) ||
		!pos.IsKind(err, pos.KindInvalidRequest) || !strings.Contains(err.Error(), "[request req_") {
		t.Errorf("refused code: %v", err)
	}
}

func TestSandboxCreateLocation(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	lumen := w.seller("Lumen")
	us := pos.Address{Line1: " 500 Pine St ", City: "Seattle", State: "WA", PostalCode: "98101", Country: "us"}
	l, err := w.fleet.CreateLocation(w.ctx, pos.Platform, lumen.ID, "Pine Street Kiosk", us)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.ID, "tml_") || l.Address.Country != "US" || l.Address.Line1 != "500 Pine St" || l.Owner != pos.Platform {
		t.Errorf("created %+v", l)
	}
	again, err := w.fleet.CreateLocation(w.ctx, pos.Platform, lumen.ID, "Pine Street Kiosk", us)
	if err != nil || again.ID != l.ID {
		t.Errorf("repeating the creation must replay it (same key), got %s vs %s, %v", again.ID, l.ID, err)
	}
	// Tied to Lumen by metadata: listed with it, offered to Lumen only,
	// though its name is not Lumen's.
	listed := w.location(pos.Platform, "Pine Street Kiosk")
	if got, ok := listed.TaggedSeller(); !ok || got != lumen.ID {
		t.Errorf("listed metadata %v, want %s=%s", listed.Metadata, pos.LocationSellerKey, lumen.ID)
	}
	if !pos.LocationServes(listed, lumen) || pos.LocationServes(listed, north) {
		t.Errorf("LocationServes: Lumen %v, Northwind %v", pos.LocationServes(listed, lumen), pos.LocationServes(listed, north))
	}
	if ls, _ := w.client.ListLocations(w.ctx, pos.Platform); len(ls) != 4 {
		t.Errorf("platform has %d locations; want 3 demo + 1", len(ls))
	}
	// A location on a seller's own account is that seller's only.
	if _, err := w.fleet.CreateLocation(w.ctx, north.ID, lumen.ID, "Shared", us); !errors.Is(err, ErrWrongAccount) {
		t.Errorf("Lumen's location on Northwind's account: %v", err)
	}
	for _, c := range []struct {
		owner pos.Account
		addr  pos.Address
	}{
		{north.ID, pos.Address{Line1: "Unter den Linden 1", City: "Berlin", PostalCode: "10117", Country: "DE"}},
		{pos.Platform, pos.Address{Line1: "1 Grafton St", PostalCode: "D02 XY45", Country: "IE"}},
		{pos.Platform, pos.Address{Line1: "1 Raffles Pl", PostalCode: "048616", Country: "SG"}},
	} {
		if l, err := w.fleet.CreateLocation(w.ctx, c.owner, north.ID, "Shop "+c.addr.Country, c.addr); err != nil || l.Owner != c.owner {
			t.Errorf("%s: %+v %v", c.addr.Country, l, err)
		}
	}
	n := len(w.client.RecentRequests())
	for _, c := range []struct {
		addr pos.Address
		msg  string
	}{
		{pos.Address{Line1: "1 Main", City: "Austin", PostalCode: "78701", Country: "US"}, "address.state is required in US"},
		{pos.Address{Line1: "1 Main", City: "Toronto", State: "ON", Country: "CA"}, "address.postal_code is required in CA"},
		{pos.Address{Line1: "Via Roma 1", City: "Roma", PostalCode: "00100", Country: "IT"}, "address.state is required in IT"},
		{pos.Address{Line1: "1 High St", PostalCode: "SW1A 1AA", Country: "GB"}, "address.city is required in GB"},
		{pos.Address{City: "Dublin", Country: "IE"}, "address.line1 and address.postal_code are required in IE"},
		{pos.Address{Line1: "1 Main"}, "address.country is required"},
	} {
		_, err := w.fleet.CreateLocation(w.ctx, pos.Platform, lumen.ID, "Bad", c.addr)
		if !errors.Is(err, ErrAddress) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v; want %q", c.addr, err, c.msg)
		}
	}
	if m := len(w.client.RecentRequests()); m != n {
		t.Errorf("%d requests sent for invalid addresses", m-n)
	}
}

func TestSandboxRenameDeregisterDisplayClear(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	north := w.seller("Northwind")
	r := w.reader(north.ID, w.location(north.ID, "Northwind").ID)

	if got, err := w.fleet.Rename(w.ctx, north.ID, r.ID, "Workshop till"); err != nil || got.Label != "Workshop till" {
		t.Fatalf("Rename: %+v %v", got, err)
	}
	if got, err := w.fleet.SetMetadata(w.ctx, north.ID, r.ID, map[string]string{"till": "2"}); err != nil || got.Metadata["till"] != "2" {
		t.Errorf("SetMetadata: %+v %v", got, err)
	}
	res, err := w.fleet.DisplayTest(w.ctx, north.ID, r.ID, "usd")
	if err != nil || res.Reader.Action == nil || res.Reader.Action.Type != pos.ActionSetReaderDisplay || res.Cart.Total != 540 {
		t.Fatalf("DisplayTest: %+v %v", res, err)
	}
	rep, err := w.fleet.Clear(w.ctx, north.ID, r.ID)
	if err != nil || !rep.Cleared || rep.Held == nil || rep.Held.Type != pos.ActionSetReaderDisplay || rep.Reader.Action != nil {
		t.Errorf("Clear: %+v %v", rep, err)
	}
	if rep, err := w.fleet.Clear(w.ctx, north.ID, r.ID); err != nil || rep.Cleared || rep.Held != nil {
		t.Errorf("second Clear: %+v %v", rep, err)
	}
	if _, err := w.fleet.Deregister(w.ctx, north.ID, r.ID, "Counter 1"); !errors.Is(err, ErrConfirm) {
		t.Errorf("the old label must not confirm: %v", err)
	}
	if _, err := w.fleet.Deregister(w.ctx, north.ID, r.ID, "Workshop till"); err != nil {
		t.Fatal(err)
	}
	_, err = w.fleet.Clear(w.ctx, north.ID, r.ID)
	if !pos.IsKind(err, pos.KindNotFound) || !strings.Contains(err.Error(), "could not read reader "+r.ID+": not found on account "+string(north.ID)) {
		t.Errorf("deregistered reader: %v", err)
	}
}

// Every demo seller that can take card payments has somewhere to sell:
// Bäckerei Sonnenkorn's platform location serves the seller whose
// display name is "Sonnenkorn" (by its metadata; the name does not start
// with the seller's), and no platform location serves two sellers.
func TestSandboxDemoLocationsServeTheirSellers(t *testing.T) {
	w := newWorld(t, sandbox.Options{})
	sellers, err := w.client.ListSellers(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	platform, err := w.client.ListLocations(w.ctx, pos.Platform)
	if err != nil {
		t.Fatal(err)
	}
	served := map[string][]string{}
	for _, s := range sellers {
		var names []string
		for _, l := range platform {
			if pos.LocationServes(l, s) {
				names = append(names, l.DisplayName)
				served[l.ID] = append(served[l.ID], s.DisplayName)
			}
		}
		own, err := w.client.ListLocations(w.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range own {
			names = append(names, l.DisplayName)
		}
		if s.CardPayments == pos.CapabilityActive && len(names) == 0 {
			t.Errorf("%s (%s) has no location to sell at", s.DisplayName, s.ID)
		}
		if s.DisplayName == "Sonnenkorn" && (len(names) != 1 || names[0] != "Bäckerei Sonnenkorn") {
			t.Errorf("Sonnenkorn sells at %q, want [Bäckerei Sonnenkorn]", names)
		}
	}
	for id, who := range served {
		if len(who) > 1 {
			t.Errorf("platform location %s serves %v", id, who)
		}
	}
}
