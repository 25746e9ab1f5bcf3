package pos

import "time"

// This file turns what Stripe shows (a reader, an intent) into the next
// state, and holds the helpers that emit requests.

// ourAction returns the reader's action when it is process_payment_intent
// for this sale's intent, else nil.
func (s Sale) ourAction(r Reader) *ReaderAction {
	a := r.Action
	if s.IntentID == "" || a == nil || a.Type != ActionProcessPaymentIntent || a.PaymentIntentID != s.IntentID {
		return nil
	}
	if r.ID != "" && r.ID != s.ReaderID {
		return nil
	}
	return a
}

// cardPresented: the expanded intent moved past requires_payment_method
// while the action runs, i.e. a card is being authorized.
func cardPresented(a *ReaderAction) bool {
	if a.Intent == nil {
		return false
	}
	switch a.Intent.Status {
	case IntentRequiresPaymentMethod, "":
		return false
	}
	return true
}

// observe applies a reader read while watching (WaitingForCard), resolving
// (Unknown) or inspecting a busy reader (ReaderBusy).
func (s Sale) observe(r Reader, at time.Time) (Sale, []Effect) {
	a := s.ourAction(r)
	if a == nil {
		switch s.State {
		case SaleReaderBusy:
			return s, nil // someone else's payment; Reader holds the details
		case SaleUnknown:
			return s.readIntent(at) // not on the reader: ask the intent
		}
		// Our payment left the reader (canceled or replaced elsewhere, or it
		// finished between two polls): the intent tells what happened.
		s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptLeftReader
		return s.readIntent(at)
	}
	switch a.Status {
	case ActionInProgress:
		s.State, s.Checking = SaleWaitingForCard, CheckNone
		if s.PrimedAt.IsZero() {
			s.PrimedAt = at
		}
		s.CardPresented = cardPresented(a)
		if s.Cancel.Wanted && !s.CardPresented {
			return s.sendCancelAction(at) // a cancel waited for the authorization to end
		}
		return s, nil
	case ActionSucceeded:
		if a.Intent != nil && a.Intent.ID == s.IntentID {
			return s.settle(*a.Intent, at)
		}
	case ActionFailed:
		return s.actionFailed(a, at)
	}
	s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptReaderError
	return s.readIntent(at)
}

// observeForCancel applies the read made before clearing the reader.
func (s Sale) observeForCancel(r Reader, at time.Time) (Sale, []Effect) {
	a := s.ourAction(r)
	if a == nil {
		if s.Cancel.ClearOnly { // the payment left the reader before the idle clear
			s.Cancel = CancelPlan{}
			s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptLeftReader
			return s.readIntent(at)
		}
		return s.cancelIntent(at) // not ours (or nothing): leave the reader alone
	}
	switch a.Status {
	case ActionInProgress:
		s.CardPresented = cardPresented(a)
		if s.Cancel.ClearOnly && s.CardPresented {
			s.Cancel = CancelPlan{}
			s.State = SaleWaitingForCard
			return s, nil
		}
		return s.sendCancelAction(at)
	case ActionSucceeded:
		if a.Intent != nil && a.Intent.ID == s.IntentID {
			return s.settle(*a.Intent, at)
		}
		return s.readIntent(at)
	}
	if s.Cancel.ClearOnly { // finished (declined, …) just before the idle clear
		s.Cancel = CancelPlan{}
		return s.actionFailed(a, at)
	}
	return s.cancelIntent(at)
}

// declineFailureCodes are action failure codes that mean "the card was
// refused" (card_declined is the documented one; the others are card error
// codes Stripe uses for specific refusals).
var declineFailureCodes = map[string]bool{
	"card_declined": true, "expired_card": true, "incorrect_cvc": true, "incorrect_pin": true,
	"processing_error": true, "incorrect_number": true, "invalid_expiry_year": true,
	"invalid_expiry_month": true, "card_not_supported": true, "currency_not_supported": true,
}

