// Package sandbox is a stateful, in-process emulator of exactly the Stripe
// API subset Kasse uses (API version 2023-10-16, the one stripe-go v76
// pins): Connect accounts, Terminal locations and readers with simulated
// readers and test helpers, PaymentIntents, Charges, Refunds, SetupIntents,
// Events with webhook endpoints and signed delivery, and Disputes. It speaks Stripe's wire format (form-encoded requests, JSON
// objects, Stripe error bodies, idempotency keys, Stripe-Account scoping)
// so that Kasse talks to it through the same stripe-go client as to
// Stripe; only the base URL differs. It is an http.Handler (tests) and the
// `kasse sandbox` command (ListenAndServe).
//
// Layout. This package holds the Stripe resources, one file per API path
// (/v1/terminal/readers → terminal_readers.go; the reader's actions in
// terminal_reader_actions.go, the simulated card in
// test_helpers_terminal_readers.go; card_present.go settles a presented
// card into a charge; events.go emits every event through one function and
// a table of types, webhook_delivery.go sends them), the retrieve and list
// skeletons the resources share (handlers.go, embedded_lists.go), the
// route table (routes.go), the request pipeline
// (server.go), and the state with its changes and file (state.go,
// state_file.go). The framework, which knows no resource, is in
// internal/: form (decoding), apierr (Stripe's error object), list
// (envelopes, pagination, the created filter), expand, auth, idempotency,
// faults, and store (tables indexed by account and creation order; the
// append-only state file).
//
// Rendering rule: every resource struct is its object's API shape — every
// property the 2023-10-16 OpenAPI spec declares (null where unset) and
// nothing else — and it is both what a GET answers and what the state file
// stores; the conformance tests validate each response strictly against the
// spec and check key parity with stripe-mock's fixtures.
//
// Handlers run with Server.mu held; a handler that modifies an object calls
// touch on it (state.go), so the change's record holds it. Timers that
// change state later take the lock and run as a change of their own.
package sandbox
