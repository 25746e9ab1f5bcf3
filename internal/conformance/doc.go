// Package conformance judges Kasse's Stripe traffic against real Stripe's
// contract, as pinned by the stripe-mock module in go.mod (v0.183.0, whose
// embedded OpenAPI spec is API version 2023-10-16, the version stripe-go v76
// sends). It is test infrastructure: the sandbox (kasse/sandbox) and the
// console's Stripe adapter use it from their tests. Non-test code here does
// not import stripe-go.
//
// Two invariants are checked:
//
//   - (Q) Requests are accepted. Every request the console sends must get a
//     200 from stripe-mock, which validates the request's shape (route,
//     top-level parameters, types, enums, required fields, content type,
//     API key format, Stripe-Version). stripe-mock is stateless and does not
//     judge nested unknown parameters, expand[] values, Stripe-Account or
//     cross-field rules; cover those in unit tests.
//
//   - (R) Responses conform. Every body the sandbox returns must validate
//     against the spec's response schema of the route it answers: the "200"
//     schema for successes, the "default" (error) schema for 4xx/5xx. The
//     validator closes every object schema (additionalProperties: false),
//     because the spec never does and extra or misspelt fields would pass.
//     An event's data.object, free-form in the spec, is held to the schema
//     its "object" field names. As the spec's `required` lists leave out
//     nullable fields, successful bodies must also carry every top-level key
//     of stripe-mock's fixture for their object type, recursively through
//     lists and expanded objects (MissingFixtureKeys): a dropped
//     `"action": null` is caught here.
//
// Transport enforces both on every exchange while the console runs its real,
// stateful flows against the sandbox: it sends a shadow copy of each request
// to an in-process stripe-mock (Q), forwards the request to the sandbox, and
// validates the answer (R). The sandbox may still legitimately answer 4xx
// (a capture in the wrong state, say): Q judges only the request's shape, and
// the 4xx body is held to the error schema. Requests that are malformed on
// purpose carry the header "X-Kasse-Conformance: skip-request", which skips Q
// only and is stripped before anything is sent.
//
// Typical use from a test:
//
//	tr, err := conformance.NewTransport(nil, conformance.WithRecorder(t))
//	// build stripe-go's BackendConfig with HTTPClient: &http.Client{Transport: tr}
//	// and URL pointing at the sandbox; run the flow; every finding fails t.
//
// The validator and stripe-mock are expensive to build (about a second
// each) and are shared per process: SharedValidator, SharedStripeMock.
// stripe-mock prints a line to stdout per request; that cannot be turned
// off, and go test shows it only with -v.
//
// Findings never contain the Authorization header, API keys or client
// secrets.
package conformance
