package pos

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Cart limits. Quantity and line caps keep every sum far from int64
// overflow; the description cap is Stripe's limit for reader-display lines.
const (
	MaxQuantity       int64 = 9999
	MaxLines                = 100
	MaxDescriptionLen       = 5000 // characters
	// TaxRateScale is the tax rate that means 100 %: rates are kept in
	// thousandths of a percent (8.875 % is 8875), as the config file allows.
	TaxRateScale int64 = 100_000
)

// Line is one cart line. UnitPrice is in minor units of the cart currency.
type Line struct {
	Description string
	Quantity    int64
	UnitPrice   int64
}

// Amount is the line total, Quantity × UnitPrice.
func (l Line) Amount() int64 { return l.Quantity * l.UnitPrice }

// Cart is what the cashier rings up. Tax is exclusive: it is computed on
// the subtotal at TaxRate (thousandths of a percent: 8250 = 8.25 %,
// 8875 = 8.875 %) and added on top. For
// tax-inclusive prices (VAT) use a rate of 0; Kasse then shows no tax line.
//
// A Cart is a value. Every method returns a new Cart with its own Lines
// slice; no two carts share a backing array.
type Cart struct {
	Currency string
	Lines    []Line
	TaxRate  int64 // thousandths of a percent, 0..TaxRateScale
}

// NewCart returns an empty cart in currency (normalised to lower case).
func NewCart(currency string) (Cart, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return Cart{}, err
	}
	return Cart{Currency: c.Code}, nil
}

// WithTaxRate returns the cart with a new tax rate in thousandths of a
// percent (0–TaxRateScale).
func (c Cart) WithTaxRate(rate int64) (Cart, error) {
	if rate < 0 || rate > TaxRateScale {
		return c, invalid(ErrTaxRate, "tax rate %s is outside 0 %%–100 %%", FormatTaxRate(rate))
	}
	n := c.clone()
	n.TaxRate = rate
	return n, n.checkTotal()
}

// Add appends a line. The description is trimmed.
func (c Cart) Add(l Line) (Cart, error) {
	if len(c.Lines) >= MaxLines {
		return c, invalid(ErrCartFull, "a cart holds at most %d lines", MaxLines)
	}
	l, err := c.checkLine(l)
	if err != nil {
		return c, err
	}
	n := c.clone()
	n.Lines = append(n.Lines, l)
	if err := n.checkTotal(); err != nil {
		return c, err
	}
	return n, nil
}

// Edit replaces line i (0-based).
func (c Cart) Edit(i int, l Line) (Cart, error) {
	if err := c.checkIndex(i); err != nil {
		return c, err
	}
	l, err := c.checkLine(l)
	if err != nil {
		return c, err
	}
	n := c.clone()
	n.Lines[i] = l
	if err := n.checkTotal(); err != nil {
		return c, err
	}
	return n, nil
}

// Remove deletes line i.
func (c Cart) Remove(i int) (Cart, error) {
	if err := c.checkIndex(i); err != nil {
		return c, err
	}
	n := c.clone()
	n.Lines = append(n.Lines[:i], n.Lines[i+1:]...)
	return n, nil
}

// SetQuantity sets line i's quantity (1–MaxQuantity).
func (c Cart) SetQuantity(i int, q int64) (Cart, error) {
	if err := c.checkIndex(i); err != nil {
		return c, err
	}
	l := c.Lines[i]
	l.Quantity = q
	return c.Edit(i, l)
}

// ChangeQuantity adds delta (may be negative) to line i's quantity. Going
// below 1 is an error: remove the line instead.
func (c Cart) ChangeQuantity(i int, delta int64) (Cart, error) {
	if err := c.checkIndex(i); err != nil {
		return c, err
	}
	if delta > MaxQuantity || delta < -MaxQuantity {
		return c, invalid(ErrLineQuantity, "quantity change %d is too large", delta)
	}
	return c.SetQuantity(i, c.Lines[i].Quantity+delta)
}

// Subtotal is the sum of the line amounts.
func (c Cart) Subtotal() int64 {
	var s int64
	for _, l := range c.Lines {
		s += l.Amount()
	}
	return s
}

// Tax is Subtotal × rate, rounded half up to the currency's smallest
// chargeable amount (1 minor unit; 10 for three-decimal currencies; 100 for
// ISK). Example: 8.25 % of 10.10 USD is 83.325 cents, which gives 83; 8.25 %
// of 10.50 USD is 86.625 cents, which gives 87; exactly half rounds up.
func (c Cart) Tax() int64 {
	step := currencyOrDefault(c.Currency).Step
	denom := TaxRateScale * step
	return (c.Subtotal()*c.TaxRate + denom/2) / denom * step
}

// Total is Subtotal + Tax: the amount to charge.
func (c Cart) Total() int64 { return c.Subtotal() + c.Tax() }

