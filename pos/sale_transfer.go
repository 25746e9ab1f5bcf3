package pos

import "time"

// The transfer step of a separate-charge sale (ChargeSeparate). Once the
// platform's PaymentIntent succeeded, the seller's part — the amount
// received less the platform's share — is transferred with one request,
// POST /v1/transfers (source_transaction = the charge, transfer_group =
// TransferGroupOf(sale)). Like every mutating request it is recorded in
// the journal under its key before it is sent, and the sale is not
// Finished until the transfer is known to exist (or Stripe refused it for
// good), so a crash between charge and transfer leaves the sale among the
// journal's unfinished ones and the next start resumes the transfer:
//
//	owed ─send→ sent ─created→ done
//	sent ─unknown (timeout, 5xx, crash)→ unknown ─list by transfer_group→ done (found) | send again (absent)
//	sent ─refused (4xx)→ failed (a supervisor must look; the sale stays approved)
//
// The transfer has one key, TransferKey: a send after a lost answer goes
// out under the same key, and only after a listing of the sale's transfer
// group proved that the earlier send created nothing. So the seller is
// paid exactly once.

// SaleTransfer is the transfer a separate-charge sale owes its seller (a
// transfer step, transfer_step.go; ID is the tr_… once known).
type SaleTransfer struct {
	TransferStep
	Amount       int64 // to the seller: received − Share
	Share        int64 // the platform's share, kept back
	Group        string
	SourceCharge string // the charge that funds it (source_transaction)
}

// Ops of the transfer step.
const (
	OpCreateTransfer Op = "create_transfer"
	OpListTransfers  Op = "list_transfers"
)

// TransferKey is the sale's only transfer key: "kasse-<id>-transfer".
func (s Sale) TransferKey() string { return IdempotencyKey(s.ID, "transfer", 0) }

// TransferOwed reports whether the sale still has a transfer to make or
// to find out about.
func (s Sale) TransferOwed() bool {
	return s.State == SaleApproved && s.Transfer != nil && !s.Transfer.State.Final()
}

// PlanTransfer is the transfer of a separate charge that received
// received minor units and keeps share for the platform: received − share.
// It refuses, before any request, a share that is negative or a transfer
// that would be larger than what was charged (ErrTransferExceeds).
func PlanTransfer(received, share int64, currency string) (int64, error) {
	c, err := LookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	switch {
	case received <= 0:
		return 0, invalid(ErrTransferExceeds, "nothing was charged, so nothing can be transferred")
	case share < 0:
		return 0, invalid(ErrTransferExceeds, "the platform's share %s is negative: the transfer would be larger than the %s charged",
			Format(share, c.Code), Format(received, c.Code))
	}
	return max(received-min(share, received), 0), nil
}

// CheckTransfer refuses a transfer of amount from a charge that holds
// available (what was captured, less what was refunded and transferred
// already): a transfer larger than what was charged.
func CheckTransfer(amount, available int64, currency string) error {
	if amount > available {
		return invalid(ErrTransferExceeds, "a transfer of %s is larger than the %s the charge holds",
			Format(amount, currency), Format(max(available, 0), currency))
	}
	return nil
}

// startTransfer plans the transfer of an approved separate-charge sale
// once its charge is known, and sends it. received is what the intent
// received (tip included; a partial capture receives less).
func (s Sale) startTransfer(received int64, at time.Time) (Sale, []Effect) {
	if s.Charge.Or() != ChargeSeparate || s.Transfer != nil || s.State != SaleApproved {
		return s, nil
	}
	if s.ChargeID == "" {
		return s.readIntent(at) // the charge funds the transfer: read it first
	}
	t := &SaleTransfer{Group: TransferGroupOf(s.ID), SourceCharge: s.ChargeID, Share: min(s.ApplicationFee, received)}
	amount, err := PlanTransfer(received, s.ApplicationFee, s.Currency)
	if err != nil {
		t.State, t.LastError = TransferFailed, &Error{Kind: KindInvalidRequest, Message: err.Error()}
		s.Transfer = t
		return s, nil
	}
	t.Amount = amount
	s.Transfer = t
	if amount == 0 { // the platform keeps it all: nothing to transfer
		t.State = TransferDone
		return s, nil
	}
	t.State = TransferOwed
	return s.sendTransfer(at)
}

