package stripeapi

import (
	"bytes"
	"encoding/json"
)

// tipIndex maps PaymentIntent ids to their tip. It exists because
// pos.Intent.Tip must tell "tipping off" (amount_details.tip has no amount:
// {"tip": {}}) from "no tip chosen" (amount 0), and stripe-go decodes both
// to Amount == 0. The raw response is therefore scanned once for every
// embedded payment_intent object: top level, list data, expanded reader
// actions.
type tipIndex map[string]*int64

// tipsFrom indexes the tips of all payment_intent objects in raw. A nil or
// undecodable document gives an empty index (every tip then reads as nil).
func tipsFrom(raw []byte) tipIndex {
	idx := tipIndex{}
	if len(raw) == 0 {
		return idx
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return idx
	}
	idx.walk(doc)
	return idx
}

func (idx tipIndex) walk(v any) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			idx.walk(e)
		}
	case map[string]any:
		if v["object"] == "payment_intent" {
			if id, ok := v["id"].(string); ok {
				if n, ok := tipAmount(v); ok {
					idx[id] = &n
				}
			}
		}
		for _, e := range v {
			idx.walk(e)
		}
	}
}

// tipAmount reads amount_details.tip.amount when it is present and a number.
func tipAmount(pi map[string]any) (int64, bool) {
	ad, _ := pi["amount_details"].(map[string]any)
	tip, _ := ad["tip"].(map[string]any)
	num, ok := tip["amount"].(json.Number)
	if !ok {
		return 0, false
	}
	n, err := num.Int64()
	return n, err == nil
}

// of returns the tip of intent id, nil when tipping was off or unknown.
func (idx tipIndex) of(id string) *int64 {
	if t, ok := idx[id]; ok {
		n := *t
		return &n
	}
	return nil
}
