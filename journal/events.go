package journal

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"kasse/pos"
)

// Stripe's events as Kasse heard them (package events): every event once
// (by id, whether a webhook or the Events API brought it, however often),
// what applying it did, the per-account cursor of the Events API catch-up,
// the disputes the events told of, and the notices they left for the
// console. Recording an event and applying it are separate steps: a
// webhook is acknowledged once its event is recorded, and an event whose
// sale is not in the journal yet (or is being driven by a running sale)
// waits, recorded, until it can be applied.

// migrationEvents creates events, event_cursors, disputes and notices.
const migrationEvents = `
CREATE TABLE events (
	id          TEXT PRIMARY KEY,
	account     TEXT NOT NULL,
	type        TEXT NOT NULL,
	created     INTEGER NOT NULL,
	source      TEXT NOT NULL,
	state       TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	sale_id     TEXT NOT NULL DEFAULT '',
	tries       INTEGER NOT NULL DEFAULT 0,
	event       TEXT NOT NULL,
	payload     TEXT NOT NULL DEFAULT '',
	received_at INTEGER NOT NULL,
	settled_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_waiting ON events (received_at) WHERE state IN ('received', 'pending');
CREATE INDEX events_created ON events (account, created);

CREATE TABLE event_cursors (
	account    TEXT PRIMARY KEY,
	last_id    TEXT NOT NULL,
	created    INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE disputes (
	id         TEXT PRIMARY KEY,
	seller     TEXT NOT NULL,
	charge_id  TEXT NOT NULL DEFAULT '',
	intent_id  TEXT NOT NULL DEFAULT '',
	sale_id    TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	snapshot   TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX disputes_intent ON disputes (intent_id);
CREATE INDEX disputes_sale   ON disputes (sale_id) WHERE sale_id <> '';

CREATE TABLE notices (
	seq      INTEGER PRIMARY KEY AUTOINCREMENT,
	at       INTEGER NOT NULL,
	event_id TEXT NOT NULL,
	kind     TEXT NOT NULL,
	notice   TEXT NOT NULL
);
`

// EventState is where a recorded event stands.
type EventState string

// Event states.
const (
	EventReceived EventState = "received" // recorded, not applied yet
	EventPending  EventState = "pending"  // waits: its sale is not in the journal yet, or is being driven
	EventApplied  EventState = "applied"  // done (whether or not it changed anything)
	EventIgnored  EventState = "ignored"  // nothing Kasse acts on (see Note)
)

// Waiting reports whether the event still has to be applied.
func (st EventState) Waiting() bool { return st == EventReceived || st == EventPending }

// Event sources.
const (
	SourceWebhook = "webhook"
	SourceCatchUp = "catchup"
)

// EventRecord is an event as the journal keeps it.
type EventRecord struct {
	Event      pos.Event // Payload holds the JSON as received
	Source     string
	State      EventState
	Note       string // why it waits or was ignored, what it did
	SaleID     string
	Tries      int // how often applying it was attempted
	ReceivedAt time.Time
	SettledAt  time.Time
}

