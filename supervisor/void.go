package supervisor

import (
	"context"
	"errors"
	"strconv"

	"kasse/i18n"
	"kasse/internal/wait"
	"kasse/pos"
)

// AuthorizationRequest voids (cancels) or captures an authorized,
// uncaptured payment.
type AuthorizationRequest struct {
	Seller   pos.Account
	IntentID string
	// Reason is the cancellation_reason of a void: requested_by_customer
	// (default), duplicate, fraudulent or abandoned. Unused by Capture.
	Reason string
	// Amount is what Capture takes, in minor units: 0 = all that is
	// authorized; less captures part (and releases the rest) — for
	// payments that are not this console's sales, whose sale machine
	// captures in full. Void takes no amount.
	Amount   int64
	Operator string
	PIN      PIN
	Why      string // for the audit log
}

// AuthorizationResult is the payment after a void or capture.
type AuthorizationResult struct {
	Intent   pos.Intent // as read after the action
	Amount   int64      // the amount voided or captured
	Currency string
	SaleID   string // the journal's sale, if any
}

var cancelReasons = []string{"requested_by_customer", "duplicate", "fraudulent", "abandoned"}

// Void cancels an authorized, uncaptured payment (nothing is charged):
// Guard (supervisor + PIN), checks, audit "void.submit", the cancel, audit
// "void.result". A sale in this console's journal is voided through its
// sale machine (journal first); another console's payment directly, with
// an idempotency key written to the audit log before the request.
func (s *Service) Void(ctx context.Context, req AuthorizationRequest) (AuthorizationResult, error) {
	if req.Reason == "" {
		req.Reason = "requested_by_customer"
	}
	ok := false
	for _, r := range cancelReasons {
		ok = ok || r == req.Reason
	}
	if !ok {
		return AuthorizationResult{}, input(badVoidReason(req.Reason))
	}
	if req.Amount != 0 {
		return AuthorizationResult{}, input(i18n.M("cli.supervisor.void_amount"))
	}
	return s.settle(ctx, ActionVoid, req)
}

// Capture captures an uncaptured payment (req.Amount, or all that is
// authorized), like Void otherwise (audit "capture.submit",
// "capture.result").
func (s *Service) Capture(ctx context.Context, req AuthorizationRequest) (AuthorizationResult, error) {
	req.Reason = ""
	if req.Amount < 0 {
		return AuthorizationResult{}, input(i18n.M("cli.supervisor.capture_negative"))
	}
	return s.settle(ctx, ActionCapture, req)
}

func (s *Service) settle(ctx context.Context, action Action, req AuthorizationRequest) (AuthorizationResult, error) {
	if err := checkIDs(req.Seller, req.IntentID); err != nil {
		return AuthorizationResult{}, err
	}
	if err := s.Guard.Authorize(ctx, Attempt{Operator: req.Operator, Action: action, Subject: req.IntentID, PIN: req.PIN}); err != nil {
		return AuthorizationResult{}, err
	}
	req.Why = scrubPIN(req.Why, req.PIN)
	p, err := s.Lookup(ctx, req.Seller, req.IntentID)
	if err != nil {
		return AuthorizationResult{}, err
	}
	in := p.Intent
	req.Seller = p.Seller
	a := i18n.Args{"Intent": in.ID, "Status": in.Status}
	switch {
	case in.Status == pos.IntentSucceeded && action == ActionVoid:
		return AuthorizationResult{}, input(i18n.M("cli.supervisor.void_captured", a))
	case in.Status == pos.IntentSucceeded:
		return AuthorizationResult{}, input(i18n.M("cli.supervisor.captured_already", a))
	case in.Status == pos.IntentCanceled:
		return AuthorizationResult{}, input(i18n.M("cli.supervisor.voided_already", a))
	case in.Status != pos.IntentRequiresCapture:
		return AuthorizationResult{}, failure(ErrInProgress, i18n.M("cli.supervisor.not_authorized", a))
	}
	res := AuthorizationResult{Amount: in.AmountCapturable, Currency: in.Currency, SaleID: p.SaleID}
	if req.Amount == in.AmountCapturable {
		req.Amount = 0
	}
	money := func(a int64) i18n.Money { return i18n.Money{Amount: a, Currency: in.Currency} }
	if req.Amount > in.AmountCapturable {
		return res, input(i18n.M("cli.supervisor.capture_exceeds", i18n.Args{"Amount": money(req.Amount), "Authorized": money(in.AmountCapturable)}))
	}
	rec, err := s.journalSale(ctx, req.Seller, req.IntentID)
	if err != nil {
		return res, err
	}
	machine := rec != nil && rec.Sale.State == pos.SaleRequiresCapture
	if rec != nil && !machine && !rec.Sale.State.Final() {
		return res, failure(ErrInProgress, i18n.M("cli.supervisor.sale_elsewhere", i18n.Args{"Sale": rec.Sale.ID, "State": string(rec.Sale.State), "Console": rec.ConsoleID}))
	}
	if action == ActionCapture && !machine && p.Facts.Type == pos.ChargeSeparate {
		return res, input(i18n.M("cli.supervisor.capture_separate_elsewhere", a))
	}
	if machine && req.Amount != 0 {
		return res, input(i18n.M("cli.supervisor.capture_whole_sale", i18n.Args{"Sale": rec.Sale.ID, "Amount": money(in.AmountCapturable)}))
	}
	if req.Amount != 0 {
		res.Amount = req.Amount
	}
	verb := string(action)
	key := "" // the sale machine records its own keys with the sale
	if !machine {
		key = pos.IdempotencyKey(verb+"-"+s.newID(), map[Action]string{ActionVoid: "cancel", ActionCapture: "capture"}[action], 0)
	}
	if err := s.audit(ctx, req.Operator, verb+".submit", in.ID, describe("seller", string(req.Seller), "intent", in.ID,
		"sale", p.SaleID, "amount", pos.Format(res.Amount, in.Currency), "currency", in.Currency,
		"reason", req.Reason, "idempotency_key", key), req.Why); err != nil {
		return res, err
	}
	if machine {
		err = s.settleSale(ctx, action, rec.Sale, req.Reason)
	} else {
		err = s.settleDirect(ctx, action, p.Account, req, key)
	}
	after, rerr := s.payments().GetIntent(context.WithoutCancel(ctx), p.Account, req.IntentID)
	if rerr == nil {
		res.Intent = after
	}
	state := after.Status
	if rerr != nil {
		state = "unread" // i18n:ok the audit trail's data
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), outcomeGrace)
	defer cancel()
	errText := ""
	if err != nil {
		errText = err.Error()
	}
	if aerr := s.audit(actx, req.Operator, verb+".result", in.ID, describe("sale", p.SaleID, "status", state, "error", errText), req.Why); aerr != nil && err == nil {
		err = aerr
	}
	return res, err
}

