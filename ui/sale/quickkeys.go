package sale

import (
	"strings"

	"kasse/ui/app"
)

// quickItem is a QuickKey resolved for the seller's currency.
type quickItem struct {
	app.QuickKey
	price   int64
	noPrice bool // no price in the seller's currency: the key is unavailable
}

// resolveQuickKeys picks each key's price in currency. A key without one
// is kept, unavailable, so the register can say why it does nothing: a
// price is never carried over from another currency.
func resolveQuickKeys(qs []app.QuickKey, currency string) []quickItem {
	cur := strings.ToLower(currency)
	out := make([]quickItem, 0, len(qs))
	for _, q := range qs {
		p, ok := q.Prices[cur]
		out = append(out, quickItem{QuickKey: q, price: p, noPrice: !ok || p <= 0})
	}
	return out
}
