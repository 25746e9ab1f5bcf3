// Package sandbox is a stateful, in-process emulator of exactly the Stripe
// API subset Kasse uses (API version 2023-10-16, the one stripe-go v76
// pins): Connect accounts, Terminal locations and readers with simulated
// readers and test helpers, PaymentIntents, Charges, Refunds and Events.
// It speaks Stripe's wire format (form-encoded requests, JSON objects,
// Stripe error bodies, idempotency keys, Stripe-Account scoping) so that
// Kasse talks to it through the same stripe-go client as to Stripe; only
// the base URL differs. It is an http.Handler (tests) and the
// `kasse sandbox` command (ListenAndServe).
//
// Layout. The framework (server.go: pipeline; form.go; errors.go;
// idempotency.go; list.go; expand.go; faults.go; state.go) is shared. Three
// parts build on it and call each other only through these functions:
//
//   - payments (payment_intents*, charges*, refunds*, testcards*):
//     renderIntent, renderCharge, renderRefund, and collectCardPresent,
//     which settles a presented card against a PaymentIntent.
//   - terminal (locations*, readers*, reader_actions*, present*,
//     setup_intents*): renderReader, renderLocation, releaseIntent,
//     newLocation, newSimulatedReader, SetReaderOnline.
//   - platform (accounts*, events*, seed*, faults_parse*, listen*): emit,
//     renderAccount, seed, ParseFault, ListenAndServe.
//
// Rendering rule: every object renders every property the 2023-10-16
// OpenAPI spec declares for it (null where unset) and nothing else; the
// conformance tests validate each response strictly against the spec and
// check key parity with stripe-mock's fixtures.
//
// Handlers run with Server.mu held; timers that change state later lock it.
package sandbox
