package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/stripe/stripe-mock/embedded"
)

// fixtureKeys maps an object type ("terminal.reader") to the sorted top-level
// keys of stripe-mock's fixture for it.
var fixtureKeys = sync.OnceValues(func() (map[string][]string, error) {
	var fx struct {
		Resources map[string]map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(embedded.OpenAPIFixtures, &fx); err != nil {
		return nil, fmt.Errorf("conformance: parse fixtures: %w", err)
	}
	keys := make(map[string][]string, len(fx.Resources))
	for object, res := range fx.Resources {
		ks := make([]string, 0, len(res))
		for k := range res {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		keys[object] = ks
	}
	return keys, nil
})

// FixtureKeys returns the top-level keys of stripe-mock's fixture for an
// object type (e.g. "payment_intent"), sorted; nil if there is no fixture.
func FixtureKeys(object string) []string {
	keys, err := fixtureKeys()
	if err != nil {
		return nil
	}
	return append([]string(nil), keys[object]...)
}

// MissingFixtureKeys closes the gap left by the spec's `required` lists,
// which omit every nullable field: it returns the keys that stripe-mock's
// fixture for obj["object"] has but obj lacks (a dropped `"action": null`
// passes schema validation but not this check). Only a superset of the
// fixture's keys is required; some fixtures (refund, terminal.location) carry
// fewer keys than the schema has properties.
//
// The check recurses into every nested value that is itself a Stripe object
// (a map with a string "object" field), such as list envelopes' data items,
// expanded fields (reader.action.process_payment_intent.payment_intent,
// payment_intent.latest_charge) and event.data.object. Top-level misses are
// reported as bare keys ("action"), nested ones as paths
// ("data[0].action", "latest_charge.refunds"). Deleted stubs
// (`"deleted": true`) and event.data.previous_attributes (partial by design)
// are skipped. Object types without a fixture (e.g. "list") are not checked
// themselves, but their children are. The result is sorted; nil means no miss.
func MissingFixtureKeys(obj map[string]any) []string {
	keys, err := fixtureKeys()
	if err != nil {
		return []string{"(fixtures unavailable: " + err.Error() + ")"}
	}
	var miss []string
	walkObjects("", obj, keys, &miss)
	sort.Strings(miss)
	return miss
}

func walkObjects(path string, v any, keys map[string][]string, miss *[]string) {
	switch x := v.(type) {
	case map[string]any:
		if x["deleted"] == true {
			return
		}
		if object, ok := x["object"].(string); ok {
			for _, k := range keys[object] {
				if object == "payment_method" && k != x["type"] && paymentMethodTypes[k] {
					continue // the type's own hash: the fixture is a card, a card_present method has none
				}
				if _, has := x[k]; !has {
					*miss = append(*miss, join(path, k))
				}
			}
		}
		for k, child := range x {
			if k == "previous_attributes" {
				continue
			}
			walkObjects(join(path, k), child, keys, miss)
		}
	case []any:
		for i, child := range x {
			walkObjects(path+"["+strconv.Itoa(i)+"]", child, keys, miss)
		}
	}
}

// paymentMethodTypes are the payment_method keys named after a type: a
// PaymentMethod carries only its own type's (stripe-mock's fixture is a
// card).
var paymentMethodTypes = map[string]bool{"card": true, "card_present": true, "interac_present": true,
	"us_bank_account": true, "sepa_debit": true, "link": true}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
