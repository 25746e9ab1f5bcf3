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
	Payments pos.Payments // the Stripe adapter (Stripe-Account per call)
	Terminal pos.Terminal // the readers, for the default Runner (a sale's cancel may need its reader)
	// Transfers reads and reverses the sellers' transfers and reads the
	// platform's application fees (destination and separate charges; the
	// default Runner's). Sellers reads a seller with its charge setup (the
	// refund policy). Either nil: payments are treated as direct charges
	// without a policy.
	Transfers  pos.Transfers
	Sellers    pos.Sellers
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

	// Disputes (with Sellers) serves the disputes desk (disputes.go); nil:
	// no desk. Disputes also tells whether a disputed charge's dispute
	// still refuses refunds when the journal does not know it.
	Disputes pos.Disputes
}

// Service carries out supervisor actions. Build it with New.
type Service struct {
	Guard   *Guard
	Runner  *checkout.Runner
	Journal *journal.Journal

	disputes  pos.Disputes
	sellers   pos.Sellers
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
	s := &Service{Journal: d.Journal, Runner: d.Runner, consoleID: d.ConsoleID, now: d.Now, newID: d.NewID, log: d.Log,
		disputes: d.Disputes, sellers: d.Sellers}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.Runner == nil {
		s.Runner = &checkout.Runner{Payments: d.Payments, Terminal: d.Terminal, Transfers: d.Transfers, Journal: d.Journal, Now: s.now, Log: s.log}
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
	Intent pos.Intent
	Seller pos.Account
	// Account is where the payment lives (the seller, or the platform for
	// destination and separate charges); Facts its charge type, fee and
	// transfer; Setup the seller's charge setup (its refund policy).
	Account    pos.Account
	Facts      pos.ChargeFacts
	Setup      pos.ChargeSetup
	Refundable int64 // what a refund may still return (0 when none)
	// Refusal is why it cannot be refunded (nil if it can): pos's refusal
	// (errors.Is its sentinel), in the reader's words (Locale.Err).
	Refusal error
	// Uncaptured: authorized but not captured: capture it or void it.
	Uncaptured bool
	SaleID     string // the journal's sale, if this console's journal has it
	HasFee     bool   // the sale had an application fee (refunds return it)
	// Dispute is the payment's dispute, if any is known (a chargeback
	// not won refuses refunds: pos.CheckDispute).
	Dispute *pos.Dispute
}

// Lookup reads a payment (latest charge expanded) of seller and says what
// can be done with it: on the seller's account (a direct charge), or on
// the platform (a destination or separate charge made for the seller),
// with its application fee and the seller's transfer, so that a refund's
// split is known before it is made (Payment.Shares). It needs no PIN and
// changes nothing.
func (s *Service) Lookup(ctx context.Context, seller pos.Account, intentID string) (Payment, error) {
	if err := checkIDs(seller, intentID); err != nil {
		return Payment{}, err
	}
	rec, err := s.journalSale(ctx, seller, intentID)
	if err != nil {
		return Payment{}, err
	}
	in, err := s.readIntent(ctx, seller, intentID, rec)
	if err != nil {
		return Payment{}, err
	}
	p := Payment{Intent: in, Seller: seller, Account: in.Account, Uncaptured: in.Status == pos.IntentRequiresCapture,
		HasFee: in.ApplicationFeeAmount > 0} // Stripe knows the fee of any console's sale
	if p.Refundable, err = pos.RefundableFromIntent(in); err != nil {
		p.Refusal = notRefundable(in, err)
	} else if p.Refundable == 0 {
		p.Refusal = failure(pos.ErrNothingRefund, i18n.M("cli.supervisor.fully_refunded"))
	}
	if p.Dispute, err = s.disputeOf(ctx, seller, in); err != nil {
		return p, err
	}
	if err := i18n.RefundDisputed(in, p.Dispute); err != nil && p.Refusal == nil {
		p.Refusal = err
	}
	if rec != nil {
		p.SaleID = rec.Sale.ID
		p.HasFee = p.HasFee || rec.Sale.ApplicationFee > 0 || rec.Sale.Request.ApplicationFeeAmount > 0
	}
	if p.Facts, err = s.chargeFacts(ctx, in, rec); err != nil {
		return p, err
	}
	p.Setup = pos.ChargeSetup{Type: p.Facts.Type, RefundFee: true} // without seller setups: give a fee back
	if s.sellers != nil {
		sl, err := s.sellers.GetSeller(ctx, seller)
		if err != nil {
			return p, failure(err, i18n.M("cli.supervisor.seller_policy_error", i18n.Args{"Seller": string(seller), "Error": err}))
		}
		p.Setup = sl.Charges
	}
	return p, nil
}

// Shares is what a refund of amount (0: all that remains) takes back from
// the seller and from the platform, by the seller's policy.
func (p Payment) Shares(amount int64) (pos.RefundShares, error) {
	if amount == 0 {
		amount = p.Refundable
	}
	return pos.PlanRefund(p.Facts, amount, p.Setup.RefundFee, p.Intent.Currency)
}

// readIntent reads the payment where it lives: the account the journal's
// sale says, else the seller's account, then the platform (a destination
// or separate charge) — which must name the seller.
func (s *Service) readIntent(ctx context.Context, seller pos.Account, intentID string, rec *journal.SaleRecord) (pos.Intent, error) {
	first, second := seller, pos.Platform
	if rec != nil && rec.Sale.Charge.OnPlatform() {
		first, second = pos.Platform, seller
	}
	// A 429 is Stripe saying "not now", not an answer: the read goes again
	// after the sale machine's back-off (checkout.ReadThrottled).
	read := func(acct pos.Account) (pos.Intent, error) {
		return checkout.ReadThrottled(ctx, s.Runner.Sleep, nil, func(ctx context.Context) (pos.Intent, error) {
			return s.payments().GetIntent(ctx, acct, intentID)
		})
	}
	in, err := read(first)
	if pos.IsKind(err, pos.KindNotFound) {
		in, err = read(second)
	}
	if err != nil {
		return in, failure(err, i18n.M("cli.supervisor.payment_error", i18n.Args{"Intent": intentID, "Seller": string(seller), "Error": err}))
	}
	if got := pos.SellerOf(in); got != seller {
		return in, input(i18n.M("cli.supervisor.other_sellers_payment", i18n.Args{"Intent": intentID, "Seller": string(seller), "Other": got.String()}))
	}
	return in, nil
}

// chargeFacts reads what a refund's split needs beyond the intent: the
// application fee (direct, destination) and the seller's transfer
// (destination: the charge's; separate: the one the journal's sale made,
// else the one of its transfer group).
func (s *Service) chargeFacts(ctx context.Context, in pos.Intent, rec *journal.SaleRecord) (pos.ChargeFacts, error) {
	tp := s.Runner.Transfers
	typ := pos.ChargeTypeOf(in)
	if tp == nil || in.LatestCharge == nil || in.Status != pos.IntentSucceeded {
		return pos.FactsOf(in, nil, nil), nil
	}
	var fee *pos.ApplicationFee
	if id := in.LatestCharge.ApplicationFeeID; id != "" {
		f, err := tp.GetApplicationFee(ctx, id)
		if err != nil {
			return pos.ChargeFacts{}, failure(err, i18n.M("cli.supervisor.fee_error", i18n.Args{"Fee": id, "Error": err}))
		}
		fee = &f
	}
	var tr *pos.Transfer
	switch {
	case typ == pos.ChargeDestination && in.LatestCharge.TransferID != "":
		t, err := tp.GetTransfer(ctx, in.LatestCharge.TransferID)
		if err != nil {
			return pos.ChargeFacts{}, failure(err, i18n.M("cli.supervisor.transfer_error", i18n.Args{"Transfer": in.LatestCharge.TransferID, "Error": err}))
		}
		tr = &t
	case typ == pos.ChargeSeparate && rec != nil && rec.Sale.Transfer != nil && rec.Sale.Transfer.ID != "":
		t, err := tp.GetTransfer(ctx, rec.Sale.Transfer.ID)
		if err != nil {
			return pos.ChargeFacts{}, failure(err, i18n.M("cli.supervisor.transfer_error", i18n.Args{"Transfer": rec.Sale.Transfer.ID, "Error": err}))
		}
		tr = &t
	case typ == pos.ChargeSeparate && in.TransferGroup != "":
		list, err := tp.ListTransfers(ctx, pos.TransferFilter{Group: in.TransferGroup, Limit: 10})
		if err != nil {
			return pos.ChargeFacts{}, failure(err, i18n.M("cli.supervisor.transfers_error", i18n.Args{"Group": in.TransferGroup, "Error": err}))
		}
		for i := range list {
			if list[i].SourceCharge == "" || list[i].SourceCharge == in.LatestChargeID || list[i].SourceCharge == in.LatestCharge.ID {
				tr = &list[i]
				break
			}
		}
	}
	return pos.FactsOf(in, fee, tr), nil
}
