package readers

import (
	"context"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

// ReadSeller is the operation of reading a seller, for messages.
func ReadSeller(seller pos.Account) i18n.Message {
	return i18n.M("cli.readers.op.read_seller", i18n.Args{"Seller": string(seller)})
}

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
	Canceled    bool   `json:"canceled"`
	CancelError string `json:"cancel_error,omitempty"` // in English; CancelFailure for people
	// CancelFailure is why the intent could not be cancelled, rendered in
	// the reader's language (Locale.Err).
	CancelFailure error             `json:"-"`
	Keys          map[string]string `json:"idempotency_keys"`
	// Notes are what the test noticed on the way, in English (--json is
	// language-neutral); NoteMsgs say the same in the reader's language.
	Notes    []string       `json:"notes,omitempty"`
	NoteMsgs []i18n.Message `json:"-"`
}

// Summary is one line in English, for logs: SummaryIn(i18n.Neutral()).
func (r TestResult) Summary() string { return r.SummaryIn(i18n.Neutral()) }

// SummaryIn is one line for people, in loc's words: "PASS approved:
// $0.50 on tmr_1 (pi_1), reader result after 1.2s". The verdict (PASS,
// FAIL), the outcome and Stripe's codes stay as they are: codes a script
// or a support ticket can search for.
func (r TestResult) SummaryIn(loc *i18n.Locale) string {
	verdict := "FAIL" // i18n:ok a verdict code, the same in every language
	if r.Passed {
		verdict = "PASS" // i18n:ok a verdict code
	}
	a := i18n.Args{"Verdict": verdict, "Outcome": string(r.Outcome), "Amount": i18n.Money{Amount: r.Amount + r.Tip, Currency: r.Currency},
		"Reader": r.ReaderID}
	s := loc.T("cli.readers.test_summary", a)
	if r.IntentID != "" {
		s += " (" + r.IntentID + ")"
	}
	if !r.HandOff.IsZero() {
		s += loc.T("cli.readers.test_summary_after", i18n.Args{"Elapsed": r.Elapsed.Round(time.Millisecond)})
	}
	switch {
	case r.DeclineCode != "":
		s += ", decline_code " + r.DeclineCode // i18n:ok Stripe's field name and code
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
		return invalid(ErrTestParams, i18n.M("cli.readers.test_seller_required"))
	case !p.Owner.IsPlatform() && p.Owner != p.Seller:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_other_account",
			i18n.Args{"ID": p.ReaderID, "Account": accountPhrase(p.Owner), "Seller": string(p.Seller)}))
	case p.Amount < 0:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_amount_negative"))
	case p.Tip < 0:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_tip_negative"))
	case p.Timeout < 0:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_timeout_negative"))
	}
	if p.Card != "" {
		if !t.f.Mode.Test() {
			return invalid(ErrMode, i18n.M("cli.readers.test_card_live"))
		}
		if n := len(p.Card); n < 12 || n > 19 || strings.Trim(p.Card, "0123456789") != "" {
			return invalid(ErrTestParams, i18n.M("cli.readers.test_card_bad", i18n.Args{"Card": q(p.Card)}))
		}
	}
	return nil
}

// prepare reads the seller and the reader and settles amount, currency and
// presentment.
func (t *testRun) prepare(ctx context.Context) error {
	f, p := t.f, t.p
	if f.Payments == nil {
		return invalid(ErrTestParams, i18n.M("cli.readers.test_no_payments"))
	}
	s, err := f.Sellers.GetSeller(ctx, p.Seller)
	if err != nil {
		return explain(err, subject{op: ReadSeller(p.Seller), owner: p.Seller})
	}
	if s.CardPayments != pos.CapabilityActive || !s.ChargesEnabled {
		capability := any(i18n.M("cli.readers.not_requested"))
		if s.CardPayments != "" {
			capability = q(s.CardPayments)
		}
		return invalid(ErrTestParams, i18n.M("cli.readers.test_seller_onboarding",
			i18n.Args{"Seller": string(p.Seller), "CardPayments": capability, "Enabled": s.ChargesEnabled}))
	}
	if t.cur, err = pos.LookupCurrency(s.Currency); err != nil {
		return invalid(ErrTestParams, i18n.M("cli.readers.test_seller_currency", i18n.Args{"Seller": string(p.Seller), "Currency": q(s.Currency)}))
	}
	t.res.Currency = t.cur.Code
	if err := t.checkAmount(); err != nil {
		return err
	}
	r, err := f.Terminal.GetReader(ctx, p.Owner, p.ReaderID)
	if err != nil {
		return explain(err, subject{op: readReader(p.ReaderID), owner: p.Owner, readerID: p.ReaderID})
	}
	if err := refuseBusy(r, i18n.M("cli.readers.a_test_transaction")); err != nil {
		return err
	}
	t.res.Simulated = p.Card != "" || strings.HasPrefix(r.DeviceType, "simulated_")
	switch {
	case t.res.Simulated && !f.Mode.Test():
		return invalid(ErrMode, i18n.M("cli.readers.test_simulated_live"))
	case t.res.Simulated && f.Presenter == nil:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_no_presenter"))
	case p.Tip > 0 && !t.res.Simulated:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_tip_physical"))
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
	money := func(a int64) i18n.Money { return i18n.Money{Amount: a, Currency: c.Code} }
	switch a := t.res.Amount; {
	case a < least:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_below_minimum", i18n.Args{"Amount": money(a), "Min": money(least)}))
	case a+t.p.Tip > pos.MaxAmount:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_above_maximum", i18n.Args{"Amount": money(a + t.p.Tip)}))
	case a%c.Step != 0 || t.p.Tip%c.Step != 0:
		return invalid(ErrTestParams, i18n.M("cli.readers.test_step", i18n.Args{"Currency": c.Upper(), "Step": c.Step}))
	}
	return nil
}
