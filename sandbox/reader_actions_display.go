package sandbox

import (
	"strconv"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
)

// set_reader_display: show a cart on the reader. Display only — nothing is
// computed or charged (the total is shown as given). No event.

// setReaderDisplay validates type=cart and the cart, then replaces the
// reader's action with an in-progress set_reader_display. Decision
// (UNVERIFIED, §16): while a payment or setup is in progress on the reader
// (presented or not), a display is refused with terminal_reader_busy —
// only a new payment may replace a payment; cancel_action first.
func (s *Server) setReaderDisplay(rq *request) (any, *apierr.Error) {
	typ, err := termRequired(rq.Params, "type", "type")
	if err != nil {
		return nil, err
	}
	if typ != "cart" {
		return nil, apierr.InvalidParam("type", "Invalid type: must be one of cart")
	}
	cart, err := parseDisplayCart(rq.Params.Child("cart"))
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	if err := s.readerState(r); err != nil {
		return nil, err
	}
	if a := r.action; a != nil && a.status == actionInProgress && a.typ != "set_reader_display" {
		return nil, apierr.ReaderBusy()
	}
	r.action = &readerAction{typ: "set_reader_display", status: actionInProgress, cart: cart}
	return s.renderReader(r, rq.Expand), nil
}

// parseDisplayCart reads cart[currency]*, cart[line_items][i][amount|description|
// quantity]*, cart[tax], cart[total]*.
func parseDisplayCart(c *form.Params) (*displayCart, *apierr.Error) {
	if c == nil {
		return nil, apierr.MissingParam("cart")
	}
	if err := termObject(c, "cart"); err != nil {
		return nil, err
	}
	if err := termOnly(c, "cart", "currency", "line_items", "tax", "total"); err != nil {
		return nil, err
	}
	cur, err := termRequired(c, "currency", "cart[currency]")
	if err != nil {
		return nil, err
	}
	if !termCurrencyOK(cur) {
		return nil, apierr.InvalidParam("cart[currency]", "Invalid currency: %s. Stripe currently supports three-letter ISO currency codes, in lowercase.", cur)
	}
	cart := &displayCart{currency: termLowerCurrency(cur)}
	items := c.Child("line_items")
	if items == nil {
		return nil, apierr.MissingParam("cart[line_items]")
	}
	if items.IsLeaf() {
		return nil, apierr.InvalidParam("cart[line_items]", "Invalid array")
	}
	for i, li := range items.List() {
		p := "cart[line_items][" + strconv.Itoa(i) + "]"
		if err := termObject(li, p); err != nil {
			return nil, err
		}
		if err := termOnly(li, p, "amount", "description", "quantity"); err != nil {
			return nil, err
		}
		amount, set, err := termInt(li, "amount", p+"[amount]")
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, apierr.MissingParam(p + "[amount]")
		}
		desc, err := termRequired(li, "description", p+"[description]")
		if err != nil {
			return nil, err
		}
		if len(desc) > 5000 {
			return nil, apierr.InvalidParam(p+"[description]", "Invalid string: must be at most 5000 characters")
		}
		qty, set, err := termInt(li, "quantity", p+"[quantity]")
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, apierr.MissingParam(p + "[quantity]")
		}
		cart.lineItems = append(cart.lineItems, displayLine{amount: amount, description: desc, quantity: qty})
	}
	if tax, set, err := termInt(c, "tax", "cart[tax]"); err != nil {
		return nil, err
	} else if set {
		cart.tax = &tax
	}
	total, set, err := termInt(c, "total", "cart[total]")
	if err != nil {
		return nil, err
	}
	if !set {
		return nil, apierr.MissingParam("cart[total]")
	}
	cart.total = total
	return cart, nil
}

// termCurrencyOK: three ASCII letters (Stripe lowercases them).
func termCurrencyOK(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func termLowerCurrency(c string) string {
	b := []byte(c)
	for i, r := range b {
		if r >= 'A' && r <= 'Z' {
			b[i] = r + 'a' - 'A'
		}
	}
	return string(b)
}
