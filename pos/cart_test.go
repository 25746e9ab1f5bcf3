package pos

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustCart(t *testing.T, cur string, rate int64, lines ...Line) Cart {
	t.Helper()
	c, err := NewCart(cur)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = c.WithTaxRate(rate); err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if c, err = c.Add(l); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestCartTotals(t *testing.T) {
	tests := []struct {
		name                 string
		cur                  string
		rate                 int64
		lines                []Line
		subtotal, tax, total int64
	}{
		{"no tax", "usd", 0, []Line{{"Coffee", 2, 350}, {"Bagel", 1, 275}}, 975, 0, 975},
		{"8.25% rounds down", "usd", 8250, []Line{{"A", 1, 1010}}, 1010, 83, 1093}, // 83.325
		{"8.25% rounds up", "usd", 8250, []Line{{"A", 1, 1050}}, 1050, 87, 1137},   // 86.625
		{"exact half rounds up", "usd", 10000, []Line{{"A", 1, 5}}, 5, 1, 6},       // 0.5
		{"just below half", "usd", 9990, []Line{{"A", 1, 5}}, 5, 0, 5},             // 0.4995
		{"jpy", "jpy", 10000, []Line{{"Ramen", 3, 980}}, 2940, 294, 3234},
		{"jpy half", "jpy", 10000, []Line{{"Gum", 1, 105}}, 105, 11, 116},                  // 10.5
		{"kwd tax to step", "kwd", 5000, []Line{{"A", 1, 1230}}, 1230, 60, 1290},           // 61.5 fils → 60
		{"kwd tax half step up", "kwd", 5000, []Line{{"A", 1, 1300}}, 1300, 70, 1370},      // 65 fils → 70
		{"isk whole kronur", "isk", 24000, []Line{{"Skyr", 1, 39900}}, 39900, 9600, 49500}, // 95.76 kr → 96
		{"8.875% (three decimals)", "usd", 8875, []Line{{"A", 1, 1000}}, 1000, 89, 1089},   // 88.75
		{"100% tax", "eur", 100000, []Line{{"A", 2, 100}}, 200, 200, 400},
	}
	for _, tt := range tests {
		c := mustCart(t, tt.cur, tt.rate, tt.lines...)
		if c.Subtotal() != tt.subtotal || c.Tax() != tt.tax || c.Total() != tt.total {
			t.Errorf("%s: subtotal/tax/total = %d/%d/%d, want %d/%d/%d", tt.name,
				c.Subtotal(), c.Tax(), c.Total(), tt.subtotal, tt.tax, tt.total)
		}
	}
}

func TestCartLineValidation(t *testing.T) {
	base := mustCart(t, "usd", 0, Line{"Coffee", 1, 350})
	tests := []struct {
		name string
		line Line
		err  error
		msg  string
	}{
		{"empty description", Line{"  ", 1, 100}, ErrLineDescription, "needs a description"},
		{"long description", Line{strings.Repeat("x", MaxDescriptionLen+1), 1, 100}, ErrLineDescription, "at most"},
		{"zero quantity", Line{"A", 0, 100}, ErrLineQuantity, "at least 1"},
		{"negative quantity", Line{"A", -2, 100}, ErrLineQuantity, "at least 1"},
		{"huge quantity", Line{"A", MaxQuantity + 1, 100}, ErrLineQuantity, "maximum"},
		{"zero price", Line{"A", 1, 0}, ErrLinePrice, "above zero"},
		{"negative price", Line{"A", 1, -100}, ErrLinePrice, "above zero"},
		{"price above max", Line{"A", 1, MaxAmount + 1}, ErrAmountTooLarge, "maximum"},
		{"total above max", Line{"A", 2, MaxAmount / 2}, ErrAmountTooLarge, "total 1000003.48 USD is above"},
	}
	for _, tt := range tests {
		got, err := base.Add(tt.line)
		if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: Add err = %v, want %v containing %q", tt.name, err, tt.err, tt.msg)
		}
		if !reflect.DeepEqual(got, base) {
			t.Errorf("%s: a failed Add must return the cart unchanged", tt.name)
		}
		if tt.name == "total above max" {
			continue // replacing the only other line keeps the total in range
		}
		if _, err := base.Edit(0, tt.line); !errors.Is(err, tt.err) {
			t.Errorf("%s: Edit err = %v, want %v", tt.name, err, tt.err)
		}
	}
	kwd := mustCart(t, "kwd", 0)
	if _, err := kwd.Add(Line{"A", 1, 1235}); !errors.Is(err, ErrAmountPrecision) {
		t.Errorf("kwd price must be a multiple of 10: %v", err)
	}
}