// RecordEvent stores ev (received from source) unless an event with its
// id is already recorded: inserted reports whether it is new. The event is
// durable when RecordEvent returns.
func (j *Journal) RecordEvent(ctx context.Context, ev pos.Event, source string) (inserted bool, err error) {
	if ev.ID == "" {
		return false, errors.New("journal: event without id")
	}
	snap, err := json.Marshal(ev)
	if err != nil {
		return false, fmt.Errorf("journal: event %s: %w", ev.ID, err)
	}
	_, _, now := j.origin()
	res, err := j.db.ExecContext(ctx, `INSERT INTO events (id, account, type, created, source, state, event, payload, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		ev.ID, string(ev.Account), ev.Type, ev.Created.Unix(), source, string(EventReceived), string(snap), string(ev.Payload), ms(now))
	if err != nil {
		return false, fmt.Errorf("journal: record event %s: %w", ev.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SettleEvent records what applying event id did: its state, a note, the
// sale it concerned, and the notice it leaves for the console (nil: none),
// in one transaction. A waiting state counts a try.
func (j *Journal) SettleEvent(ctx context.Context, id string, st EventState, note, saleID string, notice *pos.Notice) error {
	_, _, now := j.origin()
	err := j.write(ctx, func(tx *sql.Tx) error {
		settled := ms(now)
		if st.Waiting() {
			settled = 0
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET state = ?, note = ?, sale_id = ?, tries = tries + 1, settled_at = ? WHERE id = ?`,
			string(st), Redact(note), saleID, settled, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("event %s: %w", id, ErrNotFound)
		}
		if notice == nil {
			return nil
		}
		n := *notice
		n.EventID, n.At = id, now.UTC()
		b, _ := json.Marshal(n)
		_, err = tx.ExecContext(ctx, `INSERT INTO notices (at, event_id, kind, notice) VALUES (?, ?, ?, ?)`, ms(now), id, string(n.Kind), string(b))
		return err
	})
	if err != nil {
		return fmt.Errorf("journal: settle event %s: %w", id, err)
	}
	return nil
}

const eventColumns = `event, payload, source, state, note, sale_id, tries, received_at, settled_at`

func scanEvent(sc scanner) (EventRecord, error) {
	var snap, payload, state string
	var received, settled int64
	var r EventRecord
	if err := sc.Scan(&snap, &payload, &r.Source, &state, &r.Note, &r.SaleID, &r.Tries, &received, &settled); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Event); err != nil {
		return r, fmt.Errorf("event snapshot: %w", err)
	}
	if payload != "" {
		r.Event.Payload = []byte(payload)
	}
	r.State, r.ReceivedAt, r.SettledAt = EventState(state), fromMS(received), fromMS(settled)
	return r, nil
}

// EventRecordByID returns the recorded event id; the error wraps
// ErrNotFound when there is none.
func (j *Journal) EventRecordByID(ctx context.Context, id string) (EventRecord, error) {
	r, err := scanEvent(j.db.QueryRowContext(ctx, "SELECT "+eventColumns+" FROM events WHERE id = ?", id))
	return r, lookupError("event "+id, err)
}

// WaitingEvents returns the events not applied yet (received or pending),
// oldest received first, at most limit.
func (j *Journal) WaitingEvents(ctx context.Context, limit int) ([]EventRecord, error) {
	return allRows(ctx, j.db, "waiting events", "SELECT "+eventColumns+
		" FROM events WHERE state IN ('received', 'pending') ORDER BY received_at, id LIMIT ?", []any{limitOf(limit)}, scanEvent)
}

// EventFilter narrows Events. Zero fields do not filter.
type EventFilter struct {
	Account pos.Account
	Types   []string
	States  []EventState
	Limit   int
}

// Events returns the recorded events matching f, newest created first.
func (j *Journal) Events(ctx context.Context, f EventFilter) ([]EventRecord, error) {
	var w where
	w.equal("account", string(f.Account))
	w.in("type", stringArgs(f.Types))
	w.in("state", stringArgs(f.States))
	q := "SELECT " + eventColumns + " FROM events" + w.String() + " ORDER BY created DESC, received_at DESC LIMIT ?"
	return allRows(ctx, j.db, "events", q, append(w.args, limitOf(f.Limit)), scanEvent)
}

// EventCursor is where the Events API catch-up of an account stands: the
// last event applied, and when it was created.
type EventCursor struct {
	LastID  string
	Created int64 // unix seconds
	Updated time.Time
}

// EventCursor returns account's cursor; ok is false when there is none.
func (j *Journal) EventCursor(ctx context.Context, account pos.Account) (c EventCursor, ok bool, err error) {
	var updated int64
	err = j.db.QueryRowContext(ctx, "SELECT last_id, created, updated_at FROM event_cursors WHERE account = ?", string(account)).
		Scan(&c.LastID, &c.Created, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return c, false, nil
	case err != nil:
		return c, false, fmt.Errorf("journal: event cursor %s: %w", account, err)
	}
	c.Updated = fromMS(updated)
	return c, true, nil
}

