// Package stripeapi is Kasse's adapter to the Stripe API. It is the only
// package whose non-test files import stripe-go (v76, API version
// 2023-10-16), and it implements the ports of package pos: pos.Sellers,
// pos.Payments, pos.Terminal and pos.Presenter.
//
// # Client
//
// Every Client owns its own stripe-go backend (client.New with
// stripe.GetBackendWithConfig); the package never reads or writes stripe-go's
// globals (stripe.Key, stripe.SetBackend), so several clients — live, test,
// sandbox — can coexist in one process.
//
// New refuses base URLs other than Stripe's API host or loopback, and keys
// that are not secret or restricted keys (sk_/rk_, test or live). The key is
// never part of an error or a log line; at most its prefix is shown, as in
// "sk_test_…(redacted)".
//
// # Account context
//
// Each call takes the pos.Account it runs in. pos.Platform sends no
// Stripe-Account header; a connected account sends Stripe-Account: acct_….
// PaymentIntents and refunds live on the seller; readers and locations on
// their owner (pos.Platform for platform-owned hardware); the seller list is
// a platform call.
//
// # Idempotency and retries
//
// Every POST carries the caller's idempotency key (an empty key is a
// programming error and is refused before any request is made). GET and
// DELETE carry none: stripe-go would invent a key for DELETE, and the
// client's transport strips it. stripe-go retries network faults, 409, 503
// and 429 lock_timeout up to Config.MaxNetworkRetries times, resending the
// same key, so a retry can only replay, never duplicate. A
// Stripe-Should-Retry header overrides that: "true" is retried whatever
// the status, "false" never (retry_test.go pins this). A 429 rate_limit
// is not retried here: stripe-go leaves rate limits to the caller, and a
// tight retry would only add load. It comes back as KindRateLimited, and
// the sale machine resends the request under the same key after a
// jittered back-off (pos.Throttle), showing the cashier that Stripe is
// rate limiting.
//
// # Errors
//
// Every error returned is a *pos.Error. The mapping (see errors.go):
//
//	terminal_reader_busy                       KindReaderBusy
//	terminal_reader_offline, …_hardware_fault  KindReaderOffline
//	terminal_reader_timeout                    KindReaderTimeout
//	intent_invalid_state, *_unexpected_state   KindInvalidState
//	resource_missing, HTTP 404                 KindNotFound
//	HTTP 401, 403, account_invalid             KindAuth
//	HTTP 429 (rate_limit, lock_timeout)        KindRateLimited
//	type idempotency_error (HTTP 400)          KindIdempotency
//	idempotency_key_in_use (409), other 409    KindUnknown
//	type card_error, HTTP 402                  KindDeclined
//	other 4xx                                  KindInvalidRequest
//	5xx, network faults, timeouts, ctx errors  KindUnknown
//
// account_invalid is KindAuth: Stripe answers it when the platform key has no
// access to the connected account (never connected, disconnected, or wrong
// mode). Retrying or changing parameters cannot fix it; an operator has to
// fix the credentials or the seller's connection, exactly as for a 401/403.
//
// idempotency_key_in_use is KindUnknown: the first request with that key is
// still running, so the outcome is not known yet. Resolve it by reading
// state (or by retrying with the same key later), never with a new key.
//
// # Diagnostics
//
// RecentRequests returns the last requests (method, path, account, request
// id, status, error code, duration) from an in-memory ring buffer filled by
// the client's http.RoundTripper. It never holds headers, keys or bodies.
package stripeapi
