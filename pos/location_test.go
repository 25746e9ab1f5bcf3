package pos

import "testing"

func TestLocationServes(t *testing.T) {
	s := Seller{ID: "acct_1", DisplayName: "Café Olé"}
	tag := func(acct string) map[string]string { return map[string]string{LocationSellerKey: acct} }
	for _, tc := range []struct {
		l    Location
		want bool
	}{
		// Without the key: by name.
		{Location{DisplayName: "Café Olé"}, true},
		{Location{DisplayName: "café olé "}, true},
		{Location{DisplayName: "Café Olé – Bahnhof"}, true},
		{Location{DisplayName: "Café Olé (2)"}, true},
		{Location{DisplayName: "Café Olé2"}, false},
		{Location{DisplayName: "Café Oléander"}, false},
		{Location{DisplayName: "Other"}, false},
		{Location{DisplayName: "Bäckerei Café Olé"}, false},
		// Other metadata does not decide.
		{Location{DisplayName: "Café Olé", Metadata: map[string]string{"seller": "acct_2"}}, true},
		// With the key: the key decides, whatever the name.
		{Location{DisplayName: "Bäckerei Café Olé", Metadata: tag("acct_1")}, true},
		{Location{DisplayName: "Food court stand 7", Metadata: tag("acct_1")}, true},
		{Location{DisplayName: "Café Olé", Metadata: tag("acct_2")}, false},
		{Location{DisplayName: "Café Olé", Metadata: tag(" ")}, true}, // blank: no tag
	} {
		if got := LocationServes(tc.l, s); got != tc.want {
			t.Errorf("LocationServes(%q, %v) = %v, want %v", tc.l.DisplayName, tc.l.Metadata, got, tc.want)
		}
	}
	if LocationServes(Location{DisplayName: "x"}, Seller{ID: "acct_1"}) {
		t.Error("a seller without a name matched a location by name")
	}
}

func TestSellerMetadata(t *testing.T) {
	if md := SellerMetadata(Platform); md != nil {
		t.Errorf("platform: %v", md)
	}
	md := SellerMetadata("acct_1Sonnenkorn")
	if len(md) != 1 || md[LocationSellerKey] != "acct_1Sonnenkorn" {
		t.Errorf("seller: %v", md)
	}
	if got, ok := (Location{Metadata: md}).TaggedSeller(); !ok || got != "acct_1Sonnenkorn" {
		t.Errorf("TaggedSeller = %q, %v", got, ok)
	}
}
