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
}

type readerAction struct {
	typ            string // process_payment_intent | process_setup_intent | set_reader_display | refund_payment
	status         string // in_progress | succeeded | failed
	failureCode    string
	failureMessage string
	// process_payment_intent
	paymentIntent string
	skipTipping   *bool
	tipEligible   *int64
	enableCancel  *bool
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
}