func (s Sale) actionFailed(a *ReaderAction, at time.Time) (Sale, []Effect) {
	s.CardPresented = false
	switch {
	case declineFailureCodes[a.FailureCode]:
		if a.Intent != nil && a.Intent.LastError != nil {
			d := *a.Intent.LastError
			s.Decline = &d
		} else {
			s.Decline = &PaymentError{Type: "card_error", Code: a.FailureCode, Message: a.FailureMessage}
		}
		return s.decide(SaleDeclined, at)
	case a.FailureCode == "customer_canceled":
		return s.decide(SaleCustomerCanceled, at)
	}
	// connection_error or anything unexpected: it may still have authorized.
	s.LastError = &Error{Kind: KindUnknown, Code: a.FailureCode, Message: a.FailureMessage}
	s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptReaderError
	return s.readIntent(at)
}

// decide moves to a decision state, or on to the cancel the cashier asked
// for meanwhile.
func (s Sale) decide(st SaleState, at time.Time) (Sale, []Effect) {
	s.State, s.Checking = st, CheckNone
	if s.Cancel.Wanted && !s.Cancel.ClearOnly && s.IntentID != "" {
		return s.startCancel(at)
	}
	s.Cancel = CancelPlan{}
	if st == SaleFailed {
		s.DoneAt = at
	}
	return s, nil
}

// settle applies an intent in a final or authorized status.
func (s Sale) settle(in Intent, at time.Time) (Sale, []Effect) {
	s.IntentStatus = in.Status
	s.takeDetailsInto(in)
	switch in.Status {
	case IntentSucceeded:
		if s.Cancel.Wanted && !s.Cancel.ClearOnly {
			s.Notice = "Too late to cancel: the payment was approved. Refund it if needed."
		}
		s.State, s.Checking, s.Cancel, s.DoneAt = SaleApproved, CheckNone, CancelPlan{}, at
		if in.LatestCharge == nil {
			return s.readIntent(at) // fetch brand/last4; the state stays Approved
		}
		return s.startTransfer(received(in), at)
	case IntentRequiresCapture:
		s.State, s.Checking = SaleRequiresCapture, CheckNone
		s.AmountCapturable = in.AmountCapturable
		if s.Cancel.Wanted && !s.Cancel.ClearOnly && !s.Cancel.KeepPaid {
			return s.sendCancelIntent(at) // void the authorization
		}
		if s.Cancel.KeepPaid {
			s.Notice = "The payment was authorized meanwhile; it is kept for capture (or void it)."
		}
		s.Cancel = CancelPlan{}
		return s, nil
	case IntentCanceled:
		s.State, s.Checking, s.Cancel, s.DoneAt = SaleCanceled, CheckNone, CancelPlan{}, at
		return s, nil
	}
	return s, nil
}

// received is what a succeeded intent received: amount_received (a
// partial capture receives less than the amount), else the amount.
func received(in Intent) int64 {
	if in.AmountReceived > 0 {
		return in.AmountReceived
	}
	return in.Amount
}

func (s *Sale) takeDetailsInto(in Intent) {
	if in.Tip != nil {
		t := *in.Tip
		s.Tip = &t
	}
	if in.Amount > 0 {
		s.Amount = in.Amount
	}
	if in.LatestCharge != nil {
		s.Card, s.ChargeID = in.LatestCharge.Card, in.LatestCharge.ID
		s.savedCard(in.LatestCharge)
	} else if in.LatestChargeID != "" {
		s.ChargeID = in.LatestChargeID
	}
}

func (s Sale) onIntentCreated(in Intent, at time.Time) (Sale, []Effect) {
	if in.ID == "" {
		s.LastError = &Error{Kind: KindUnknown, Message: "Stripe answered without a PaymentIntent id"}
		s.State, s.Checking = SaleUnknown, CheckCreate
		return s, nil
	}
	s.IntentID, s.IntentStatus, s.LastError = in.ID, in.Status, nil
	s.Checking = CheckNone
	if in.Amount != s.Request.Amount || currencyOrDefault(in.Currency).Code != s.Request.Currency {
		s.LastError = &Error{Kind: KindInvalidState, Message: "the created PaymentIntent does not match the sale; canceling it"}
		s.Cancel = CancelPlan{Wanted: true, Reason: "abandoned"}
	}
	if s.Cancel.Wanted {
		return s.startCancel(at)
	}
	if s.Request.SavedCard != "" {
		return s.onCardConfirmed(in, at) // confirmed at once (sale_customer_outcome.go)
	}
	return s.sendProcess(at)
}

