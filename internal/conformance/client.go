package conformance

import "net/http"

// Client returns a copy of base (a plain client when nil) whose transport
// runs every exchange through the harness: each request is shadowed to
// stripe-mock (Q) and each response validated against the spec (R), with
// findings reported to rec (a *testing.T fails the test). Packages that
// drive the sandbox through the Stripe adapter use it, so that every
// request Kasse sends in any test is checked, not only the adapter's own.
func Client(rec Recorder, base *http.Client) (*http.Client, error) {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	tr, err := NewTransport(c.Transport, WithRecorder(rec))
	if err != nil {
		return nil, err
	}
	c.Transport = tr
	return c, nil
}
