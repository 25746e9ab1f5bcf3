package widgets

import (
	"errors"
	"strings"

	"kasse/i18n"
	"kasse/pos"
)

// The Connect charge types in the console's words (catalog charges.*).

// ChargeTypeName is t short, for lists: "direct", "destination",
// "separate".
func ChargeTypeName(loc *i18n.Locale, t pos.ChargeType) string {
	return loc.T("charges.type." + string(t.Or())) // i18n:ok a catalog key built from a pos enum
}

// ChargeVia is t in a sentence: "destination charge".
func ChargeVia(loc *i18n.Locale, t pos.ChargeType) string {
	return loc.T("charges.via." + string(t.Or())) // i18n:ok a catalog key built from a pos enum
}

// FeeRuleText renders a fee rule in loc: "2.5% + $0.30" ("" for none).
// A fixed part is shown in currency when the rule names it, else every
// fixed part the rule names.
func FeeRuleText(loc *i18n.Locale, r pos.FeeRule, currency string) string {
	var parts []string
	if r.Percent != 0 {
		parts = append(parts, Percent(loc, r.Percent))
	}
	if v, ok := r.Fixed[strings.ToLower(currency)]; ok {
		parts = append(parts, loc.Money(v, currency))
	} else {
		var fixed []string
		for _, code := range sortedKeys(r.Fixed) {
			fixed = append(fixed, loc.Money(r.Fixed[code], code))
		}
		if len(fixed) > 0 {
			parts = append(parts, strings.Join(fixed, " | ")) // i18n:ok a separator between amounts
		}
	}
	return strings.Join(parts, " + ") // i18n:ok an arithmetic sign
}

// SellerCharges describes how the platform charges for s, for the seller
// list: "destination · fee 2.5%"; "" for a direct charge without a fee
// (the default, which needs no words).
func SellerCharges(loc *i18n.Locale, s pos.Seller) string {
	cs := s.Charges
	if cs.Type.Or() == pos.ChargeDirect && cs.Fee.IsZero() {
		return ""
	}
	out := ChargeTypeName(loc, cs.Type)
	if fee := FeeRuleText(loc, cs.Fee, s.Currency); fee != "" {
		out += " · " + loc.T("charges.fee", i18n.Args{"Rule": fee}) // i18n:ok a separator
	}
	return out
}

// capabilityBlock says which capability the seller's charge type needs
// and lacks: "transfers inactive (destination)".
func capabilityBlock(loc *i18n.Locale, s pos.Seller) string {
	missing := s.MissingCapabilities()
	if len(missing) == 0 {
		return ""
	}
	c := missing[0]
	state := "not_requested" // i18n:ok a catalog key part
	switch s.Capability(c) {
	case pos.CapabilityInactive:
		state = "inactive" // i18n:ok a catalog key part
	case pos.CapabilityPending:
		state = "pending" // i18n:ok a catalog key part
	}
	if loc == nil {
		return "charges.block.capability" // i18n:ok a catalog key
	}
	stateKey := "charges.state." + state // i18n:ok a catalog key built from a capability state
	return loc.T("charges.block.capability", i18n.Args{"Capability": c, "State": loc.T(stateKey),
		"Type": ChargeTypeName(loc, s.Charges.Type)})
}

// ChargeProblem renders pos's refusal of a sale's charge setup (a fee
// rule without a fixed fee in the currency, an invalid rule) in loc.
func ChargeProblem(loc *i18n.Locale, err error, currency string) string {
	if errors.Is(err, pos.ErrFeeCurrency) {
		return loc.T("charges.register.fee_currency", i18n.Args{"Currency": strings.ToUpper(currency)})
	}
	return loc.T("charges.register.fee_rule", i18n.Args{"Error": err.Error()})
}

func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
