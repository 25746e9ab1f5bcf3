package readers

import (
	"context"

	"kasse/i18n"
	"kasse/pos"
)

// SampleCart is the cart DisplayTest shows: two lines, tax and total, in
// round amounts of currency (USD: 2.00 + 2 × 1.50 + 0.40 tax = 5.40; JPY:
// 200 + 2 × 150 + 40 = 540). Nothing is charged: set_reader_display only
// shows the numbers.
func SampleCart(currency string) (pos.DisplayCart, error) {
	c, err := pos.LookupCurrency(currency)
	if err != nil {
		return pos.DisplayCart{}, err
	}
	unit := int64(1)
	for range c.Decimals {
		unit *= 10
	}
	if c.Decimals == 0 {
		unit = 100
	}
	step := func(n int64) int64 { // round up to the currency's step
		if r := n % c.Step; r != 0 {
			n += c.Step - r
		}
		return n
	}
	a := step(2 * unit)
	b := step(3 * unit)       // two at 1.50
	tax := step(2 * unit / 5) // 0.40
	// The lines are shown on the reader's screen, whose language is not
	// the technician's: they stay as Kasse names them.
	return pos.DisplayCart{Currency: c.Code, Lines: []pos.CartLine{
		{Description: "Kasse display test", Quantity: 1, Amount: a}, // i18n:ok on the reader's screen, see above
		{Description: "Second test line", Quantity: 2, Amount: b},   // i18n:ok on the reader's screen, see above
	}, Tax: tax, Total: a + b + tax}, nil
}

// DisplayResult is what DisplayTest showed and the reader it answered.
type DisplayResult struct {
	Cart   pos.DisplayCart
	Reader pos.Reader
}

// DisplayTest shows SampleCart(currency) on the reader, proving the command
// channel end to end. A reader busy with a payment, setup or refund is
// refused before any write: set_reader_display would replace a payment
// still waiting for its card.
func (f *Fleet) DisplayTest(ctx context.Context, owner pos.Account, readerID, currency string) (DisplayResult, error) {
	if err := checkReaderID(readerID); err != nil {
		return DisplayResult{}, err
	}
	cart, err := SampleCart(currency)
	if err != nil {
		return DisplayResult{}, err
	}
	r, err := f.Terminal.GetReader(ctx, owner, readerID)
	if err != nil {
		return DisplayResult{}, explain(err, subject{op: readReader(readerID), owner: owner, readerID: readerID})
	}
	if err := refuseBusy(r, i18n.M("cli.readers.a_display_test")); err != nil {
		return DisplayResult{}, err
	}
	r, err = f.Terminal.SetDisplay(ctx, owner, readerID, cart, f.opKey("display"))
	if err != nil {
		return DisplayResult{Cart: cart}, explain(err, subject{op: i18n.M("cli.readers.op.display", i18n.Args{"ID": readerID}), owner: owner, readerID: readerID})
	}
	r.Owner = owner
	return DisplayResult{Cart: cart, Reader: r}, nil
}

// refuseBusy refuses to start what on a reader whose in-progress action is
// anything but a cart display (which is safe to replace).
func refuseBusy(r pos.Reader, what i18n.Message) error {
	if !r.Busy() || r.Action.Type == pos.ActionSetReaderDisplay {
		return nil
	}
	return invalid(ErrReaderBusy, i18n.M("cli.readers.busy_replace", i18n.Args{"ID": r.ID, "Action": ActionMessage(r.Action), "What": what}))
}

// ClearReport tells what Clear found on the reader and what it did.
type ClearReport struct {
	ReaderID string            `json:"reader_id"`
	Held     *pos.ReaderAction `json:"held"`    // the action before clearing; nil: none
	Cleared  bool              `json:"cleared"` // cancel_action succeeded
	Reader   pos.Reader        `json:"-"`       // as Stripe answered last
	// Note is what the tech should know next, in English (--json is
	// language-neutral); NoteMsg says it in the reader's language.
	Note    string       `json:"note"`
	NoteMsg i18n.Message `json:"-"`
}

// note sets the report's note.
func (r *ClearReport) note(m i18n.Message) { r.NoteMsg, r.Note = m, i18n.Neutral().Render(m) }

// Clear resets a reader: it reads the reader, reports what it held (action
// type, status, PaymentIntent) and sends cancel_action. A reader with no
// action is left alone. Stripe refuses cancel_action while a card is being
// authorized (terminal_reader_busy); that is explained rather than
// retried. A cleared payment's PaymentIntent is not cancelled: it stays on
// its seller in requires_payment_method.
func (f *Fleet) Clear(ctx context.Context, owner pos.Account, readerID string) (ClearReport, error) {
	if err := checkReaderID(readerID); err != nil {
		return ClearReport{}, err
	}
	r, err := f.Terminal.GetReader(ctx, owner, readerID)
	if err != nil {
		return ClearReport{ReaderID: readerID}, explain(err, subject{op: readReader(readerID), owner: owner, readerID: readerID})
	}
	r.Owner = owner
	rep := ClearReport{ReaderID: readerID, Held: r.Action, Reader: r}
	if r.Action == nil {
		rep.note(i18n.M("cli.readers.clear_nothing"))
		return rep, nil
	}
	after, err := f.Terminal.CancelAction(ctx, owner, readerID, f.opKey("clear"))
	if err != nil {
		if pos.IsKind(err, pos.KindReaderBusy) {
			return rep, &OpError{Err: err, Quote: true, Msg: i18n.M("cli.readers.clear_authorizing", i18n.Args{"ID": readerID, "Action": ActionMessage(r.Action)})}
		}
		return rep, explain(err, subject{op: i18n.M("cli.readers.op.clear", i18n.Args{"ID": readerID}), owner: owner, readerID: readerID})
	}
	after.Owner = owner
	rep.Cleared, rep.Reader = true, after
	rep.note(i18n.M("cli.readers.cleared", i18n.Args{"Action": ActionMessage(r.Action)}))
	if a := r.Action; a.Type == pos.ActionProcessPaymentIntent && a.PaymentIntentID != "" && a.Status != pos.ActionSucceeded {
		rep.note(i18n.M("cli.readers.cleared_intent_open", i18n.Args{"Action": ActionMessage(r.Action), "Intent": a.PaymentIntentID}))
	}
	return rep, nil
}