// transferRequest is the exact request every send of the sale's transfer
// makes.
func (s Sale) transferRequest() TransferRequest {
	t := s.Transfer
	return TransferRequest{Amount: t.Amount, Currency: s.Currency, Destination: s.Seller, Group: t.Group,
		SourceCharge: t.SourceCharge, Description: "Kasse sale " + s.ID,
		Metadata: map[string]string{"kasse_sale_id": s.ID, "kasse_share": formatInt(t.Share)}}
}

func (s Sale) sendTransfer(at time.Time) (Sale, []Effect) {
	t := *s.Transfer
	t.sending(at)
	s.Transfer = &t
	key := s.TransferKey()
	s, seq := s.begin(OpCreateTransfer, key, at)
	return s, []Effect{
		Record{For: OpCreateTransfer, Key: key},
		CreateTransfer{Seq: seq, Key: key, Request: s.transferRequest()},
	}
}

func (s Sale) findTransfer(at time.Time) (Sale, []Effect) {
	s, seq := s.begin(OpListTransfers, "", at)
	return s, []Effect{FindTransfers{Seq: seq, Group: s.Transfer.Group}}
}

// resumeTransfer goes on with an unresolved transfer (Tick, Resumed,
// Orphaned): an owed one is sent, one whose answer is not known is looked
// up first.
func (s Sale) resumeTransfer(at time.Time) (Sale, []Effect) {
	switch s.Transfer.State {
	case TransferOwed:
		return s.sendTransfer(at)
	case TransferSent, TransferUnknown:
		t := *s.Transfer
		t.State = TransferUnknown
		s.Transfer = &t
		return s.findTransfer(at)
	}
	return s, nil
}

// onTransferCreated adopts Stripe's transfer.
func (s Sale) onTransferCreated(tr Transfer) (Sale, []Effect) {
	t := *s.Transfer
	t.done(tr.ID)
	s.Transfer = &t
	return s, nil
}

// onTransfersListed looks for the sale's transfer in its group's listing:
// found, it is adopted; absent, the earlier send created nothing, and it
// is sent again under its one key.
func (s Sale) onTransfersListed(list []Transfer, at time.Time) (Sale, []Effect) {
	for _, tr := range list {
		if tr.Group == s.Transfer.Group && (tr.Metadata["kasse_sale_id"] == s.ID || tr.Metadata["kasse_sale_id"] == "") {
			return s.onTransferCreated(tr)
		}
	}
	return s.sendTransfer(at)
}

// onTransferFailed handles a failed transfer request or look-up.
func (s Sale) onTransferFailed(op Op, err *Error) (Sale, []Effect) {
	t := *s.Transfer
	t.failed(op == OpListTransfers, err)
	s.Transfer = &t
	return s, nil
}

// onTransferNotSent: the journal write before the send failed.
func (s Sale) onTransferNotSent() (Sale, []Effect) {
	t := *s.Transfer
	t.notSent()
	s.Transfer = &t
	return s, nil
}

// CreateTransfer sends the sale's transfer (a platform call).
type CreateTransfer struct {
	Seq     int64
	Key     string
	Request TransferRequest
}

// FindTransfers lists the platform's transfers of a transfer group.
type FindTransfers struct {
	Seq   int64
	Group string
}

// Mutating implements Effect.
func (CreateTransfer) Mutating() bool { return true }

// Mutating implements Effect.
func (FindTransfers) Mutating() bool { return false }

// TransferCreated answers CreateTransfer.
type TransferCreated struct {
	At       time.Time
	Seq      int64
	Transfer Transfer
}

// TransfersListed answers FindTransfers.
type TransfersListed struct {
	At        time.Time
	Seq       int64
	Transfers []Transfer
}

// When implements SaleEvent.
func (e TransferCreated) When() time.Time { return e.At }

// When implements SaleEvent.
func (e TransfersListed) When() time.Time { return e.At }

func (TransferCreated) saleEvent() {}
func (TransfersListed) saleEvent() {}
