package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"kasse/sandbox/internal/idempotency"
	"kasse/sandbox/internal/store"
)

// The state: every stored object, in one table per type (store.Table:
// by id, and per account in creation order), guarded by Server.mu.
//
// Changes. Every request that may change state (POST, DELETE), every timer
// (an authorization settling, an auto-present) and the Go-level controls
// (CustomerCancel, SetReaderOnline) run as one change: begin, then the
// handler creates objects with insert and marks every object it modifies
// with touch before it answers, then commit writes one record to the state
// file — each touched object's JSON, the events emitted and the
// idempotency key completed — and prunes what Stripe prunes. An object's
// JSON is its API representation (what GET answers, unexpanded), encoded
// once per change and shared by the response, the events that snapshot it
// and the record (encode).
type state struct {
	seq        int64 // creation counter: list order and event order
	platformID string
	platform   *account // also in accounts, under its id

	accounts  *store.Table[*account]
	locations *store.Table[*location]
	readers   *store.Table[*reader]
	intents   *store.Table[*paymentIntent]
	charges   *store.Table[*charge]
	refunds   *store.Table[*refund]
	setups    *store.Table[*setupIntent]
	events    *store.Table[*event]
	transfers *store.Table[*transfer]       // the platform's (transfers.go)
	fees      *store.Table[*applicationFee] // the platform's (application_fees.go)
	webhooks  *store.Table[*webhookEndpoint]
	disputes  *store.Table[*dispute]

	// The customers' part: customers, their PaymentMethods, setup attempts.
	customers      *store.Table[*customer]
	paymentMethods *store.Table[*paymentMethod]
	setupAttempts  *store.Table[*setupAttempt]

	chargesOf     map[string][]*charge   // by payment intent, oldest first
	refundsOf     map[string][]*refund   // by charge, oldest first
	transfersFrom map[string][]*transfer // by source_transaction, oldest first
}

func newState() *state {
	return &state{
		platformID: "acct_" + randomString(16),
		accounts:   store.NewTable[*account]("account"),
		locations:  store.NewTable[*location]("terminal.location"),
		readers:    store.NewTable[*reader]("terminal.reader"),
		intents:    store.NewTable[*paymentIntent]("payment_intent"),
		charges:    store.NewTable[*charge]("charge"),
		refunds:    store.NewTable[*refund]("refund"),
		setups:     store.NewTable[*setupIntent]("setup_intent"),
		events:     store.NewTable[*event]("event"),
		transfers:  store.NewTable[*transfer]("transfer"),
		fees:       store.NewTable[*applicationFee]("application_fee"),
		webhooks:   store.NewTable[*webhookEndpoint]("webhook_endpoint"),
		disputes:   store.NewTable[*dispute]("dispute"),
		chargesOf:  map[string][]*charge{},
		refundsOf:  map[string][]*refund{},

		customers:      store.NewTable[*customer]("customer"),
		paymentMethods: store.NewTable[*paymentMethod]("PaymentMethod"),
		setupAttempts:  store.NewTable[*setupAttempt]("setup_attempt"),
		transfersFrom:  map[string][]*transfer{},
	}
}

// resource is a stored Stripe object: its API fields, with store.Meta
// embedded.
type resource interface {
	store.Object
	// objectType is the type the state file records it under (Stripe's
	// object name).
	objectType() string
}

// extraSaver is a resource with state that is not part of its API object
// (kept in the record's "x").
type extraSaver interface {
	saveExtra() []byte
	loadExtra(json.RawMessage) error
}

// jsonAppender is a resource that encodes itself (hot objects), exactly
// as encoding/json would encode its struct.
type jsonAppender interface {
	appendJSON([]byte) []byte
}

// newMeta stamps a new object of account with id prefix. Called with mu held.
func (s *Server) newMeta(prefix, account string) store.Meta {
	s.st.seq++
	return store.Meta{ID: newID(prefix), Account: account, Seq: s.st.seq}
}

// owned reports whether an object may be seen from the request's account
// context: objects are visible only in their own account.
func owned(o store.Object, rq *request) bool { return o.Stored().Account == rq.Account }

