package app

import "kasse/pos"

// Counter is the host's side of a session served at one counter of a
// `kasse serve` host, where many counters share the readers: a reader one
// counter holds is shown busy at the others, with who holds it, and
// cannot be taken by them. The sale flow holds the reader it sells on
// (Hold, when the cashier picks it, moves a payment to it or charges on
// it) and reports after every message what it is doing (Report); the
// host lets a reader go once no session reports it any more (and keeps it
// for a dropped session's payment until that payment is settled). Every
// method is quick and never blocks: they are called from Update and View.
type Counter interface {
	// Hold takes reader id for this counter. ok is false when another
	// counter holds it: holder says who.
	Hold(readerID string) (holder ReaderHolder, ok bool)
	// Holder is who holds reader id at another counter (ok false: no other
	// counter does).
	Holder(readerID string) (holder ReaderHolder, ok bool)
	// Report tells the host what the session is doing.
	Report(CounterState)
}

// ReaderHolder is who holds a reader: an operator at a counter.
type ReaderHolder struct {
	Operator, Counter string
}

// CounterState is what a session is doing, as its host needs to know:
// which reader it holds, and the payment on its screen.
type CounterState struct {
	// Reader is the reader chosen at the counter ("" while none is).
	Reader string
	// Sale is the payment whose live view is open (zero ID: none).
	Sale CounterSale
}

// CounterSale is a payment as the host sees it.
type CounterSale struct {
	ID, Reader string
	Seller     pos.Account
	State      pos.SaleState
	Amount     int64
	Currency   string
	// Live: something still happens to it (a request, the reader, the
	// cashier's decision): the session must not end before it settles.
	// A payment authorized and waiting for capture is not live: the back
	// office captures or voids it.
	Live bool
}

// ReaderHolder is who holds reader id at another counter (ok false: none
// does, or this is not a counter of a host).
func (d *Deps) ReaderHolder(id string) (ReaderHolder, bool) {
	if d.Counter == nil {
		return ReaderHolder{}, false
	}
	return d.Counter.Holder(id)
}
