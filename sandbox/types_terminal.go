package sandbox

// Stored Terminal objects. Owned by the terminal part of the sandbox
// (locations*.go, readers*.go, reader_actions*.go); extend freely.

type address struct {
	line1, line2, city, state, postalCode, country string
}

type location struct {
	meta
	displayName            string
	address                address
	configurationOverrides string
	metadata               map[string]string
	deleted                bool // DELETE answered; GET then returns the deleted stub
}

type reader struct {
	meta
	label           string
	deviceType      string
	serialNumber    string
	softwareVersion string
	ipAddress       string
	status          string // online | offline
	locationID      string
	metadata        map[string]string
	action          *readerAction // nil: no action
	regCode         string        // registration code: the default label
	deleted         bool          // DELETE answered; GET then returns the deleted stub
}

type readerAction struct {
	typ            string // process_payment_intent | process_setup_intent | set_reader_display | refund_payment
	status         string // in_progress | succeeded | failed
	failureCode    string
	failureMessage string
	// process_payment_intent
	paymentIntent string
	hasConfig     bool  // process_config was given: rendered only then
	skipTipping   *bool // nil: not given
	tipEligible   *int64
	enableCancel  *bool // nil: not given
	// process_setup_intent
	setupIntent   string
	generatedCard string
	// set_reader_display
	cart *displayCart
	// presenting is true from present_payment_method until the outcome is
	// settled: the reader is then "busy" (authorizing).
	presenting bool
}

type displayCart struct {
	currency  string
	lineItems []displayLine
	tax       *int64
	total     int64
}

type displayLine struct {
	amount      int64
	description string
	quantity    int64
}

type setupIntent struct {
	meta
	status             string
	paymentMethodTypes []string
	customer           string
	description        string
	metadata           map[string]string
	usage              string
	paymentMethod      string
	clientSecret       string
	automatic          bool   // automatic_payment_methods enabled (no payment_method_types given)
	latestAttempt      string // setatt_… once a card was presented
	lastError          *setupError
}

// setupError is a SetupIntent's last_setup_error.
type setupError struct {
	typ, code, declineCode, message string
}

// Simulated device types by registration code (2023-10-16 has no S700
// device type; the sandbox reports simulated-s700 readers as
// simulated_wisepos_e with an S700 serial prefix — see ARCHITECTURE.md).
var simulatedCodes = map[string]string{
	"simulated-wpe":  "simulated_wisepos_e",
	"simulated-s700": "simulated_wisepos_e",
}

// newLocation stores a location of account. Called with mu held.
func (s *Server) newLocation(account, displayName string, addr address, now int64) *location {
	l := &location{meta: s.newMeta("tml", account, now), displayName: displayName, address: addr, metadata: map[string]string{}}
	s.st.locations[l.id] = l
	return l
}

// newSimulatedReader stores an online simulated reader of account at
// locationID, registered with code (simulated-wpe or simulated-s700).
// Called with mu held.
func (s *Server) newSimulatedReader(account, code, label, locationID string, now int64) *reader {
	if label == "" {
		label = code
	}
	serial := "WPE-SIM-" + randomString(10)
	if code == "simulated-s700" {
		serial = "S700-SIM-" + randomString(9)
	}
	r := &reader{meta: s.newMeta("tmr", account, now), label: label, deviceType: simulatedCodes[code],
		serialNumber: serial, softwareVersion: "2.22.2.0", ipAddress: "0.0.0.0", status: "online",
		locationID: locationID, metadata: map[string]string{}, regCode: code}
	s.st.readers[r.id] = r
	return r
}
