package sandbox

// Stored payment objects. Owned by the payments part of the sandbox
// (payment_intents*.go, charges*.go, refunds*.go); extend freely.

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
	tip                *int64 // amount_details.tip.amount once a tip was collected
	lastError          *paymentError
	latestCharge       string
	paymentMethod      string
	canceledAt         int64
	cancellationReason string
	applicationFee     *int64
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
}
