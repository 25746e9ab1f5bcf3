package sandbox

// Stored payment objects. Owned by the payments part of the sandbox
// (payment_intents*.go, charges*.go, refunds*.go, testcards*.go).

type paymentIntent struct {
	meta
	amount             int64
	amountCapturable   int64
	amountReceived     int64
	currency           string
	status             string
	captureMethod      string
	description        string
	receiptEmail       string
	metadata           map[string]string
	paymentMethodTypes []string
	automaticPM        bool   // no payment_method_types given: automatic_payment_methods enabled
	tip                *int64 // amount_details.tip.amount once a tip was collected
	lastError          *paymentError
	latestCharge       string
	paymentMethod      string
	canceledAt         int64
	cancellationReason string
	applicationFee     *int64
	clientSecret       string

	statementDescriptor       string
	statementDescriptorSuffix string
	onBehalfOf                string
	transferDest              string // transfer_data[destination]; "" = none
	transferAmount            *int64 // transfer_data[amount]
	transferGroup             string
	setupFutureUsage          string
	// payment_method_options[card_present]
	requestExtendedAuth    *bool
	requestIncrementalAuth *bool
}

// paymentError is a PaymentIntent's last_payment_error.
type paymentError struct {
	typ, code, declineCode, message, charge, paymentMethod string
}

type charge struct {
	meta
	amount         int64
	amountCaptured int64
	amountRefunded int64
	currency       string
	status         string // succeeded | failed | pending
	paid           bool
	captured       bool
	refunded       bool
	paymentIntent  string
	paymentMethod  string
	brand, last4   string
	failureCode    string
	failureMessage string
	declineCode    string
	applicationFee *int64
	metadata       map[string]string

	card                      *testCard // the card presented (details, network, funding)
	pmType                    string    // card_present | interac_present
	captureMethod             string
	description               string
	receiptEmail              string
	receiptURL                string
	statementDescriptor       string
	statementDescriptorSuffix string
	calculatedDescriptor      string
	onBehalfOf                string
	transferDest              string
	transferAmount            *int64
	transferGroup             string
	applicationFeeID          string // fee_… once captured with an application fee
	cvm                       string // receipt.cardholder_verification_method
	authCode                  string // receipt.authorization_code ("" on decline)
	outcomeType               string // authorized | issuer_declined | invalid
	outcomeReason             string // decline reason ("" on approval)
	sellerMessage             string
}

type refund struct {
	meta
	amount        int64
	charge        string
	paymentIntent string
	currency      string
	reason        string
	status        string
	metadata      map[string]string
	sameDay       bool // created the day of the charge: a reversal, not a refund
}
