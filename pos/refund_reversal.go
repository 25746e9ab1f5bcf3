package pos

import "time"

// The reversal step of a separate charge's refund. Stripe reverses a
// destination charge's transfer itself (reverse_transfer); a separate
// charge's transfer is Kasse's to reverse: once the refund succeeded, the
// seller's part (RefundShares.Reversal) is taken back with POST
// /v1/transfers/{id}/reversals under its one key, recorded first, like the
// sale's transfer (sale_transfer.go):
//
//	owed ─send→ sent ─reversed→ done
//	sent ─unknown→ unknown ─read the transfer→ done (found by kasse_refund_id) | send again (absent)
//	sent ─refused→ failed (the refund stands; a supervisor must look)
//
// The refund is not Finished until the reversal is settled, so a crash in
// between leaves it among the journal's unfinished refunds and the next
// start reverses the transfer exactly once.

// RefundReversal is the transfer reversal a refund owes (a transfer step,
// transfer_step.go; ID is the trr_… once known).
type RefundReversal struct {
	TransferStep
	TransferID string
	Amount     int64
}

// Ops of the reversal step.
const (
	OpReverseTransfer Op = "reverse_transfer"
	OpReadTransfer    Op = "read_transfer"
)

// ReversalKey is the refund's only reversal key: "kasse-<id>-reverse".
func (r RefundFlow) ReversalKey() string { return IdempotencyKey(r.ID, "reverse", 0) }

// ReversalOwed reports whether the refund succeeded and its transfer
// reversal is still to be made or found out about.
func (r RefundFlow) ReversalOwed() bool {
	return r.State == RefundSucceeded && r.Reversal != nil && !r.Reversal.State.Final()
}

// Finished reports whether nothing more will happen to the refund: its
// outcome is settled and so is its reversal, if it owes one.
func (r RefundFlow) Finished() bool { return r.State.Final() && !r.ReversalOwed() }

// reversalRequest is the exact request every send of the reversal makes.
func (r RefundFlow) reversalRequest() ReversalRequest {
	md := map[string]string{"kasse_refund_id": r.ID}
	if r.SaleID != "" {
		md["kasse_sale_id"] = r.SaleID
	}
	return ReversalRequest{Amount: r.Reversal.Amount, Metadata: md}
}

// startReversal plans the reversal once the refund succeeded.
func (r RefundFlow) startReversal(at time.Time) (RefundFlow, []Effect) {
	if r.Charge.Or() != ChargeSeparate || r.Reversal != nil || r.State != RefundSucceeded || r.Shares.Reversal <= 0 {
		return r, nil
	}
	r.Reversal = &RefundReversal{TransferStep: TransferStep{State: TransferOwed}, TransferID: r.TransferID, Amount: r.Shares.Reversal}
	return r.sendReversal(at)
}

func (r RefundFlow) sendReversal(at time.Time) (RefundFlow, []Effect) {
	v := *r.Reversal
	v.sending(at)
	r.Reversal = &v
	r, seq := r.begin(OpReverseTransfer, r.ReversalKey(), at)
	return r, []Effect{RecordRefund{}, ReverseTransfer{Seq: seq, Key: r.ReversalKey(), TransferID: v.TransferID, Request: r.reversalRequest()}}
}

func (r RefundFlow) readTransfer(at time.Time) (RefundFlow, []Effect) {
	r, seq := r.begin(OpReadTransfer, "", at)
	return r, []Effect{ReadTransfer{Seq: seq, TransferID: r.Reversal.TransferID}}
}

// resumeReversal goes on with an unresolved reversal.
func (r RefundFlow) resumeReversal(at time.Time) (RefundFlow, []Effect) {
	switch r.Reversal.State {
	case TransferOwed:
		return r.sendReversal(at)
	case TransferSent, TransferUnknown:
		v := *r.Reversal
		v.State = TransferUnknown
		r.Reversal = &v
		return r.readTransfer(at)
	}
	return r, nil
}

func (r RefundFlow) onReversed(rv TransferReversal) RefundFlow {
	v := *r.Reversal
	v.done(rv.ID)
	r.Reversal = &v
	return r
}

// onTransferRead looks for the refund's reversal on the transfer: found,
// it is adopted; absent, the earlier send reversed nothing and it is sent
// again under its one key.
func (r RefundFlow) onTransferRead(t Transfer, at time.Time) (RefundFlow, []Effect) {
	for _, rv := range t.Reversals {
		if rv.Metadata["kasse_refund_id"] == r.ID {
			return r.onReversed(rv), nil
		}
	}
	return r.sendReversal(at)
}

func (r RefundFlow) onReversalFailed(op Op, err *Error) RefundFlow {
	v := *r.Reversal
	v.failed(op == OpReadTransfer, err)
	r.Reversal = &v
	return r
}

// ReverseTransfer reverses (part of) a transfer (a platform call).
type ReverseTransfer struct {
	Seq        int64
	Key        string
	TransferID string
	Request    ReversalRequest
}

// ReadTransfer reads a transfer with its reversals.
type ReadTransfer struct {
	Seq        int64
	TransferID string
}

// Mutating implements Effect.
func (ReverseTransfer) Mutating() bool { return true }

// Mutating implements Effect.
func (ReadTransfer) Mutating() bool { return false }

// TransferReversed answers ReverseTransfer.
type TransferReversed struct {
	At       time.Time
	Seq      int64
	Reversal TransferReversal
}

// TransferRead answers ReadTransfer.
type TransferRead struct {
	At       time.Time
	Seq      int64
	Transfer Transfer
}

// When implements RefundEvent.
func (e TransferReversed) When() time.Time { return e.At }

// When implements RefundEvent.
func (e TransferRead) When() time.Time { return e.At }

func (TransferReversed) refundEvent() {}
func (TransferRead) refundEvent()     {}
