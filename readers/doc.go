// Package readers is the field technician's reader-fleet logic: inventory
// across the platform and its sellers, registration with local checks,
// location creation with per-country address rules, rename and
// deregistration, a health summary, display and clear commands, an
// end-to-end test transaction and a redacted diagnostics bundle. It also
// holds the headless `kasse readers …` commands (cli*.go).
//
// It talks to Stripe only through the pos ports (pos.Terminal, pos.Sellers,
// pos.Payments, pos.Presenter): no stripe-go, no Bubble Tea, and it never
// reads the clock or sleeps except through Fleet.Now and Fleet.Sleep.
//
// # Accounts
//
// Readers and locations live on an owner account: pos.Platform for
// platform-owned hardware (no Stripe-Account header) or a seller's acct_
// for seller-owned hardware. A reader can only be registered to a location
// of its own owner; Register checks that locally and names both accounts
// instead of letting Stripe answer "No such terminal.location".
//
// # Idempotency keys
//
// Every mutating call carries a key chosen here, before the call:
//
//   - CreateLocation: "kasse-loc-" + the first 24 hex digits of
//     SHA-256(owner, name, address). Deterministic on purpose: re-running
//     the same creation (say after a timeout) replays Stripe's first answer
//     instead of creating a second location. Within Stripe's 24-hour key
//     window, creating an identical location twice on purpose is therefore
//     not possible; change the name.
//   - Register with a physical pairing code: "kasse-reg-" + hash of owner,
//     code, label and location (codes are single-use, so a replay is the
//     only sensible retry). Simulated codes are reusable, so they get a
//     fresh random key per call.
//   - Test transactions: "kasse-test-<id>-create|process|present|cancel|
//     reset", where <id> is fresh per test (Fleet.NewID).
//   - Rename, metadata, display and clear: "kasse-rdr-<op>-<random>".
//
// # Modes
//
// Fleet.Mode says whether the key is a test or live key. Simulated
// registration codes and simulated card presentment are test-mode only;
// the zero Mode counts as live, the safe default.
package readers