// change is what one change has done so far.
type change struct {
	touched []resource // in the order first touched (a handful: a slice beats a map)
	// touchedAt is, for each touched object, the encoding clock at its
	// last touch: an encoding kept before it is stale (encode).
	touchedAt []uint64
	idem      *idempotency.Entry // the key this change completes (kept if Finish kept it)
	// deliveries are the events emitted with webhook endpoints to send
	// them to, handed to the delivery queue once the change is committed.
	deliveries []*event
}

// begin starts a change. Called with mu held.
func (s *Server) begin() {
	if s.tx != nil {
		panic("sandbox: a change is already running")
	}
	s.tx = &change{}
}

// touch marks o as changed by the running change (every modification of a
// stored object must be preceded or followed by touch before commit).
func (s *Server) touch(o resource) {
	if s.tx == nil {
		panic(fmt.Sprintf("sandbox: %s %s changed outside a change", o.objectType(), o.Stored().ID))
	}
	s.enc.drop(o)
	s.enc.clock++
	for i, t := range s.tx.touched {
		if t == o {
			s.tx.touchedAt[i] = s.enc.clock
			return
		}
	}
	s.tx.touched = append(s.tx.touched, o)
	s.tx.touchedAt = append(s.tx.touchedAt, s.enc.clock)
}

// encode returns o's JSON (its API representation, unexpanded), from the
// encoding cache while o has not been touched since it was last encoded.
// The bytes are never modified: responses, events, idempotency records
// and the state file share them. Called with mu held.
func (s *Server) encode(o resource) []byte {
	if b, at := o.Stored().Encoded(); b != nil && s.encodedSinceTouch(o, at) {
		return b
	}
	var b []byte
	if a, ok := o.(jsonAppender); ok { // written aside, then copied out at its size
		s.scratch = a.appendJSON(s.scratch[:0])
		b = bytes.Clone(s.scratch)
	} else {
		b = encodeResource(o)
	}
	s.enc.put(o, b)
	return b
}

// encodeCacheBytes bounds the encoding cache: the objects encoded last
// (the ones a till reads again, lists show, events snapshot) stay encoded.
const encodeCacheBytes = 16 << 20

// encodeCache bounds the JSON kept with objects (store.Meta.Encoded) to
// about encodeCacheBytes: the encodings kept last stay, oldest first out.
// touch forgets an object's encoding at once (drop); the bytes count
// until its entry leaves the queue.
type encodeCache struct {
	clock uint64 // counts touches and encodings
	fifo  []encoded
	head  int
	bytes int
}

type encoded struct {
	o resource
	b []byte
}

// encodedSinceTouch reports whether an encoding of o kept at time at is
// newer than o's last touch in the running change (a handler that copies
// an object, changes the copy and assigns it back brings back the
// encoding the object had when it was copied).
func (s *Server) encodedSinceTouch(o resource, at uint64) bool {
	if s.tx == nil {
		return true
	}
	for i, t := range s.tx.touched {
		if t == o {
			return at > s.tx.touchedAt[i]
		}
	}
	return true
}

func (c *encodeCache) put(o resource, b []byte) {
	c.clock++
	o.Stored().SetEncoded(b, c.clock)
	c.fifo = append(c.fifo, encoded{o, b})
	c.bytes += len(b)
	for c.bytes > encodeCacheBytes && c.head < len(c.fifo) {
		e := &c.fifo[c.head]
		if cur, _ := e.o.Stored().Encoded(); len(cur) > 0 && len(e.b) > 0 && &cur[0] == &e.b[0] { // still its encoding
			e.o.Stored().SetEncoded(nil, 0)
		}
		c.bytes -= len(e.b)
		*e = encoded{}
		c.head++
	}
	if c.head > 1024 && c.head > len(c.fifo)/2 {
		c.fifo = append([]encoded(nil), c.fifo[c.head:]...)
		c.head = 0
	}
}

func (c *encodeCache) drop(o resource) { o.Stored().SetEncoded(nil, 0) }

func encodeResource(o resource) []byte {
	if a, ok := o.(jsonAppender); ok {
		return a.appendJSON(make([]byte, 0, 512))
	}
	b, err := json.Marshal(o)
	if err != nil {
		panic(err) // our own objects always marshal
	}
	return b
}

