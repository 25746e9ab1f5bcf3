package customers

import (
	"context"
	"errors"
	"time"

	"kasse/i18n"
	"kasse/pos"
)

// Saving a card on a reader without a payment (stripe-api.md §12): a
// SetupIntent for the customer, handed to the reader once the cashier
// confirmed the customer agreed (customer_consent_collected; the consent's
// operator is in the SetupIntent's metadata and the journal), then the
// reader read until the card is saved or refused (pos.ReadSetup). For the
// platform's wallet the reader is a platform reader: the saved card is the
// platform's, and any seller can then charge the customer (sale_customer.go
// in pos shares it).

// ErrNoConsent: a card is saved only after the customer agreed.
var ErrNoConsent = errors.New("the customer's consent to save the card was not confirmed")

// ErrNoSimulation: a simulated card was asked of a Service without a
// Presenter (a live key).
var ErrNoSimulation = errors.New("card simulation is only available in sandbox and test mode")

// SaveRequest asks to save a card for Customer on Reader.
type SaveRequest struct {
	Customer  pos.Customer
	Reader    pos.Reader // its Owner: Platform for a platform reader
	ConsentBy string     // the operator who confirmed the customer agreed
	// Simulate presents SimulateCard (a test card number; "" the default)
	// on a simulated reader (sandbox and test keys; needs a Presenter).
	Simulate     bool
	SimulateCard string
	Timeout      time.Duration // waiting for the card (0: 2 minutes)
	// Poll is the interval between reader reads (0: 1 s).
	Poll time.Duration
}

// SaveResult is what became of it.
type SaveResult struct {
	State         pos.SetupState // SetupSaved, SetupFailed, SetupLeft (canceled), or SetupWaiting when it timed out
	Card          pos.SavedCard  // the saved card (SetupSaved)
	Failure       *pos.PaymentError
	SetupIntentID string
	TimedOut      bool
	Canceled      bool // the reader was cleared and the SetupIntent canceled
}

// SaveCard runs the save. ctx ending (an interrupt) stops the wait; the
// reader is then cleared (compare before cancel) and the SetupIntent
// canceled, under a context of its own.
func (s *Service) SaveCard(ctx context.Context, r SaveRequest) (SaveResult, error) {
	var res SaveResult
	cus, rd := r.Customer, r.Reader
	switch {
	case r.ConsentBy == "":
		return res, &BadInput{Err: ErrNoConsent}
	case cus.Deleted:
		return res, bad(ErrCustomerGone, Value(cus.ID))
	case !rd.Owner.IsPlatform() && rd.Owner != cus.Account:
		return res, bad(ErrSellerReader, i18n.M("cli.customers.detail.reader_of", i18n.Args{"Reader": rd.ID, "Owner": rd.Owner.String()}))
	case r.Simulate && s.Presenter == nil:
		return res, &i18n.Error{Kind: ErrNoSimulation, Msg: i18n.M("cli.customers.no_simulation")}
	}
	owner := cus.Account
	var si pos.SetupIntent
	err := s.send(ctx, "save_card.setup", owner, cus.ID+"\x00"+rd.ID, func(key string) (string, error) {
		var err error
		si, err = s.Customers.CreateSetupIntent(ctx, owner, pos.SetupRequest{Customer: cus.ID,
			Metadata: map[string]string{pos.MetaSaveConsent: r.ConsentBy}}, key)
		return si.ID, err
	})
	if err != nil {
		return res, err
	}
	res.SetupIntentID = si.ID
	err = s.send(ctx, "save_card.process", rd.Owner, si.ID+"\x00"+rd.ID, func(key string) (string, error) {
		_, err := s.Customers.ProcessSetupIntent(ctx, rd.Owner, rd.ID, si.ID, key)
		return si.ID, err
	})
	if err != nil {
		s.cleanup(ctx, owner, rd, si.ID, &res)
		return res, err
	}
	if r.Simulate {
		err := s.send(ctx, "save_card.present", rd.Owner, si.ID+"\x00"+r.SimulateCard, func(key string) (string, error) {
			_, err := s.Presenter.PresentCard(ctx, rd.Owner, rd.ID, r.SimulateCard, 0, key)
			return si.ID, err
		})
		if err != nil {
			s.log().Warn("presenting the test card", "err", err)
		}
	}
	timeout, poll := r.Timeout, r.Poll
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	if poll <= 0 {
		poll = time.Second
	}
	deadline := s.now().Add(timeout)
	for {
		reader, err := s.Terminal.GetReader(ctx, rd.Owner, rd.ID)
		if err == nil {
			read := pos.ReadSetup(reader, si.ID)
			switch read.State {
			case pos.SetupSaved:
				res.State = pos.SetupSaved
				res.Card, err = s.Customers.GetCard(ctx, owner, read.Card)
				if err != nil { // saved all the same: say which card
					res.Card = pos.SavedCard{ID: read.Card, Account: owner, Customer: cus.ID, Type: pos.CardTypeCard}
				}
				return res, nil
			case pos.SetupFailed:
				res.State, res.Failure = pos.SetupFailed, read.Failure
				s.cancelSetup(ctx, owner, si.ID)
				return res, nil
			case pos.SetupLeft:
				res.State = pos.SetupLeft
				s.cancelSetup(ctx, owner, si.ID)
				return res, nil
			}
		}
		if ctx.Err() != nil || !s.now().Before(deadline) {
			res.State, res.TimedOut = pos.SetupWaiting, ctx.Err() == nil
			s.cleanup(ctx, owner, rd, si.ID, &res)
			return res, ctx.Err()
		}
		if err := s.sleep(ctx, poll); err != nil {
			res.State = pos.SetupWaiting
			s.cleanup(ctx, owner, rd, si.ID, &res)
			return res, err
		}
	}
}

// cleanupGrace bounds clearing the reader and canceling the SetupIntent
// after an interrupt or a timeout.
const cleanupGrace = 20 * time.Second

// cleanup clears the reader if it still shows our setup (compare before
// cancel) and cancels the SetupIntent, on a context the caller's end does
// not cut short.
func (s *Service) cleanup(ctx context.Context, owner pos.Account, rd pos.Reader, siID string, res *SaveResult) {
	ctx, stop := context.WithTimeout(context.WithoutCancel(ctx), cleanupGrace)
	defer stop()
	if reader, err := s.Terminal.GetReader(ctx, rd.Owner, rd.ID); err == nil && pos.SetupCancelable(reader, siID) {
		_ = s.send(ctx, "save_card.clear", rd.Owner, siID+"\x00"+rd.ID, func(key string) (string, error) {
			_, err := s.Terminal.CancelAction(ctx, rd.Owner, rd.ID, key)
			return rd.ID, err
		})
	}
	res.Canceled = s.cancelSetup(ctx, owner, siID) == nil
}

// cancelSetup cancels a SetupIntent that saved nothing (best effort: an
// open SetupIntent holds no money).
func (s *Service) cancelSetup(ctx context.Context, owner pos.Account, siID string) error {
	err := s.send(ctx, "save_card.cancel", owner, siID, func(key string) (string, error) {
		_, err := s.Customers.CancelSetupIntent(ctx, owner, siID, key)
		return siID, err
	})
	if err != nil {
		s.log().Info("canceling the SetupIntent", "setup_intent", siID, "err", err)
	}
	return err
}
