package pos

import (
	"strings"
	"testing"
	"time"
)

// The PaymentIntent carries the sale id, the console and the operator, so
// a payment seen in the Dashboard (or by another console) says where it was
// rung up and reconciliation can find it.
func TestCreateCarriesSaleConsoleAndOperator(t *testing.T) {
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	sale, err := NewSale(SaleConfig{ID: "s7", Seller: "acct_1", ReaderID: "tmr_1", Currency: "usd",
		ConsoleID: "front-till", Operator: "anna"}, at)
	if err != nil {
		t.Fatal(err)
	}
	cart, err := sale.Cart.Add(Line{Description: "Tea", Quantity: 1, UnitPrice: 450})
	if err != nil {
		t.Fatal(err)
	}
	sale, _ = Step(sale, CartChanged{At: at, Cart: cart})
	_, effs := Step(sale, ChargeRequested{At: at})
	var ci *CreateIntent
	for _, e := range effs {
		if c, ok := e.(CreateIntent); ok {
			ci = &c
		}
	}
	if ci == nil {
		t.Fatalf("no CreateIntent in %v", effs)
	}
	want := map[string]string{"kasse_sale_id": "s7", "kasse_console_id": "front-till", "kasse_operator": "anna"}
	for k, v := range want {
		if ci.Request.Metadata[k] != v {
			t.Errorf("metadata[%s] = %q, want %q (all: %v)", k, ci.Request.Metadata[k], v, ci.Request.Metadata)
		}
	}

	if _, err := NewSale(SaleConfig{ID: "s8", Currency: "usd", Operator: strings.Repeat("x", 501)}, at); err == nil {
		t.Error("an operator name past Stripe's 500-character metadata limit was accepted")
	}
}
