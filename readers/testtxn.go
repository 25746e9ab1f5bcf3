package readers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kasse/pos"
)

// TestParams describe a test transaction.
type TestParams struct {
	Owner    pos.Account // the reader's account (pos.Platform for platform readers)
	ReaderID string
	Seller   pos.Account // the connected account the PaymentIntent is created on
	// Amount in minor units; 0 means the smallest charge Stripe allows in
	// the seller's currency (pos.MinimumCharge).
	Amount int64
	// Card is the test card number presented on a simulated reader (test
	// mode only). "" on a simulated reader presents Stripe's default test
	// card; "" on a physical reader waits for someone to tap a card.
	Card string
	// Tip is a simulated on-reader tip in minor units (needs a simulated
	// presentment). Zero skips the reader's tipping screen.
	Tip int64
	// Capture keeps the money: the intent is captured automatically. By
	// default a test only authorizes and then voids (cancels) the intent,
	// so no money moves even in live mode.
	Capture bool
	// Timeout bounds the wait for the reader's result (0: 30 s when the card
	// is simulated, 2 min when a person has to tap one).
	Timeout time.Duration
}

// Outcome is how a test transaction ended.
type Outcome string

// Outcomes.
const (
	OutcomeApproved    Outcome = "approved"
	OutcomeDeclined    Outcome = "declined"    // the card was declined
	OutcomeFailed      Outcome = "failed"      // the reader action failed otherwise
	OutcomeTimeout     Outcome = "timeout"     // no result before the timeout
	OutcomeInterrupted Outcome = "interrupted" // the action was cleared or replaced
)

// TestResult reports a test transaction.
type TestResult struct {
	Passed    bool        `json:"passed"`
	Outcome   Outcome     `json:"outcome"`
	ReaderID  string      `json:"reader_id"`
	Owner     pos.Account `json:"owner"`
	Seller    pos.Account `json:"seller"`
	Amount    int64       `json:"amount"`
	Tip       int64       `json:"tip"`
	Currency  string      `json:"currency"`
	Simulated bool        `json:"simulated"` // the card was presented by the test helper
	CardLast4 string      `json:"card_last4,omitempty"`
	IntentID  string      `json:"intent_id"`
	// IntentStatus is the intent's last known status (after voiding:
	// canceled).
	IntentStatus   string `json:"intent_status"`
	FailureCode    string `json:"failure_code,omitempty"`
	FailureMessage string `json:"failure_message,omitempty"`
	DeclineCode    string `json:"decline_code,omitempty"`
	// HandOff is when the reader accepted process_payment_intent; Elapsed
	// runs from there to the reader's result (or the timeout).
	HandOff   time.Time     `json:"hand_off"`
	Elapsed   time.Duration `json:"-"`
	ElapsedMS int64         `json:"elapsed_ms"` // Elapsed in milliseconds
	Polls     int           `json:"polls"`
	// Canceled: the test intent was cancelled (voided, or abandoned after a
	// failure). CancelError says why it could not be.
	Canceled    bool              `json:"canceled"`
	CancelError string            `json:"cancel_error,omitempty"`
	Keys        map[string]string `json:"idempotency_keys"`
	Notes       []string          `json:"notes,omitempty"`
}

// Summary is one line for humans.
func (r TestResult) Summary() string {
	verdict := "FAIL"
	if r.Passed {
		verdict = "PASS"
	}
	s := fmt.Sprintf("%s %s: %s on %s", verdict, r.Outcome, pos.Format(r.Amount+r.Tip, r.Currency), r.ReaderID)
	if r.IntentID != "" {
		s += " (" + r.IntentID + ")"
	}
	if !r.HandOff.IsZero() {
		s += fmt.Sprintf(", reader result after %s", r.Elapsed.Round(time.Millisecond))
	}
	switch {
	case r.DeclineCode != "":
		s += ", decline_code " + r.DeclineCode
	case r.FailureCode != "":
		s += ", " + r.FailureCode
	}
	return s
}

// testRun is one test transaction in progress.
type testRun struct {
	f     *Fleet
	p     TestParams
	res   TestResult
	cur   pos.Currency
	reach time.Duration // the timeout in force
	last  pos.Reader    // the reader as last seen
}

// TestTransaction runs a payment end to end through a reader: it creates a
// card_present PaymentIntent on the seller (metadata kasse_test=1; keys
// kasse-test-<id>-…), hands it to the reader, presents a test card on a
// simulated reader (or waits for a real tap), and polls the reader until
// the action succeeds or fails, or the timeout passes. By default the
// authorization is then voided; an intent that did not complete is always
// cancelled (after a timeout the reader's action is cancelled first).
//
// The error is non-nil only when the test could not run (bad parameters,
// seller or reader unusable, Stripe refusing the intent or the hand-off);
// a declined or timed-out test is a result with Passed false.
func (f *Fleet) TestTransaction(ctx context.Context, p TestParams) (TestResult, error) {
	id := f.newID()
	t := &testRun{f: f, p: p, res: TestResult{ReaderID: p.ReaderID, Owner: p.Owner, Seller: p.Seller, Tip: p.Tip,
		Keys: map[string]string{}}}
	for _, step := range []string{"create", "process", "present", "reset", "cancel"} {
		t.res.Keys[step] = "kasse-test-" + id + "-" + step
	}
	if err := t.validate(); err != nil {
		return t.res, err
	}
	if err := t.prepare(ctx); err != nil {
		return t.res, err
	}
	if err := t.start(ctx); err != nil {
		return t.res, err
	}
	t.await(ctx)
	t.finish(ctx)
	return t.res, nil
}