func (s Sale) onIntentRead(in Intent, at time.Time) (Sale, []Effect) {
	if in.ID != s.IntentID {
		return s, nil // not ours; the next Tick asks again
	}
	s.IntentStatus = in.Status
	switch s.State {
	case SaleApproved:
		s.takeDetailsInto(in)
		return s.startTransfer(received(in), at)
	case SaleCanceling:
		switch in.Status {
		case IntentSucceeded, IntentCanceled:
			return s.settle(in, at)
		case IntentRequiresCapture:
			if s.Cancel.KeepPaid {
				return s.settle(in, at)
			}
		case IntentProcessing:
			s.Cancel.Next = OpReadIntent
			s.Checks++
			return s, nil
		}
		return s.sendCancelIntent(at)
	case SaleUnknown:
		switch in.Status {
		case IntentRequiresCapture:
			if s.Checking == CheckCapture {
				return s.sendCapture(at) // the capture did not happen: send it again
			}
			return s.settle(in, at)
		case IntentSucceeded, IntentCanceled:
			return s.settle(in, at)
		case IntentRequiresPaymentMethod:
			if s.Checking == CheckProcess {
				return s.resendOrPark(at)
			}
			return s.decide(SaleInterrupted, at)
		}
		s.Checks++ // being authorized: look again on the next Tick
		return s, nil
	}
	return s, nil
}

// resendOrPark follows a proof that our process send did not reach the
// reader: resend it if the reader is free, else hand over to the cashier.
func (s Sale) resendOrPark(at time.Time) (Sale, []Effect) {
	switch {
	case s.Reader.Status == "offline":
		return s.decide(SaleReaderOffline, at)
	case s.Reader.BusyWithOther(s.IntentID):
		return s.decide(SaleReaderBusy, at)
	case s.AutoResends >= MaxAutoResends:
		s.Interruption = InterruptNoPickup
		return s.decide(SaleInterrupted, at)
	}
	s.AutoResends++
	return s.sendProcess(at)
}

// startCancel begins (or resumes) canceling. Callers make sure no mutating
// request is pending.
func (s Sale) startCancel(at time.Time) (Sale, []Effect) {
	s.Cancel.Wanted, s.Cancel.Next = true, ""
	if s.Cancel.Reason == "" {
		s.Cancel.Reason = "requested_by_customer"
	}
	if s.IntentID == "" {
		s.State, s.DoneAt, s.Cancel = SaleCanceled, at, CancelPlan{}
		return s, nil
	}
	// An authorized payment is past the reader (its action succeeded):
	// voiding it is the intent's cancel alone, whatever the reader does now
	// or whether it still exists.
	authorized := s.State == SaleRequiresCapture
	s.State, s.Checking = SaleCanceling, CheckNone
	if s.Attempt > 0 && !authorized {
		return s.readReader(at) // compare before cancel: is the reader on our payment?
	}
	return s.cancelIntent(at)
}

// cancelIntent cancels the intent once the reader is dealt with; settling
// an orphaned sale (KeepPaid) reads the intent first, so that a payment
// made while nobody watched is kept, not voided (onIntentRead sends the
// cancel if it is still unpaid).
func (s Sale) cancelIntent(at time.Time) (Sale, []Effect) {
	if s.Cancel.KeepPaid {
		s.State, s.Cancel.Next = SaleCanceling, ""
		return s.readIntent(at)
	}
	return s.sendCancelIntent(at)
}

func (s Sale) begin(op Op, key string, at time.Time) (Sale, int64) {
	s.Seq++
	s.Throttle.Op, s.Throttle.Until = "", time.Time{} // whatever waited is superseded (or this is it)
	s.Pending = Pending{Seq: s.Seq, Op: op, Key: key, Since: at}
	return s, s.Seq
}

