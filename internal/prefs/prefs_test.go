package prefs

import (
	"path/filepath"
	"testing"

	"kasse/pos"
)

func TestRoundTripAndMissingFile(t *testing.T) {
	f := File{Path: filepath.Join(t.TempDir(), "sub", "prefs.json")}
	got, err := f.Load()
	if err != nil || got.Seller != "" {
		t.Fatalf("missing file: got %+v, %v; want empty, nil", got, err)
	}
	want := Remembered{Seller: "acct_1", Locations: map[pos.Account]string{"acct_1": "tml_1"}, Readers: map[string]string{"tml_1": "tmr_1"}}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err = f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Seller != want.Seller || got.Locations["acct_1"] != "tml_1" || got.Readers["tml_1"] != "tmr_1" {
		t.Fatalf("round trip: got %+v, want %+v", got, want)
	}
}
