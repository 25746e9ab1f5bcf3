package pos

import "time"

// onFailed handles a request that returned an error. The kind decides:
// KindUnknown means "may or may not have happened", so the machine checks
// (or, for the create, resends with the same key) before doing anything
// that could repeat the request's effect. A 429 (KindRateLimited) comes
// here only for a final sale; an open one is throttled (onThrottled).
func (s Sale) onFailed(op Op, err *Error, at time.Time) (Sale, []Effect) {
	if op == OpCreateTransfer || op == OpListTransfers {
		if s.Transfer == nil {
			return s, nil
		}
		return s.onTransferFailed(op, err) // the payment stands: LastError is the transfer's
	}
	s.LastError = err
	maybe := err.Kind == KindUnknown || err.Kind == KindRateLimited
	if prepOp(op) {
		return s.onPrepFailed(op, err, at) // sale_customer_prep.go
	}
	switch op {
	case OpCreateIntent:
		if err.Kind == KindDeclined && err.IntentID != "" && s.Request.SavedCard != "" {
			return s.onCardDeclined(err, at) // a saved card declined (sale_customer_outcome.go)
		}
		if maybe {
			s.State, s.Checking = SaleUnknown, CheckCreate
			s.Checks++
			return s, nil // the next Tick resends with the same key
		}
		// Definite refusal (4xx): Stripe created nothing.
		if s.Cancel.Wanted {
			s.Cancel = CancelPlan{}
			s.State, s.DoneAt = SaleCanceled, at
			return s, nil
		}
		s.State, s.DoneAt = SaleFailed, at
		return s, nil
	case OpProcessIntent:
		switch {
		case s.Cancel.Wanted:
			return s.startCancel(at)
		case maybe || err.Kind == KindReaderTimeout:
			// May have reached the reader (timeouts can be false negatives):
			// read before resending.
			s.State, s.Checking = SaleUnknown, CheckProcess
			return s.readReader(at)
		case err.Kind == KindReaderBusy:
			s.State, s.Checking = SaleReaderBusy, CheckNone
			return s.readReader(at) // busy with what? maybe our earlier send
		case err.Kind == KindReaderOffline:
			return s.decide(SaleReaderOffline, at)
		case err.Kind == KindInvalidState:
			s.State, s.Checking, s.Interruption = SaleUnknown, CheckPayment, InterruptReaderError
			return s.readIntent(at)
		case err.Kind == KindDeclined:
			s.Decline = &PaymentError{Type: "card_error", Code: err.Code, DeclineCode: err.DeclineCode, Message: err.Message}
			return s.decide(SaleDeclined, at)
		case err.Kind == KindInvalidRequest:
			s.Interruption = InterruptReaderError
			return s.decide(SaleInterrupted, at)
		}
		return s.decide(SaleFailed, at)
	case OpReadReader, OpReadIntent:
		if op == OpReadReader && err.Kind == KindNotFound {
			// The reader no longer exists (deregistered): it shows nothing,
			// so nothing of ours is on it. Go on as after a read of an idle
			// reader — reading it again would never answer otherwise.
			return s.onResult(ReaderPolled{At: at, Reader: Reader{ID: s.ReaderID}}, op, at)
		}
		s.Checks++
		if s.State == SaleCanceling {
			s.Cancel.Next = op
		}
		return s, nil // the next Tick reads again
	case OpCancelAction:
		switch {
		case err.Kind == KindReaderBusy:
			// A card is being authorized: cancel_action cannot interrupt it.
			s.State, s.CardPresented = SaleWaitingForCard, true
			if s.Cancel.ClearOnly {
				s.Cancel = CancelPlan{}
			} else {
				s.Notice = "The card is being authorized; the cancel is retried unless it is approved."
			}
			return s, nil
		case maybe || err.Kind == KindReaderTimeout:
			s.Cancel.Next = OpReadReader
			s.Checks++
			return s, nil
		case s.Cancel.ClearOnly:
			s.Cancel = CancelPlan{}
			if err.Kind == KindReaderOffline {
				return s.decide(SaleReaderOffline, at)
			}
			s.Interruption = InterruptReaderError
			return s.decide(SaleInterrupted, at)
		}
		return s.cancelIntent(at) // reader unreachable: canceling the intent still protects the money
	case OpCancelIntent:
		switch {
		case err.Kind == KindInvalidState:
			return s.readIntent(at) // paid meanwhile? already canceled?
		case maybe:
			s.Cancel.Next = OpReadIntent
			s.Checks++
			return s, nil
		}
		s.Cancel = CancelPlan{}
		s.State, s.DoneAt = SaleFailed, at
		return s, nil
	case OpCaptureIntent:
		if maybe || err.Kind == KindInvalidState {
			s.State, s.Checking = SaleUnknown, CheckCapture
			if err.Kind == KindInvalidState {
				return s.readIntent(at)
			}
			return s, nil
		}
		s.State = SaleRequiresCapture
		return s, nil
	}
	return s, nil
}