// SetEventCursor moves account's cursor to c.
func (j *Journal) SetEventCursor(ctx context.Context, account pos.Account, c EventCursor) error {
	_, _, now := j.origin()
	_, err := j.db.ExecContext(ctx, `INSERT INTO event_cursors (account, last_id, created, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (account) DO UPDATE SET last_id = excluded.last_id, created = excluded.created, updated_at = excluded.updated_at`,
		string(account), c.LastID, c.Created, ms(now))
	if err != nil {
		return fmt.Errorf("journal: set event cursor %s: %w", account, err)
	}
	return nil
}

// DisputeRecord is a dispute as the journal keeps it, with the sale it
// concerns ("" when the payment is not a sale of this journal).
type DisputeRecord struct {
	Dispute   pos.Dispute
	SaleID    string
	UpdatedAt time.Time
}

// SaveDispute stores d unless the journal holds a later state of it
// (pos.Dispute.Newer): events arrive in any order. changed reports whether
// it was stored. saleID "" keeps the sale already linked.
func (j *Journal) SaveDispute(ctx context.Context, d pos.Dispute, saleID string) (changed bool, err error) {
	if d.ID == "" {
		return false, errors.New("journal: dispute without id")
	}
	snap, err := json.Marshal(d)
	if err != nil {
		return false, err
	}
	_, _, now := j.origin()
	err = j.write(ctx, func(tx *sql.Tx) error {
		var old string
		var oldSale string
		err := tx.QueryRowContext(ctx, "SELECT snapshot, sale_id FROM disputes WHERE id = ?", d.ID).Scan(&old, &oldSale)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			var prev pos.Dispute
			if err := json.Unmarshal([]byte(old), &prev); err != nil {
				return fmt.Errorf("dispute snapshot: %w", err)
			}
			if !d.Newer(prev) {
				if saleID != "" && oldSale == "" { // learn the sale, keep the later state
					_, err := tx.ExecContext(ctx, "UPDATE disputes SET sale_id = ? WHERE id = ?", saleID, d.ID)
					return err
				}
				return nil
			}
			if saleID == "" {
				saleID = oldSale
			}
		}
		changed = true
		_, err = tx.ExecContext(ctx, `INSERT INTO disputes (id, seller, charge_id, intent_id, sale_id, status, snapshot, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET seller = excluded.seller, charge_id = excluded.charge_id, intent_id = excluded.intent_id,
	sale_id = excluded.sale_id, status = excluded.status, snapshot = excluded.snapshot, updated_at = excluded.updated_at`,
			d.ID, string(d.Account), d.ChargeID, d.IntentID, saleID, d.Status, string(snap), ms(d.Created), ms(now))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("journal: save dispute %s: %w", d.ID, err)
	}
	return changed, nil
}

const disputeColumns = `snapshot, sale_id, updated_at`

func scanDispute(sc scanner) (DisputeRecord, error) {
	var snap string
	var updated int64
	var r DisputeRecord
	if err := sc.Scan(&snap, &r.SaleID, &updated); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Dispute); err != nil {
		return r, fmt.Errorf("dispute snapshot: %w", err)
	}
	r.UpdatedAt = fromMS(updated)
	return r, nil
}

// DisputeRecordByID returns the journal's dispute id; the error wraps
// ErrNotFound when there is none.
func (j *Journal) DisputeRecordByID(ctx context.Context, id string) (DisputeRecord, error) {
	r, err := scanDispute(j.db.QueryRowContext(ctx, "SELECT "+disputeColumns+" FROM disputes WHERE id = ?", id))
	return r, lookupError("dispute "+id, err)
}