// Validate checks the whole cart: at least one valid line and a total not
// above MaxAmount. It does not check the minimum charge (see
// ValidateForCharge), so a cart can be built up from small items.
func (c Cart) Validate() error {
	if _, err := LookupCurrency(c.Currency); err != nil {
		return err
	}
	if len(c.Lines) == 0 {
		return invalid(ErrCartEmpty, "the cart is empty")
	}
	if len(c.Lines) > MaxLines {
		return invalid(ErrCartFull, "a cart holds at most %d lines", MaxLines)
	}
	if c.TaxRate < 0 || c.TaxRate > TaxRateScale {
		return invalid(ErrTaxRate, "tax rate %s is outside 0 %%–100 %%", FormatTaxRate(c.TaxRate))
	}
	for i, l := range c.Lines {
		if _, err := c.checkLine(l); err != nil {
			return invalid(errorsSentinel(err), "line %d: %v", i+1, err)
		}
	}
	return c.checkTotal()
}

// ValidateForCharge is Validate plus Stripe's minimum charge for the
// currency; run it when the cashier presses Charge.
func (c Cart) ValidateForCharge() error {
	if err := c.Validate(); err != nil {
		return err
	}
	if m := MinimumCharge(c.Currency); c.Total() < m {
		return invalid(ErrAmountBelowMinimum, "total %s is below the minimum charge of %s",
			Format(c.Total(), c.Currency), Format(m, c.Currency))
	}
	return nil
}

// DisplayCart converts the cart to what set_reader_display shows; each
// line's Amount is Quantity × UnitPrice.
func (c Cart) DisplayCart() DisplayCart {
	d := DisplayCart{Currency: c.Currency, Tax: c.Tax(), Total: c.Total()}
	d.Lines = make([]CartLine, len(c.Lines))
	for i, l := range c.Lines {
		d.Lines[i] = CartLine{Description: l.Description, Quantity: l.Quantity, Amount: l.Amount()}
	}
	return d
}

func (c Cart) clone() Cart {
	n := c
	n.Lines = make([]Line, len(c.Lines), len(c.Lines)+1)
	copy(n.Lines, c.Lines)
	return n
}

func (c Cart) checkIndex(i int) error {
	if i < 0 || i >= len(c.Lines) {
		return invalid(ErrLineIndex, "no line %d (the cart has %d)", i+1, len(c.Lines))
	}
	return nil
}

func (c Cart) checkLine(l Line) (Line, error) {
	cur, err := LookupCurrency(c.Currency)
	if err != nil {
		return l, err
	}
	l.Description = strings.TrimSpace(l.Description)
	switch {
	case l.Description == "":
		return l, invalid(ErrLineDescription, "a line needs a description")
	case utf8.RuneCountInString(l.Description) > MaxDescriptionLen:
		return l, invalid(ErrLineDescription, "a description has at most %d characters", MaxDescriptionLen)
	case l.Quantity < 1:
		return l, invalid(ErrLineQuantity, "quantity %d: it must be at least 1 (remove the line instead)", l.Quantity)
	case l.Quantity > MaxQuantity:
		return l, invalid(ErrLineQuantity, "quantity %d is above the maximum of %d", l.Quantity, MaxQuantity)
	case l.UnitPrice <= 0:
		return l, invalid(ErrLinePrice, "price %s: it must be above zero", Format(l.UnitPrice, c.Currency))
	case l.UnitPrice > MaxAmount:
		return l, invalid(ErrAmountTooLarge, "price %s is above Stripe's maximum of %s", Format(l.UnitPrice, c.Currency), Format(MaxAmount, c.Currency))
	case l.UnitPrice%cur.Step != 0:
		return l, stepError(Format(l.UnitPrice, c.Currency), cur)
	}
	return l, nil
}

func (c Cart) checkTotal() error {
	if t := c.Total(); t > MaxAmount {
		return invalid(ErrAmountTooLarge, "total %s is above Stripe's maximum of %s per payment",
			Format(t, c.Currency), Format(MaxAmount, c.Currency))
	}
	return nil
}

func errorsSentinel(err error) error {
	if v, ok := err.(*ValidationError); ok {
		return v.Err
	}
	return err
}

// FormatTaxRate renders a rate in thousandths of a percent without
// trailing zeros: 8250 → "8.25%", 8875 → "8.875%", 0 → "0%".
func FormatTaxRate(rate int64) string {
	sign := ""
	if rate < 0 {
		sign, rate = "-", -rate
	}
	s := sign + strconv.FormatInt(rate/1000, 10)
	if frac := rate % 1000; frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1000+frac, 10)[1:], "0")
	}
	return s + "%"
}

// ShowsCart reports whether reader r is showing exactly cart c right now
// (an in-progress set_reader_display with that cart): the check before a
// console clears "its" cart from a reader it shares with others.
func ShowsCart(r Reader, c DisplayCart) bool {
	a := r.Action
	if a == nil || a.Type != ActionSetReaderDisplay || a.Status != ActionInProgress || a.Display == nil {
		return false
	}
	d := *a.Display
	if !strings.EqualFold(d.Currency, c.Currency) || d.Tax != c.Tax || d.Total != c.Total || len(d.Lines) != len(c.Lines) {
		return false
	}
	for i := range d.Lines {
		if d.Lines[i] != c.Lines[i] {
			return false
		}
	}
	return true
}
