package sandbox

import "encoding/json"

// Stored platform objects: connected accounts and events. Owned by the
// platform part of the sandbox (accounts*.go, events*.go, seed*.go).

type account struct {
	meta
	businessName     string
	displayName      string
	businessType     string // company | individual | non_profit | government_entity ("" = null)
	country          string
	defaultCurrency  string
	email            string
	accountType      string // standard | express | custom
	controlled       bool   // controller {is_controller: true, type: application}
	cardPayments     string // capability: active | inactive | pending
	transfers        string // capability: active | inactive | pending
	chargesEnabled   bool
	payoutsEnabled   bool
	detailsSubmitted bool
	metadata         map[string]string

	mcc                string
	productDescription string
	supportEmail       string
	supportPhone       string
	supportURL         string
	url                string
	supportAddress     *address

	statementDescriptor      string
	statementDescriptorKana  string // JP only
	statementDescriptorKanji string // JP only
	primaryColor             string
	timezone                 string
	payoutInterval           string // daily | weekly | monthly | manual
	payoutDelayDays          int64
	payoutWeeklyAnchor       string // weekly payouts only

	// Requirements (both "requirements" and "future_requirements" render
	// the same shape; future ones are always empty in the sandbox).
	currentlyDue   []string
	pastDue        []string
	disabledReason string

	tosDate int64 // 0 = not accepted (null)
	tosIP   string

	bank *bankAccount // the payout account (nil: none attached)
}

// bankAccount is an external account of an account (payout destination).
type bankAccount struct {
	id            string
	holderName    string
	holderType    string // individual | company
	bankName      string
	country       string
	currency      string
	fingerprint   string
	last4         string
	routingNumber string // "" = null (IBAN countries)
}

type event struct {
	meta
	typ           string
	object        json.RawMessage // data.object, rendered when the event happened
	previous      json.RawMessage // data.previous_attributes, as given (nil: absent)
	requestID     string
	idempotentKey string
}
