package readers

import (
	"strings"

	"kasse/pos"
)

// Device types Kasse names itself: API version 2023-10-16 (stripe-go v76)
// has no S700 type; later versions report stripe_s700 and, for the
// simulator, simulated_stripe_s700.
const (
	DeviceSimulatedS700 = "simulated_stripe_s700"
	simulatedS700Serial = "S700-SIM-"
)

// DeviceType is the reader's device type as Kasse shows it: Stripe's
// device_type, except for a simulated S700 (registration code
// simulated-s700). On 2023-10-16 the simulator has no S700 type and
// reports simulated_wisepos_e with an S700 serial number ("S700-SIM-…",
// see docs/design.md); Kasse shows it as simulated_stripe_s700, the name
// later API versions give it, so an S700 is never mistaken for a WisePOS E.
// Diagnostics bundles keep Stripe's value as is (with the serial).
func DeviceType(r pos.Reader) string {
	if r.DeviceType == "simulated_wisepos_e" && strings.HasPrefix(r.SerialNumber, simulatedS700Serial) {
		return DeviceSimulatedS700
	}
	return r.DeviceType
}

// deviceWords is DeviceType with Stripe's own value when Kasse names it
// differently: "simulated_stripe_s700 (Stripe reports simulated_wisepos_e)".
func deviceWords(kasse, stripe string) string {
	if kasse != "" && kasse != stripe {
		return kasse + " (Stripe reports " + stripe + ")" // i18n:ok for the diagnostics bundle, which is in English (Bundle.Text)
	}
	return stripe
}
