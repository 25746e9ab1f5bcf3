// Package supervisor is what supervisors do at the counter: refund a sale
// (fully or in part), void or capture an authorized one, each behind the
// operator's role and PIN, each in the journal's append-only audit log.
// The console (package ui) and the headless `kasse refund` / `kasse pin
// set` commands (RunRefund, RunPin) share one Service, so both make the
// same checks, the same requests and the same audit entries.
//
// PINs are stored only as argon2id hashes (PHC strings, see DefaultParams)
// in the journal database, which is made private (0600) before the first
// hash is written; wrong PINs are counted there too, so a lock survives a
// restart. A PIN is a PIN value, which never prints its digits.
//
// Refunds run the refund machine of package pos through the checkout
// runner: the refund (with its idempotency key) is in the journal before
// it is sent, and an unknown outcome is settled by listing the payment's
// refunds, never by a second refund.
//
// The package imports neither Bubble Tea nor stripe-go.
package supervisor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"kasse/checkout"
	"kasse/config"
	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// Deps builds a Service (New) and is what main passes to RunRefund and
// RunPin.
type Deps struct {
	Payments   pos.Payments     // the Stripe adapter (Stripe-Account per call)
	Terminal   pos.Terminal     // the readers, for the default Runner (a sale's cancel may need its reader)
	Journal    *journal.Journal // required; main sets its origin (SetOrigin)
	Operators  []config.Operator
	Operator   string        // default --operator (the configured operator)
	ConsoleID  string        // prefixes refund ids
	PinLockout time.Duration // config.PinLockout

	// Runner executes refunds and this console's sales (void, capture);
	// default: a checkout.Runner over Payments, Terminal and Journal. The
	// console passes its own, so one executor runs every sale. Its
	// Payments is the one the Service reads with.
	Runner *checkout.Runner
	Now    func() time.Time // default time.Now
	NewID  func() string    // refund and void ids; default console-time-random
	Log    *slog.Logger
}

// Service carries out supervisor actions. Build it with New.
type Service struct {
	Guard   *Guard
	Runner  *checkout.Runner
	Journal *journal.Journal

	consoleID string
	now       func() time.Time
	newID     func() string
	log       *slog.Logger
}

// New builds the Service, its Guard and (unless given) its Runner.
func New(d Deps) (*Service, error) {
	if d.Journal == nil || (d.Payments == nil && d.Runner == nil) {
		return nil, errors.New("supervisor: a journal and the payments port are required") // i18n:ok a composition error, for the developer
	}
	s := &Service{Journal: d.Journal, Runner: d.Runner, consoleID: d.ConsoleID, now: d.Now, newID: d.NewID, log: d.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.Runner == nil {
		s.Runner = &checkout.Runner{Payments: d.Payments, Terminal: d.Terminal, Journal: d.Journal, Now: s.now, Log: s.log}
	}
	if s.newID == nil {
		s.newID = s.defaultID
	}
	s.Guard = &Guard{Journal: d.Journal, Operators: d.Operators, Lockout: d.PinLockout, Now: s.now, Log: s.log}
	return s, nil
}

func (s *Service) payments() pos.Payments { return s.Runner.Payments }

// defaultID is "<console>_<yyyymmddThhmmss>_<6 hex>", at most 64 of
// [A-Za-z0-9_-] as pos ids must be. Its digits always touch a letter or
// '_', so journal.Redact never takes them for a card number.
func (s *Service) defaultID() string {
	var b [3]byte
	rand.Read(b[:])
	console := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s.consoleID)
	if len(console) > 40 {
		console = console[:40]
	}
	id := s.now().UTC().Format("20060102T150405") + "_" + hex.EncodeToString(b[:])
	if console != "" {
		id = console + "_" + id
	}
	return id
}

// checkIDs validates the seller and payment ids before any request.
func checkIDs(seller pos.Account, intentID string) error {
	switch {
	case !strings.HasPrefix(string(seller), "acct_") || len(seller) < 6:
		return input(i18n.M("cli.supervisor.bad_seller", i18n.Args{"Value": strconv.Quote(string(seller))}))
	case !strings.HasPrefix(intentID, "pi_") || len(intentID) < 4:
		return input(i18n.M("cli.supervisor.bad_intent", i18n.Args{"Value": strconv.Quote(intentID)}))
	}
	return nil
}

// journalSale returns the journal's sale of the payment, if it has one.
func (s *Service) journalSale(ctx context.Context, seller pos.Account, intentID string) (*journal.SaleRecord, error) {
	recs, err := s.Journal.ListSales(ctx, journal.SaleFilter{Seller: seller, IntentID: intentID, Limit: 1})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return &recs[0], nil
}

// audit appends an entry by operator; failing, it returns ErrAudit.
func (s *Service) audit(ctx context.Context, operator, action, subject, detail, why string) error {
	err := s.Journal.AppendAudit(ctx, journal.AuditEntry{At: s.now(), Who: operator, Action: action,
		Subject: subject, Detail: detail, Reason: why})
	if err != nil {
		s.log.Error("audit write failed", "action", action, "subject", subject, "err", err)
		return auditFailed(err)
	}
	return nil
}

// scrubPIN removes the PIN from free text an operator typed (a PIN typed
// into the wrong field must not end up in the audit log).
func scrubPIN(text string, pin PIN) string {
	if len(pin) < MinPINLength {
		return text
	}
	return strings.ReplaceAll(text, pin.Reveal(), "[redacted]")
}

// describe renders "what" for the audit: key=value pairs.
func describe(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(pairs[i] + "=" + pairs[i+1])
	}
	return b.String()
}

// Payment is what a supervisor sees of a payment before acting on it.
type Payment struct {
	Intent     pos.Intent
	Seller     pos.Account
	Refundable int64 // what a refund may still return (0 when none)
	// Refusal is why it cannot be refunded (nil if it can): pos's refusal
	// (errors.Is its sentinel), in the reader's words (Locale.Err).
	Refusal error
	// Uncaptured: authorized but not captured: capture it or void it.
	Uncaptured bool
	SaleID     string // the journal's sale, if this console's journal has it
	HasFee     bool   // the sale had an application fee (refunds return it)
}

// Lookup reads a payment (latest charge expanded) on seller and says what
// can be done with it. It needs no PIN and changes nothing.
func (s *Service) Lookup(ctx context.Context, seller pos.Account, intentID string) (Payment, error) {
	if err := checkIDs(seller, intentID); err != nil {
		return Payment{}, err
	}
	in, err := s.payments().GetIntent(ctx, seller, intentID)
	if err != nil {
		return Payment{}, failure(err, i18n.M("cli.supervisor.payment_error", i18n.Args{"Intent": intentID, "Seller": string(seller), "Error": err}))
	}
	p := Payment{Intent: in, Seller: seller, Uncaptured: in.Status == pos.IntentRequiresCapture,
		HasFee: in.ApplicationFeeAmount > 0} // Stripe knows the fee of any console's sale
	if p.Refundable, err = pos.RefundableFromIntent(in); err != nil {
		p.Refusal = notRefundable(in, err)
	} else if p.Refundable == 0 {
		p.Refusal = failure(pos.ErrNothingRefund, i18n.M("cli.supervisor.fully_refunded"))
	}
	rec, err := s.journalSale(ctx, seller, intentID)
	if err != nil {
		return p, err
	}
	if rec != nil {
		p.SaleID = rec.Sale.ID
		p.HasFee = p.HasFee || rec.Sale.ApplicationFee > 0 || rec.Sale.Request.ApplicationFeeAmount > 0
	}
	return p, nil
}
