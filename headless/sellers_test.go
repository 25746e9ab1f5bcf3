package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"kasse/headless"
	"kasse/internal/cli"
	"kasse/pos"
)

func TestSellersListsTheDemoSellers(t *testing.T) {
	e := newEnv(t, nil)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := headless.RunSellers(context.Background(), e.client, args, cli.IO{Out: &out, Err: &errb})
		return code, out.String(), errb.String()
	}
	code, out, errs := run("--json")
	var got []headless.SellerJSON
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errs)
	}
	d := func(s headless.SellerJSON) headless.SellerJSON { s.ChargeType, s.Fee = "direct", "none"; return s }
	want := []headless.SellerJSON{
		d(headless.SellerJSON{Name: "Hollow Oak Books", Country: "GB", Currency: "gbp", CardPayments: "inactive", Transfers: "inactive"}),
		d(headless.SellerJSON{Name: "Lumen Coffee", Country: "US", Currency: "usd", CardPayments: "active", Transfers: "active", ChargesEnabled: true, CanSell: true}),
		d(headless.SellerJSON{Name: "Northwind Bikes", Country: "US", Currency: "usd", CardPayments: "active", Transfers: "active", ChargesEnabled: true, CanSell: true}),
		d(headless.SellerJSON{Name: "Sakura Ramen", Country: "JP", Currency: "jpy", CardPayments: "active", Transfers: "active", ChargesEnabled: true, CanSell: true}),
		d(headless.SellerJSON{Name: "Sonnenkorn", Country: "DE", Currency: "eur", CardPayments: "active", Transfers: "active", ChargesEnabled: true, CanSell: true}),
	}
	if len(got) != len(want) {
		t.Fatalf("%d sellers: %+v", len(got), got)
	}
	for i := range want {
		w := want[i]
		w.ID = got[i].ID
		if got[i] != w || !strings.HasPrefix(got[i].ID, "acct_") {
			t.Errorf("seller %d = %+v, want %+v", i, got[i], w)
		}
	}
	for _, key := range []string{`"id"`, `"name"`, `"country"`, `"currency"`, `"card_payments"`} {
		if !strings.Contains(out, key) {
			t.Errorf("json lacks %s", key)
		}
	}

	code, out, _ = run()
	if code != 0 || !strings.HasPrefix(out, "ID ") || !strings.Contains(out, "CARD PAYMENTS") ||
		!regexp.MustCompile(`acct_\w+ +Sonnenkorn +DE +EUR +active +active +direct +none +yes`).MatchString(out) ||
		!regexp.MustCompile(`Hollow Oak Books +GB +GBP +inactive +inactive +direct +none +no`).MatchString(out) ||
		!strings.HasSuffix(out, "5 sellers, 4 can sell\n") {
		t.Errorf("table (exit %d):\n%s", code, out)
	}
	if code, out, _ = run("--help"); code != 0 || !strings.Contains(out, "Usage: kasse sellers [--json]") {
		t.Errorf("help: %d %s", code, out)
	}
	if code, _, errs = run("--csv"); code != 64 || !strings.Contains(errs, "-csv") {
		t.Errorf("bad flag: %d %s", code, errs)
	}
	if code, _, errs = run("extra"); code != 64 || !strings.Contains(errs, `unexpected argument "extra"`) {
		t.Errorf("argument: %d %s", code, errs)
	}
}

type failingSellers struct{ pos.Sellers }

func (failingSellers) ListSellers(context.Context) ([]pos.Seller, error) {
	return nil, &pos.Error{Kind: pos.KindAuth, Message: "Invalid API Key provided"}
}

func TestSellersError(t *testing.T) {
	var out, errb bytes.Buffer
	code := headless.RunSellers(context.Background(), failingSellers{}, []string{"--json"}, cli.IO{Out: &out, Err: &errb})
	if code != 1 || out.Len() != 0 || !strings.Contains(errb.String(), "Invalid API Key provided") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
