package ui

import (
	"strings"

	"kasse/pos"
)

// Money rendering helpers on top of pos.Format (the one formatter).

// amountNum renders amount without the currency code ("12.50"), for
// columns whose currency is given once.
func amountNum(amount int64, currency string) string {
	s := pos.Format(amount, currency)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// quickItem is a QuickKey resolved for the seller's currency.
type quickItem struct {
	QuickKey
	price int64
	err   error // the price does not fit the currency
}

func resolveQuickKeys(qs []QuickKey, currency string) []quickItem {
	out := make([]quickItem, 0, len(qs))
	for _, q := range qs {
		p, err := pos.ParseAmount(q.Price, currency)
		if err == nil && p <= 0 {
			err = &pos.ValidationError{Err: pos.ErrLinePrice, Msg: "price must be above zero"}
		}
		out = append(out, quickItem{QuickKey: q, price: p, err: err})
	}
	return out
}