func TestCartEditing(t *testing.T) {
	c := mustCart(t, "usd", 0, Line{" Coffee ", 1, 350}, Line{"Bagel", 2, 275})
	if c.Lines[0].Description != "Coffee" {
		t.Errorf("description not trimmed: %q", c.Lines[0].Description)
	}
	steps := []struct {
		name  string
		do    func(Cart) (Cart, error)
		err   error
		total int64
	}{
		{"set qty", func(c Cart) (Cart, error) { return c.SetQuantity(0, 3) }, nil, 3*350 + 550},
		{"inc qty", func(c Cart) (Cart, error) { return c.ChangeQuantity(1, 1) }, nil, 1050 + 3*275},
		{"dec qty", func(c Cart) (Cart, error) { return c.ChangeQuantity(1, -2) }, nil, 1050 + 275},
		{"dec below 1", func(c Cart) (Cart, error) { return c.ChangeQuantity(1, -1) }, ErrLineQuantity, 1050 + 275},
		{"inc above max", func(c Cart) (Cart, error) { return c.ChangeQuantity(1, MaxQuantity) }, ErrLineQuantity, 1050 + 275},
		{"huge delta", func(c Cart) (Cart, error) { return c.ChangeQuantity(1, 1<<62) }, ErrLineQuantity, 1050 + 275},
		{"qty bad index", func(c Cart) (Cart, error) { return c.ChangeQuantity(7, 1) }, ErrLineIndex, 1050 + 275},
		{"edit", func(c Cart) (Cart, error) { return c.Edit(1, Line{"Muffin", 1, 300}) }, nil, 1050 + 300},
		{"bad index", func(c Cart) (Cart, error) { return c.Edit(5, Line{"X", 1, 1}) }, ErrLineIndex, 1350},
		{"remove", func(c Cart) (Cart, error) { return c.Remove(0) }, nil, 300},
		{"remove bad", func(c Cart) (Cart, error) { return c.Remove(-1) }, ErrLineIndex, 300},
		{"tax", func(c Cart) (Cart, error) { return c.WithTaxRate(10000) }, nil, 330},
		{"bad tax", func(c Cart) (Cart, error) { return c.WithTaxRate(-1) }, ErrTaxRate, 330},
		{"remove last", func(c Cart) (Cart, error) { return c.Remove(0) }, nil, 0},
	}
	for _, s := range steps {
		n, err := s.do(c)
		if !errors.Is(err, s.err) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.err)
		}
		if n.Total() != s.total {
			t.Fatalf("%s: total = %d, want %d", s.name, n.Total(), s.total)
		}
		c = n
	}
}

func TestCartImmutability(t *testing.T) {
	a := mustCart(t, "usd", 0, Line{"A", 1, 100}, Line{"B", 1, 200})
	snapshot := append([]Line(nil), a.Lines...)
	b, _ := a.Add(Line{"C", 1, 300})
	c, _ := a.Add(Line{"D", 1, 400}) // must not overwrite b's third line
	_, _ = a.Edit(0, Line{"Z", 9, 900})
	_, _ = a.Remove(0)
	_, _ = a.SetQuantity(1, 5)
	if !reflect.DeepEqual(a.Lines, snapshot) {
		t.Fatalf("receiver modified: %+v", a.Lines)
	}
	if b.Lines[2].Description != "C" || c.Lines[2].Description != "D" {
		t.Fatalf("carts share a backing array: b=%+v c=%+v", b.Lines, c.Lines)
	}
	d := a.DisplayCart()
	d.Lines[0].Description = "changed"
	if a.Lines[0].Description != "A" {
		t.Fatal("DisplayCart aliases the cart")
	}
}

func TestCartValidateForCharge(t *testing.T) {
	tests := []struct {
		name string
		cart Cart
		err  error
		msg  string
	}{
		{"ok", mustCart(t, "usd", 0, Line{"A", 1, 50}), nil, ""},
		{"empty", mustCart(t, "usd", 0), ErrCartEmpty, "empty"},
		{"below usd minimum", mustCart(t, "usd", 0, Line{"A", 1, 49}), ErrAmountBelowMinimum, "0.49 USD is below the minimum charge of 0.50 USD"},
		{"gbp 0.30 is fine", mustCart(t, "gbp", 0, Line{"A", 1, 30}), nil, ""},
		{"jpy below 50", mustCart(t, "jpy", 0, Line{"A", 1, 49}), ErrAmountBelowMinimum, "49 JPY"},
		{"tax lifts above minimum", mustCart(t, "usd", 10000, Line{"A", 1, 46}), nil, ""},
		{"bad line in literal", Cart{Currency: "usd", Lines: []Line{{"", 1, 100}}}, ErrLineDescription, "line 1"},
		{"bad currency", Cart{Currency: "xx", Lines: []Line{{"A", 1, 100}}}, ErrCurrency, ""},
		{"total above max in literal", Cart{Currency: "usd", Lines: []Line{{"A", 2, MaxAmount}}}, ErrAmountTooLarge, "total"},
	}
	for _, tt := range tests {
		err := tt.cart.ValidateForCharge()
		if !errors.Is(err, tt.err) || (err != nil && !strings.Contains(err.Error(), tt.msg)) {
			t.Errorf("%s: err = %v, want %v containing %q", tt.name, err, tt.err, tt.msg)
		}
	}
	if err := mustCart(t, "usd", 0, Line{"A", 1, 10}).Validate(); err != nil {
		t.Errorf("Validate must not check the minimum: %v", err)
	}
}

func TestDisplayCart(t *testing.T) {
	c := mustCart(t, "usd", 8250, Line{"Coffee", 2, 350}, Line{"Bagel", 1, 275})
	want := DisplayCart{
		Currency: "usd",
		Lines:    []CartLine{{"Coffee", 2, 700}, {"Bagel", 1, 275}},
		Tax:      80, // 975 × 8.25 % = 80.4375
		Total:    1055,
	}
	if got := c.DisplayCart(); !reflect.DeepEqual(got, want) {
		t.Fatalf("DisplayCart = %+v, want %+v", got, want)
	}
}

func TestCartFull(t *testing.T) {
	c := mustCart(t, "usd", 0)
	var err error
	for i := 0; i < MaxLines; i++ {
		if c, err = c.Add(Line{"x", 1, 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err = c.Add(Line{"x", 1, 1}); !errors.Is(err, ErrCartFull) {
		t.Fatalf("want ErrCartFull, got %v", err)
	}
}