func (s Sale) sendCreate(at time.Time) (Sale, []Effect) {
	s, seq := s.begin(OpCreateIntent, s.CreateKey(), at)
	return s, []Effect{
		Record{For: OpCreateIntent, Key: s.CreateKey()},
		CreateIntent{Seq: seq, Key: s.CreateKey(), Seller: s.IntentAccount(), Request: s.Request},
	}
}

func (s Sale) sendProcess(at time.Time) (Sale, []Effect) {
	s.Attempt++
	s.State, s.Checking, s.Interruption = SaleProcessing, CheckNone, ""
	s.CardPresented, s.PrimedAt, s.Decline, s.LastError = false, time.Time{}, nil, nil
	return s.process(at)
}

// process sends process_payment_intent for the current attempt, under its
// key (sendProcess starts an attempt; a 429's resend repeats it).
func (s Sale) process(at time.Time) (Sale, []Effect) {
	key := s.ProcessKey(s.Attempt)
	s, seq := s.begin(OpProcessIntent, key, at)
	return s, []Effect{
		Record{For: OpProcessIntent, Key: key},
		ProcessIntent{Seq: seq, Key: key, Owner: s.ReaderOwner, ReaderID: s.ReaderID, IntentID: s.IntentID, Config: s.Process},
	}
}

func (s Sale) readReader(at time.Time) (Sale, []Effect) {
	s, seq := s.begin(OpReadReader, "", at)
	return s, []Effect{PollReader{Seq: seq, Owner: s.ReaderOwner, ReaderID: s.ReaderID}}
}

func (s Sale) readIntent(at time.Time) (Sale, []Effect) {
	s, seq := s.begin(OpReadIntent, "", at)
	return s, []Effect{GetIntent{Seq: seq, Seller: s.IntentAccount(), IntentID: s.IntentID}}
}

func (s Sale) sendCancelAction(at time.Time) (Sale, []Effect) {
	s.CancelActions++
	key := s.CancelActionKey(s.CancelActions)
	s.State, s.Cancel.Next = SaleCanceling, ""
	s, seq := s.begin(OpCancelAction, key, at)
	return s, []Effect{
		Record{For: OpCancelAction, Key: key},
		CancelReaderAction{Seq: seq, Key: key, Owner: s.ReaderOwner, ReaderID: s.ReaderID, IntentID: s.IntentID},
	}
}

func (s Sale) sendCancelIntent(at time.Time) (Sale, []Effect) {
	if s.Cancel.Reason == "" {
		s.Cancel.Reason = "requested_by_customer"
	}
	s.CancelIntents++
	return s.cancelIntentRequest(at)
}

// cancelIntentRequest sends the intent's cancel under the current cancel
// key (sendCancelIntent numbers a new one; a 429's resend repeats it).
func (s Sale) cancelIntentRequest(at time.Time) (Sale, []Effect) {
	key := s.CancelIntentKey(s.CancelIntents)
	s.State, s.Cancel.Next = SaleCanceling, ""
	s, seq := s.begin(OpCancelIntent, key, at)
	return s, []Effect{
		Record{For: OpCancelIntent, Key: key},
		CancelIntent{Seq: seq, Key: key, Seller: s.IntentAccount(), IntentID: s.IntentID, Reason: s.Cancel.Reason},
	}
}

func (s Sale) sendCapture(at time.Time) (Sale, []Effect) {
	s.Captures++
	return s.captureRequest(at)
}

// captureRequest sends the capture under the current capture key
// (sendCapture numbers a new one; a 429's resend repeats it).
func (s Sale) captureRequest(at time.Time) (Sale, []Effect) {
	key := s.CaptureKey(s.Captures)
	s.State, s.Checking = SaleCapturing, CheckNone
	s, seq := s.begin(OpCaptureIntent, key, at)
	return s, []Effect{
		Record{For: OpCaptureIntent, Key: key},
		CaptureIntent{Seq: seq, Key: key, Seller: s.IntentAccount(), IntentID: s.IntentID, Amount: s.AmountCapturable},
	}
}