// DisputeForIntent returns the latest dispute the journal knows of a
// PaymentIntent's payment; ok is false when there is none.
func (j *Journal) DisputeForIntent(ctx context.Context, intentID string) (d pos.Dispute, ok bool, err error) {
	if intentID == "" {
		return d, false, nil
	}
	r, err := scanDispute(j.db.QueryRowContext(ctx, "SELECT "+disputeColumns+
		" FROM disputes WHERE intent_id = ? ORDER BY created_at DESC LIMIT 1", intentID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, false, nil
	case err != nil:
		return d, false, fmt.Errorf("journal: dispute of %s: %w", intentID, err)
	}
	return r.Dispute, true, nil
}

// DisputeRecords returns the disputes the journal knows, newest first;
// openOnly keeps those that wait for an answer.
func (j *Journal) DisputeRecords(ctx context.Context, openOnly bool, limit int) ([]DisputeRecord, error) {
	q := "SELECT " + disputeColumns + " FROM disputes"
	if openOnly {
		q += " WHERE status IN ('needs_response', 'warning_needs_response')"
	}
	return allRows(ctx, j.db, "disputes", q+" ORDER BY created_at DESC, id LIMIT ?", []any{limitOf(limit)}, scanDispute)
}

// Notices returns the notices after seq (0: from the first), oldest
// first, at most limit.
func (j *Journal) Notices(ctx context.Context, after int64, limit int) ([]pos.Notice, error) {
	return allRows(ctx, j.db, "notices", "SELECT seq, notice FROM notices WHERE seq > ? ORDER BY seq LIMIT ?",
		[]any{after, limitOf(limit)}, func(sc scanner) (pos.Notice, error) {
			var n pos.Notice
			var seq int64
			var b string
			if err := sc.Scan(&seq, &b); err != nil {
				return n, err
			}
			if err := json.Unmarshal([]byte(b), &n); err != nil {
				return n, fmt.Errorf("notice %d: %w", seq, err)
			}
			n.Seq = seq
			return n, nil
		})
}

// LastNotice is the seq of the newest notice (0: none yet).
func (j *Journal) LastNotice(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	if err := j.db.QueryRowContext(ctx, "SELECT MAX(seq) FROM notices").Scan(&v); err != nil {
		return 0, fmt.Errorf("journal: notices: %w", err)
	}
	return v.Int64, nil
}

// RefundByStripeID returns the journal's refund whose Stripe id (re_…) is
// refundID; ok is false when there is none.
func (j *Journal) RefundByStripeID(ctx context.Context, refundID string) (r pos.RefundFlow, ok bool, err error) {
	if strings.TrimSpace(refundID) == "" {
		return r, false, nil
	}
	rec, err := scanRefund(j.db.QueryRowContext(ctx, "SELECT "+refundColumns+" FROM refunds WHERE refund_id = ? LIMIT 1", refundID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, false, nil
	case err != nil:
		return r, false, fmt.Errorf("journal: refund %s: %w", refundID, err)
	}
	return rec.Refund, true, nil
}

// SaleByIntent returns the sale whose PaymentIntent is intentID; ok is
// false when the journal has none.
func (j *Journal) SaleByIntent(ctx context.Context, intentID string) (s pos.Sale, ok bool, err error) {
	if intentID == "" {
		return s, false, nil
	}
	recs, err := j.ListSales(ctx, SaleFilter{IntentID: intentID, Limit: 1})
	if err != nil || len(recs) == 0 {
		return s, false, err
	}
	return recs[0].Sale, true, nil
}

// DisputesForIntents returns the latest dispute the journal knows of each
// of the PaymentIntents ids that has one.
func (j *Journal) DisputesForIntents(ctx context.Context, ids []string) (map[string]pos.Dispute, error) {
	out := map[string]pos.Dispute{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		q := "SELECT " + disputeColumns + " FROM disputes WHERE intent_id IN (?" + strings.Repeat(",?", len(batch)-1) + ") ORDER BY created_at"
		recs, err := allRows(ctx, j.db, "disputes of intents", q, stringArgs(batch), scanDispute)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			out[r.Dispute.IntentID] = r.Dispute // the newest last
		}
	}
	return out, nil
}
