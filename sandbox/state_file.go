package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"kasse/sandbox/internal/idempotency"
	"kasse/sandbox/internal/store"
)

// Persistence (Options.StateFile, `kasse sandbox --state FILE`): the state
// file is an append-only log (internal/store: format, crash safety,
// compaction). Each change writes one record before its request is
// answered; opening the file replays the records; when the log has grown
// to twice its compacted size it is rewritten as a snapshot of the live
// objects. Events and idempotency keys past their retention are left out
// of snapshots and dropped when loading.
//
// What is not persisted, and how it comes back:
//
//   - Timers. Options.AutoPresent and Options.AuthorizationDelay schedule
//     work in memory only. A pending auto-present is simply not scheduled
//     again: the action waits for present_payment_method. An action that
//     was authorizing a presented card ("presenting", the reader busy) is
//     loaded as in_progress and no longer presenting — the card was never
//     settled, no charge exists, and the client can present a card again
//     or cancel the action. (Settling it on load would need the presented
//     number and tip, which only the timer knew.)
//   - Idempotency keys still in flight (no answer yet).
//   - Options (faults, clock, delays, the seed name): a loaded file
//     ignores Options.Seed.

// ErrStateInUse is returned by New when another sandbox (another process)
// holds the state file.
var ErrStateInUse = store.ErrInUse

// ErrStateUnusable is in the chain of New's error when the state file was
// read but cannot be used (corrupt, from an older kasse, or written by
// another version): moving it aside starts a fresh sandbox. A file that
// cannot be read at all (permissions) is an *fs.PathError instead.
var ErrStateUnusable = errors.New("unusable sandbox state")

// unusableError marks a decoding or restoring failure as ErrStateUnusable
// without changing its message.
type unusableError struct{ err error }

func (e unusableError) Error() string   { return e.err.Error() }
func (e unusableError) Unwrap() []error { return []error{e.err, ErrStateUnusable} }

// unusable marks err as ErrStateUnusable unless it is an I/O failure of
// the file itself (its permissions, a full disk: nothing to move aside).
func unusable(err error) error {
	var pe *fs.PathError
	if err == nil || errors.As(err, &pe) || errors.Is(err, ErrStateInUse) {
		return err
	}
	return unusableError{err}
}

// openState loads opts.StateFile into s, or seeds s (opts.Seed) and writes
// the file when it does not exist yet. Called by New before serving.
func (s *Server) openState() (err error) {
	l, err := store.Open(s.opts.StateFile)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = l.Close()
		}
	}()
	if !l.Exists() {
		if err := s.seed(s.opts.Seed); err != nil {
			return err
		}
		s.file = l
		return s.compact()
	}
	now := s.opts.Now()
	s.file = l
	defer func() {
		if err != nil {
			s.file = nil
		}
	}()
	h, err := l.Load(func(h *store.Header) error {
		if h.APIVersion != APIVersion {
			return fmt.Errorf("it holds API version %q objects; this sandbox speaks %s", h.APIVersion, APIVersion)
		}
		return nil
	}, func(rec *store.Record) error { return s.apply(rec, now) })
	if err != nil {
		return unusable(err)
	}
	s.st.platformID = h.PlatformID
	p, ok := s.st.accounts.Get(h.PlatformID)
	if !ok {
		return unusable(fmt.Errorf("sandbox: state file %s: corrupt: the platform account %s is missing", l.Path(), h.PlatformID))
	}
	s.st.platform = p
	s.prune(now)
	return nil
}

// apply loads one record: each object replaces its earlier version (in
// place, so the indexes that hold it stay right).
func (s *Server) apply(rec *store.Record, now time.Time) error {
	if rec.Seq > s.st.seq {
		s.st.seq = rec.Seq
	}
	for i := range rec.Items {
		it := &rec.Items[i]
		if it.Seq > s.st.seq {
			return fmt.Errorf("corrupt: %s has seq %d beyond the counter %d", it.Type, it.Seq, s.st.seq)
		}
		if err := s.applyItem(it); err != nil {
			return err
		}
	}
	for _, e := range rec.Idem {
		if e.Key == "" || e.Status == 0 {
			return fmt.Errorf("corrupt: an idempotency entry without key or status")
		}
		body := []byte(e.Body) // compact, as written
		if !s.idem.Restore(idempotency.Entry{Account: e.Account, Key: e.Key, Fingerprint: e.Fingerprint,
			Status: e.Status, Body: body, Created: e.Created}, now) {
			s.file.Superseded(store.IdemSize(e.Account, e.Key, e.Fingerprint, body))
		}
	}
	return nil
}

