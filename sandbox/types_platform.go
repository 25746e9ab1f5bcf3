package sandbox

import "encoding/json"

// Stored platform objects: connected accounts and events. Owned by the
// platform part of the sandbox (accounts*.go, events*.go, seed*.go).

type account struct {
	meta
	businessName     string
	displayName      string
	country          string
	defaultCurrency  string
	email            string
	accountType      string // standard | express | custom
	cardPayments     string // capability: active | inactive | pending
	chargesEnabled   bool
	payoutsEnabled   bool
	detailsSubmitted bool
	metadata         map[string]string
}

type event struct {
	meta
	typ           string
	object        json.RawMessage // data.object, rendered when the event happened
	previous      map[string]any  // data.previous_attributes (nil: absent)
	requestID     string
	idempotentKey string
}