// commit ends the change: its record goes to the state file (if any),
// then expired events and idempotency keys are pruned and the file is
// compacted if it has grown enough. A failed write is logged; the change
// has taken effect in memory and the state is written in full at the next
// compaction (the log refuses appends until then).
func (s *Server) commit() {
	tx := s.tx
	for _, o := range tx.touched { // forget encodings from before a touch: past the change, every kept one is current
		if b, at := o.Stored().Encoded(); b != nil && !s.encodedSinceTouch(o, at) {
			s.enc.drop(o)
		}
	}
	s.tx = nil
	now := s.opts.Now()
	if s.file != nil && (len(tx.touched) > 0 || tx.idem != nil && s.idem.Kept(tx.idem)) {
		w := &s.rec
		w.Begin(s.st.seq)
		for _, o := range tx.touched {
			b := s.encode(o)
			m := o.Stored()
			var extra []byte
			if x, ok := o.(extraSaver); ok {
				extra = x.saveExtra()
			}
			w.Item(o.objectType(), m.Account, m.Seq, m.Deleted, extra, b)
			s.file.Superseded(int64(m.Size)) // the version written before (0 for a new object)
			m.Size = store.ItemSize(o.objectType(), m.Account, extra, b)
		}
		if e := tx.idem; e != nil && s.idem.Kept(e) {
			w.Idem(&store.IdemEntry{Account: e.Account, Key: e.Key, Fingerprint: e.Fingerprint, Status: e.Status, Body: e.Body, Created: e.Created})
		}
		if err := s.file.Append(w.Line()); err != nil {
			s.log.Error("state file: a change was not written", "path", s.file.Path(), "err", err)
		}
	}
	if changeHook != nil {
		changeHook(s, tx)
	}
	s.deliver(tx.deliveries)
	s.prune(now)
	if s.file != nil && s.file.NeedsCompaction() {
		if err := s.compact(); err != nil {
			s.log.Error("state file: compaction failed", "path", s.file.Path(), "err", err)
		}
	}
}

// changeHook, when set (tests), sees every committed change, and the
// state as New left it (tx nil).
var changeHook func(s *Server, tx *change)

// change runs f as one change (timers, Go-level controls, the seed).
// Called with mu held.
func (s *Server) change(f func()) {
	s.begin()
	defer s.commit()
	f()
}

// prune forgets events older than the retention and idempotency keys
// older than their TTL (Stripe's 30 days and 24 hours, Options). Called
// with mu held.
func (s *Server) prune(now time.Time) {
	var garbage int64
	s.idem.Prune(now, func(e *idempotency.Entry) { garbage += store.IdemSize(e.Account, e.Key, e.Fingerprint, e.Body) })
	cutoff := now.Add(-s.eventRetention()).Unix()
	var accounts []string
	for a := range s.st.events.Accounts() {
		accounts = append(accounts, a)
	}
	for _, a := range accounts {
		s.st.events.PruneOldest(a, func(ev *event) bool {
			if ev.Created >= cutoff {
				return false
			}
			garbage += int64(ev.Size)
			return true
		})
	}
	if s.file != nil {
		s.file.Superseded(garbage)
	}
}

func (s *Server) eventRetention() time.Duration {
	if s.opts.EventRetention > 0 {
		return s.opts.EventRetention
	}
	return defaultEventRetention
}

// each calls f for every stored object, oldest first within a type
// (the snapshot's order).
func (st *state) each(f func(resource)) {
	eachOf(st.accounts, f)
	eachOf(st.locations, f)
	eachOf(st.readers, f)
	eachOf(st.customers, f)
	eachOf(st.paymentMethods, f)
	eachOf(st.setups, f)
	eachOf(st.setupAttempts, f)
	eachOf(st.intents, f)
	eachOf(st.charges, f)
	eachOf(st.refunds, f)
	eachOf(st.transfers, f)
	eachOf(st.fees, f)
	eachOf(st.disputes, f)
	eachOf(st.webhooks, f)
	eachOf(st.events, f)
}

func eachOf[T resource](t *store.Table[T], f func(resource)) {
	var all []T
	for v := range t.All() {
		all = append(all, v)
	}
	sortBySeq(all)
	for _, v := range all {
		f(v)
	}
}

// put stores a new object and marks it changed. Called with mu held, in a
// change.
func put[T resource](s *Server, t *store.Table[T], v T) {
	t.Put(v)
	s.touch(v)
}