func (s *Server) applyItem(it *store.Item) error {
	meta := store.Meta{Account: it.Account, Seq: it.Seq, Deleted: it.Deleted}
	switch it.Type {
	case "account":
		return load(s.file, s.st.accounts, it, meta, nil)
	case "terminal.location":
		return load(s.file, s.st.locations, it, meta, nil)
	case "terminal.reader":
		return load(s.file, s.st.readers, it, meta, nil)
	case "setup_intent":
		return load(s.file, s.st.setups, it, meta, nil)
	case "customer":
		return load(s.file, s.st.customers, it, meta, nil)
	case "payment_method":
		return load(s.file, s.st.paymentMethods, it, meta, nil)
	case "setup_attempt":
		return load(s.file, s.st.setupAttempts, it, meta, nil)
	case "payment_intent":
		return load(s.file, s.st.intents, it, meta, nil)
	case "charge":
		return load(s.file, s.st.charges, it, meta, func(ch *charge) {
			if pi := refID(ch.PaymentIntent); pi != "" {
				s.st.chargesOf[pi] = append(s.st.chargesOf[pi], ch)
			}
		})
	case "refund":
		return load(s.file, s.st.refunds, it, meta, func(r *refund) {
			s.st.refundsOf[refID(r.Charge)] = append(s.st.refundsOf[refID(r.Charge)], r)
		})
	case "transfer":
		return load(s.file, s.st.transfers, it, meta, func(t *transfer) {
			if src := refID(t.SourceTransaction); src != "" {
				s.st.transfersFrom[src] = append(s.st.transfersFrom[src], t)
			}
		})
	case "application_fee":
		return load(s.file, s.st.fees, it, meta, nil)
	case "event":
		return load(s.file, s.st.events, it, meta, nil)
	case "webhook_endpoint":
		return load(s.file, s.st.webhooks, it, meta, nil)
	case "dispute":
		return load(s.file, s.st.disputes, it, meta, nil)
	}
	return fmt.Errorf("corrupt: unknown object type %q", it.Type)
}

// load decodes an item into a new T and stores it, or copies it over the
// object with its id; added is called for objects new to the table.
func load[T resource](l *store.Log, t *store.Table[T], it *store.Item, meta store.Meta, added func(T)) error {
	v := newOf(t)
	if err := json.Unmarshal(it.Object, v); err != nil {
		return fmt.Errorf("corrupt: %s: %v", it.Type, err)
	}
	m := v.Stored()
	if m.ID == "" {
		return fmt.Errorf("corrupt: a %s without an id", it.Type)
	}
	meta.ID = m.ID
	meta.Size = store.ItemSize(it.Type, it.Account, it.Extra, it.Object)
	*m = meta
	if x, ok := any(v).(extraSaver); ok {
		if err := x.loadExtra(it.Extra); err != nil {
			return fmt.Errorf("corrupt: %s %s: %v", it.Type, m.ID, err)
		}
	}
	if old, ok := t.Get(m.ID); ok {
		if old.Stored().Seq != m.Seq || old.Stored().Account != m.Account {
			return fmt.Errorf("corrupt: %s %s appears twice", it.Type, m.ID)
		}
		l.Superseded(int64(old.Stored().Size))
		replace(old, v)
		return nil
	}
	t.Put(v)
	if added != nil {
		added(v)
	}
	return nil
}

// compact rewrites the state file as a snapshot of the live state (also
// how a new file is first written). Called with mu held.
func (s *Server) compact() error {
	now := s.opts.Now()
	h := &store.Header{Format: store.Format, Version: store.Version, APIVersion: APIVersion, PlatformID: s.st.platformID}
	return s.file.Rewrite(h, func(emit func([]byte) error) error {
		var w store.RecordWriter
		var err error
		flush := func() {
			if err == nil && w.Len() > 0 {
				err = emit(w.Line())
			}
			w.Begin(s.st.seq)
		}
		w.Begin(s.st.seq)
		s.st.each(func(o resource) {
			if w.Len() >= 256 {
				flush()
			}
			m := o.Stored()
			var extra []byte
			if x, ok := o.(extraSaver); ok {
				extra = x.saveExtra()
			}
			b := s.encode(o)
			w.Item(o.objectType(), m.Account, m.Seq, m.Deleted, extra, b)
			m.Size = store.ItemSize(o.objectType(), m.Account, extra, b)
		})
		s.idem.Completed(now, func(e *idempotency.Entry) {
			if w.Len() >= 256 {
				flush()
			}
			w.Idem(&store.IdemEntry{Account: e.Account, Key: e.Key, Fingerprint: e.Fingerprint, Status: e.Status, Body: e.Body, Created: e.Created})
		})
		flush()
		return err
	})
}

// Close syncs the state file and releases its lock (Options.StateFile;
// nothing to do without one). ListenAndServe calls Close after shutting
// down. Every change is already in the file; a log that has grown is
// compacted first. The server still answers requests after Close, but no
// longer writes them, and another sandbox may now take the file.
func (s *Server) Close() error {
	s.stopDeliveries() // before the lock: a delivery ending takes it
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file == nil {
		return nil
	}
	var err error
	if s.file.NeedsCompaction() {
		err = s.compact()
	}
	if cerr := s.file.Close(); err == nil {
		err = cerr
	}
	s.file = nil
	return err
}

func sortBySeq[T resource](items []T) {
	sort.Slice(items, func(i, j int) bool { return items[i].Stored().Seq < items[j].Stored().Seq })
}