// validate checks the parameters that need no request.
func (t *testRun) validate() error {
	p := t.p
	if err := checkReaderID(p.ReaderID); err != nil {
		return err
	}
	switch {
	case p.Seller.IsPlatform() || !strings.HasPrefix(string(p.Seller), "acct_"):
		return invalid(ErrTestParams, "a seller (acct_…) is required: the test PaymentIntent is created on a connected account")
	case !p.Owner.IsPlatform() && p.Owner != p.Seller:
		return invalid(ErrTestParams, fmt.Sprintf("reader %s belongs to %s and can only process that account's payments, not %s's",
			p.ReaderID, accountPhrase(p.Owner), p.Seller))
	case p.Amount < 0:
		return invalid(ErrTestParams, "the amount cannot be negative")
	case p.Tip < 0:
		return invalid(ErrTestParams, "the tip cannot be negative")
	case p.Timeout < 0:
		return invalid(ErrTestParams, "the timeout cannot be negative")
	}
	if p.Card != "" {
		if !t.f.Mode.Test() {
			return invalid(ErrMode, "simulated card presentment exists in test mode only; in live mode tap a real card (omit the card)")
		}
		if n := len(p.Card); n < 12 || n > 19 || strings.Trim(p.Card, "0123456789") != "" {
			return invalid(ErrTestParams, fmt.Sprintf("%q is not a test card number (12 to 19 digits, no spaces)", p.Card))
		}
	}
	return nil
}

// prepare reads the seller and the reader and settles amount, currency and
// presentment.
func (t *testRun) prepare(ctx context.Context) error {
	f, p := t.f, t.p
	if f.Payments == nil {
		return invalid(ErrTestParams, "test transactions need the payments port (Fleet.Payments)")
	}
	s, err := f.Sellers.GetSeller(ctx, p.Seller)
	if err != nil {
		return explain(err, subject{op: "read seller " + string(p.Seller), owner: p.Seller})
	}
	if s.CardPayments != pos.CapabilityActive || !s.ChargesEnabled {
		return invalid(ErrTestParams, fmt.Sprintf("seller %s cannot take card payments yet (card_payments %s, charges enabled %t): onboarding is unfinished",
			p.Seller, quoteOr(s.CardPayments, "not requested"), s.ChargesEnabled))
	}
	if t.cur, err = pos.LookupCurrency(s.Currency); err != nil {
		return invalid(ErrTestParams, fmt.Sprintf("seller %s has no usable default currency: %v", p.Seller, err))
	}
	t.res.Currency = t.cur.Code
	if err := t.checkAmount(); err != nil {
		return err
	}
	r, err := f.Terminal.GetReader(ctx, p.Owner, p.ReaderID)
	if err != nil {
		return explain(err, subject{op: "read reader " + p.ReaderID, owner: p.Owner, readerID: p.ReaderID})
	}
	if err := refuseBusy(r, "a test transaction"); err != nil {
		return err
	}
	t.res.Simulated = p.Card != "" || strings.HasPrefix(r.DeviceType, "simulated_")
	switch {
	case t.res.Simulated && !f.Mode.Test():
		return invalid(ErrMode, "simulated readers exist in test mode only")
	case t.res.Simulated && f.Presenter == nil:
		return invalid(ErrTestParams, "simulated presentment needs the test-helper port (Fleet.Presenter)")
	case p.Tip > 0 && !t.res.Simulated:
		return invalid(ErrTestParams, "a tip can only be simulated: on a physical reader the customer chooses it")
	}
	if p.Card != "" {
		t.res.CardLast4 = p.Card[len(p.Card)-4:]
	}
	t.reach = p.Timeout
	if t.reach == 0 {
		t.reach = DefaultCardTimeout
		if t.res.Simulated {
			t.reach = DefaultSimulatedTimeout
		}
	}
	return nil
}

// checkAmount applies the minimum, maximum and step of the currency.
func (t *testRun) checkAmount() error {
	c := t.cur
	least := pos.MinimumCharge(c.Code)
	t.res.Amount = t.p.Amount
	if t.res.Amount == 0 {
		t.res.Amount = least
	}
	switch a := t.res.Amount; {
	case a < least:
		return invalid(ErrTestParams, fmt.Sprintf("%s is below the minimum charge of %s", pos.Format(a, c.Code), pos.Format(least, c.Code)))
	case a+t.p.Tip > pos.MaxAmount:
		return invalid(ErrTestParams, fmt.Sprintf("%s is above Stripe's maximum", pos.Format(a+t.p.Tip, c.Code)))
	case a%c.Step != 0 || t.p.Tip%c.Step != 0:
		return invalid(ErrTestParams, fmt.Sprintf("amounts in %s must be multiples of %d minor units", c.Upper(), c.Step))
	}
	return nil
}