// settleSale drives the journal's sale through its machine.
func (s *Service) settleSale(ctx context.Context, action Action, sale pos.Sale, reason string) error {
	var ev pos.SaleEvent = pos.CaptureRequested{At: s.now()}
	want := pos.SaleApproved
	if action == ActionVoid {
		ev, want = pos.CancelRequested{At: s.now(), Reason: reason}, pos.SaleCanceled
	}
	out, err := s.Runner.Drive(ctx, sale, ev, nil)
	switch {
	case out.State == want:
		return nil
	case err != nil || out.State == pos.SaleUnknown || out.State == pos.SaleCanceling || out.State == pos.SaleCapturing:
		return failure(ErrOutcomeUnknown, i18n.M("cli.supervisor.sale_unknown", i18n.Args{"Sale": sale.ID, "State": string(out.State)}))
	case out.LastError != nil:
		return failure(out.LastError, i18n.M("cli.supervisor.sale_error", i18n.Args{"Sale": sale.ID, "Error": out.LastError}))
	}
	return failure(errSaleRefused, i18n.M("cli.supervisor.sale_refused", i18n.Args{"Sale": sale.ID, "State": string(out.State), "Notice": i18n.NoticeMessage(out.Notice)}))
}

// settleDirect cancels or captures another console's payment. Both are
// safe to repeat under the same key, and an unknown outcome is read back:
// the payment shows whether the first request took effect.
func (s *Service) settleDirect(ctx context.Context, action Action, acct pos.Account, req AuthorizationRequest, key string) error {
	want := pos.IntentSucceeded
	if action == ActionVoid {
		want = pos.IntentCanceled
	}
	var last error
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			if err := wait.Sleep(ctx, pos.FastPoll<<attempt); err != nil {
				break
			}
		}
		var err error
		if action == ActionVoid {
			_, err = s.payments().CancelIntent(ctx, acct, req.IntentID, req.Reason, key)
		} else {
			_, err = s.payments().CaptureIntent(ctx, acct, req.IntentID, req.Amount, key)
		}
		if err == nil {
			return nil
		}
		last = err
		if k := pos.KindOf(err); k != pos.KindUnknown && k != pos.KindRateLimited {
			return err
		}
		in, rerr := s.payments().GetIntent(ctx, acct, req.IntentID)
		switch {
		case rerr != nil:
			continue
		case in.Status == want:
			return nil
		case in.Status != pos.IntentRequiresCapture:
			return failure(errSaleRefused, i18n.M("cli.supervisor.payment_now", i18n.Args{"Intent": req.IntentID, "Status": in.Status}))
		}
	}
	return failure(ErrOutcomeUnknown, i18n.M("cli.supervisor.direct_unknown", i18n.Args{"Action": string(action), "Intent": req.IntentID, "Error": last}))
}

// errSaleRefused: the sale machine or Stripe ended elsewhere than asked.
var errSaleRefused = errors.New("not settled as asked")

// badVoidReason refuses a void reason (quoted).
func badVoidReason(reason string) i18n.Message {
	return i18n.M("cli.supervisor.bad_void_reason", i18n.Args{"Value": strconv.Quote(reason)})
}