func (s Sale) onNotSent(op Op, reason string, at time.Time) (Sale, []Effect) {
	s.Notice = "Not sent: " + reason
	if prepOp(op) {
		if s.Checks == 0 && s.LastError == nil { // first send of the round: the key was never used
			return s.backToDraft(op, at, "not_sent")
		}
		return s, nil // a resend: the next Tick tries again under the same key
	}
	switch op {
	case OpCreateTransfer:
		if s.Transfer != nil {
			return s.onTransferNotSent()
		}
	case OpCreateIntent:
		if s.State == SaleCreating { // first send: the key was never used
			if s.Cancel.Wanted {
				s.Cancel = CancelPlan{}
				s.State, s.DoneAt = SaleCanceled, at
				return s, nil
			}
			s.State = SaleDraft
		}
		return s, nil // a resend in Unknown: the next Tick tries again
	case OpProcessIntent:
		if s.Cancel.Wanted {
			return s.startCancel(at)
		}
		s.Interruption = InterruptNotSent
		return s.decide(SaleInterrupted, at)
	case OpCancelAction:
		s.Cancel.Next = OpReadReader
	case OpCancelIntent:
		s.Cancel.Next = OpReadIntent
	case OpCaptureIntent:
		s.State = SaleRequiresCapture
	}
	return s, nil
}

// onThrottled handles a 429: Stripe refused op without running it. The
// sale stays where it is and op is sent again once the back-off has passed
// (onTick → resend); nothing is decided on a 429. A refused
// process_payment_intent that the cashier meanwhile asked to cancel is not
// sent again: the cancel starts instead (it reads the reader first).
func (s Sale) onThrottled(op Op, at time.Time) (Sale, []Effect) {
	s.Throttle.Refusals++
	if op == OpProcessIntent && s.Cancel.Wanted {
		return s.startCancel(at)
	}
	s.Throttle.Op = op
	s.Throttle.Until = at.Add(s.throttleDelay(s.Throttle.Refusals))
	return s, nil
}

// resend sends the request a 429 refused again: the same request under the
// same key (a create, process, cancel or capture), the same read, or — for
// cancel_action — the read that must come before it (compare before
// cancel: the reader may have moved on meanwhile).
func (s Sale) resend(at time.Time) (Sale, []Effect) {
	switch s.Throttle.Op {
	case OpCreateIntent:
		return s.sendCreate(at)
	case OpProcessIntent:
		return s.process(at)
	case OpCancelIntent:
		return s.cancelIntentRequest(at)
	case OpCaptureIntent:
		return s.captureRequest(at)
	case OpReadIntent:
		return s.readIntent(at)
	case OpReadReader, OpCancelAction:
		return s.readReader(at)
	case OpCreateTransfer, OpListTransfers:
		if s.TransferOwed() {
			return s.resumeTransfer(at)
		}
	case OpShareCard, OpCopyCustomer, OpAttachCard:
		return s.sendPrep(at)
	}
	s.Throttle.Op = ""
	return s, nil
}
