package pos

// Saving a card without a payment (stripe-api.md §12, "save without
// paying"): a SetupIntent for the customer, handed to a reader
// (process_setup_intent, after the cashier confirmed the customer's
// consent); the reader's action ends succeeded with the generated card, or
// failed. ReadSetup judges one read of the reader.

// SetupState is where saving a card on a reader stands after a read.
type SetupState string

// Setup states.
const (
	SetupWaiting SetupState = "waiting" // the reader waits for (or reads) the card
	SetupSaved   SetupState = "saved"   // the card was saved: SetupRead.Card
	SetupFailed  SetupState = "failed"  // the card was refused or cannot be saved: SetupRead.Failure
	SetupLeft    SetupState = "left"    // the reader no longer shows it (canceled, replaced, reset)
)

// SetupRead is what a read of the reader says about SetupIntent siID.
type SetupRead struct {
	State   SetupState
	Card    string // the generated card (SetupSaved)
	Failure *PaymentError
}

// ReadSetup judges reader r for the SetupIntent siID. A succeeded action
// without a generated card is a failure: the card could not be saved.
func ReadSetup(r Reader, siID string) SetupRead {
	a := r.Action
	if a == nil || a.Type != ActionProcessSetupIntent || a.SetupIntentID != siID {
		return SetupRead{State: SetupLeft}
	}
	switch a.Status {
	case ActionInProgress:
		return SetupRead{State: SetupWaiting}
	case ActionSucceeded:
		if a.GeneratedCard == "" {
			return SetupRead{State: SetupFailed, Failure: &PaymentError{Code: "card_not_supported",
				Message: "The reader saved no reusable card from this card."}}
		}
		return SetupRead{State: SetupSaved, Card: a.GeneratedCard}
	}
	return SetupRead{State: SetupFailed, Failure: &PaymentError{Type: "card_error", Code: a.FailureCode, Message: a.FailureMessage}}
}

// SetupCancelable reports whether the reader still shows our setup and no
// card is being read on it: only then does a cancel clear it (compare
// before cancel, as for payments).
func SetupCancelable(r Reader, siID string) bool {
	return ReadSetup(r, siID).State == SetupWaiting
}
