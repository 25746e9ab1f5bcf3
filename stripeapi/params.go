package stripeapi

import (
	"context"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"kasse/pos"
)

// maxIdempotencyKey is Stripe's limit (stripe-go refuses longer keys).
const maxIdempotencyKey = 255

// usageError is a programming error caught before any request is sent. It
// is KindInvalidRequest: nothing was sent, so nothing is unknown.
func usageError(param, msg string) *pos.Error {
	return &pos.Error{Kind: pos.KindInvalidRequest, Param: param, Message: "stripeapi: " + msg}
}

func checkAccount(a pos.Account) error {
	if a.IsPlatform() || strings.HasPrefix(string(a), "acct_") && !strings.ContainsAny(string(a), " \t\r\n") {
		return nil
	}
	return usageError("Stripe-Account", "account context must be pos.Platform or an acct_ id, got "+quote(string(a)))
}

func checkIdemKey(key string) error {
	k := strings.TrimSpace(key)
	switch {
	case k == "":
		return usageError("Idempotency-Key", "programming error: mutating call without an idempotency key (the caller must choose and record one before calling)")
	case len(k) > maxIdempotencyKey:
		return usageError("Idempotency-Key", "idempotency key longer than 255 characters")
	}
	return nil
}

func checkID(param, id string) error {
	if strings.TrimSpace(id) == "" {
		return usageError(param, param+" is empty")
	}
	if strings.ContainsAny(id, "/?#% \t\r\n") {
		return usageError(param, param+" "+quote(id)+" is not a Stripe id")
	}
	return nil
}

// write prepares the embedded stripe.Params of a POST: context, account and
// the caller's idempotency key.
func write(ctx context.Context, p *stripe.Params, acct pos.Account, idemKey string) error {
	if err := checkAccount(acct); err != nil {
		return err
	}
	if err := checkIdemKey(idemKey); err != nil {
		return err
	}
	p.Context = ctx
	p.SetIdempotencyKey(strings.TrimSpace(idemKey))
	if !acct.IsPlatform() {
		p.SetStripeAccount(string(acct))
	}
	return nil
}

// read prepares the embedded stripe.Params of a GET or DELETE. The params
// must be non-nil so that the context is honoured; the Idempotency-Key that
// stripe-go adds to DELETE is stripped by the transport.
func read(ctx context.Context, p *stripe.Params, acct pos.Account) error {
	if err := checkAccount(acct); err != nil {
		return err
	}
	p.Context = ctx
	if !acct.IsPlatform() {
		p.SetStripeAccount(string(acct))
	}
	return nil
}

// list prepares the embedded stripe.ListParams of a list call.
func list(ctx context.Context, p *stripe.ListParams, acct pos.Account, pageSize int) error {
	if err := checkAccount(acct); err != nil {
		return err
	}
	p.Context = ctx
	if !acct.IsPlatform() {
		p.SetStripeAccount(string(acct))
	}
	if pageSize > 0 {
		p.Limit = stripe.Int64(int64(min(pageSize, 100)))
	}
	return nil
}

// optString returns a pointer to s, or nil when s is empty (not sent).
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return stripe.String(s)
}

// optInt64 returns a pointer to n, or nil when n is 0 (not sent).
func optInt64(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return stripe.Int64(n)
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return `"` + s + `"`
}

// createdRange is a list's created[gte]/created[lte] filter (unix seconds,
// inclusive), or nil (not sent) when both bounds are open (0).
func createdRange(from, to int64) *stripe.RangeQueryParams {
	if from == 0 && to == 0 {
		return nil
	}
	r := &stripe.RangeQueryParams{}
	if from != 0 {
		r.GreaterThanOrEqual = from
	}
	if to != 0 {
		r.LesserThanOrEqual = to
	}
	return r
}

// orDefault is n, or def when n is not positive.
func orDefault(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
