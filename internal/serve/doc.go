// Package serve is `kasse serve`: the console served over SSH to the
// counters of one host, which holds the Stripe key, the journal and the
// operators' PIN hashes; the counters are thin terminals that see only
// their screens.
//
//   - keys.go: the authorized keys file (each key's comment names its
//     operator, "alex" or "alex@counter-1"); the SSH user name only names
//     the counter.
//   - operators.go: the operators (roles, languages), read from the
//     config file again for every session, keeping the last good list
//     when the file does not read.
//   - server.go: the SSH server (wish: public-key authentication only,
//     its logging middleware; a host key created on first run): Options,
//     New, Serve, the key check.
//   - session.go: one SSH session: who and which counter, refusals,
//     attach until the connection drops or the console ends; keepalive.
//   - counters.go: one station per counter: claim (resume or refuse),
//     start (the station's Deps, runner, supervisor), reap.
//   - audit.go: the audit trail, queued so it never blocks a session.
//   - shutdown.go: graceful shutdown.
//   - station.go: a counter's console program, which runs on the host and
//     outlives a dropped connection while a payment runs; attach, detach,
//     the detached watch.
//   - holds.go: the readers each counter holds, shown busy at the others.
//   - renderer.go: one lipgloss renderer per session, from its terminal's
//     environment.
//
// What the counters share, beyond the App: checkout.Coalescer (one reader
// poll per reader for every session watching it) and the App's
// stripeapi.Budget (one request budget for the host).
package serve
