package checkout

import (
	"context"
	"log/slog"

	"kasse/pos"
)

// One-off requests: a mutating request outside a sale or a refund (create
// a customer, save a card on a reader, remove a saved card) has no machine
// to record its key, so Once does what Runner.Exec does for a sale's
// effects — the key is in the store before the request is sent — and
// what Settle does after a crash: a request the store holds open is sent
// again under its key, and Stripe replays it instead of doing it twice.

// OneOff is one request outside a sale: what kind of request, the account
// it is sent in (pos.Platform: the platform's own) and what it asks.
type OneOff struct {
	Op      string // e.g. "create_customer", "save_card.setup", "detach_card"
	Account pos.Account
	// Request identifies what is asked, in a canonical form the caller
	// builds (same request, same text); never a secret.
	Request string
}

// OpStore records one-off requests durably; the journal's customer_ops is
// one (customers adapts it).
type OpStore interface {
	// Open returns the key of the recorded, unanswered request like op —
	// same Op, Account and Request — if a crash or a lost answer left one.
	Open(ctx context.Context, op OneOff) (key string, found bool, err error)
	// Record writes op under its new key before it is sent, and returns
	// once the record is durable.
	Record(ctx context.Context, op OneOff, key string) error
	// Finish records the answer to the request under key: the id Stripe
	// answered with, or its definite refusal (errText).
	Finish(ctx context.Context, key, result, errText string) error
}

// NotRecorded is Once.Send's error when the request could not be recorded
// (Err says why; nil: there is no store), so it was not sent.
type NotRecorded struct{ Err error }

func (e *NotRecorded) Error() string {
	if e.Err == nil {
		return "not sent: no journal to record the request in"
	}
	return "not sent: " + e.Err.Error()
}

func (e *NotRecorded) Unwrap() error { return e.Err }

// Once sends one-off requests, each recorded before it is sent.
type Once struct {
	Store  OpStore       // nil: nothing is sent
	NewKey func() string // a new idempotency key
	Log    *slog.Logger  // an answer the store could not record (default: discarded)
}

// Send sends op once. It reuses the key of the same request the store
// holds open, or records op under a new key; only then does it call do
// with the key (do sends the request and returns the id Stripe answered
// with). A definite answer — the id, or a refusal — closes the op, so the
// next try is a new request; an unknown outcome or a rate limit leaves it
// open, so the next try sends it again under the same key. If the store
// cannot open or record the op, do is never called and the error is a
// *NotRecorded. Otherwise Send returns do's error; a store that fails to
// record the answer is logged and leaves the op open (a resend under the
// same key is replayed).
func (o Once) Send(ctx context.Context, op OneOff, do func(key string) (result string, err error)) error {
	if o.Store == nil {
		return &NotRecorded{}
	}
	key, found, err := o.Store.Open(ctx, op)
	if err != nil {
		return &NotRecorded{Err: err}
	}
	if !found {
		key = o.NewKey()
		if err := o.Store.Record(ctx, op, key); err != nil {
			return &NotRecorded{Err: err}
		}
	}
	id, err := do(key)
	switch {
	case err == nil:
		if ferr := o.Store.Finish(ctx, key, id, ""); ferr != nil {
			o.log().Error("journal: one-off request answered but not closed", "op", op.Op, "err", ferr)
		}
	case definite(err):
		if ferr := o.Store.Finish(ctx, key, "", err.Error()); ferr != nil {
			o.log().Error("journal: one-off request refused but not closed", "op", op.Op, "err", ferr)
		}
	}
	return err
}

// definite reports whether err is Stripe's final word on a request: not
// an unknown outcome (which foreign errors are) and not a rate limit.
func definite(err error) bool {
	k := pos.KindOf(err)
	return k != pos.KindUnknown && k != pos.KindRateLimited
}

func (o Once) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.New(slog.DiscardHandler)
}
