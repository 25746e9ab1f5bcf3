// Package store keeps the sandbox's objects: in memory, in tables indexed
// by id and by account in creation order (so retrieving and listing cost
// the same with ten objects or a hundred thousand), and on disk in an
// append-only log of JSON records that is compacted into a snapshot when
// it has grown (Log). It knows nothing of Stripe's resources: an object is
// anything with a Meta, and the log holds each object's JSON as the
// resource encodes it.
package store

import (
	"iter"
	"sort"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/list"
)

// Meta is the bookkeeping every stored object carries. ID is the object's
// API "id" (embedding Meta gives a resource struct its first JSON field);
// the rest is not part of the API object.
type Meta struct {
	ID string `json:"id"`
	// Account is the account the object belongs to ("" = the platform).
	Account string `json:"-"`
	// Seq is the object's place in creation order (the sandbox's counter).
	Seq int64 `json:"-"`
	// Deleted: DELETE was answered; only the deleted stub is visible.
	Deleted bool `json:"-"`
	// Size is how many bytes the object's latest version takes in the
	// state file (0: not written); they become garbage when it is written
	// again (Log.Superseded).
	Size int32 `json:"-"`

	// encoded is the object's JSON, kept by its owner's encoding cache
	// (Encoded, SetEncoded) rather than in a map keyed by object, with the
	// owner's clock when it was kept (a copy of the struct assigned back
	// over it brings back an older encoding with its older time).
	encoded   []byte
	encodedAt uint64
}

// Encoded is the JSON SetEncoded last kept (nil: none) and its time.
func (m *Meta) Encoded() ([]byte, uint64) { return m.encoded, m.encodedAt }

// SetEncoded keeps b as the object's JSON at time at (nil forgets it).
func (m *Meta) SetEncoded(b []byte, at uint64) { m.encoded, m.encodedAt = b, at }

// Stored returns m: every struct embedding Meta is an Object.
func (m *Meta) Stored() *Meta { return m }

// Object is a stored object.
type Object interface {
	Stored() *Meta
}

// Table holds the objects of one type by id, and per account in creation
// order.
type Table[T Object] struct {
	kind  string
	byID  map[string]T
	order map[string]*ordered[T]
}

// ordered is one account's objects, oldest first; items[head:] are live
// (pruning advances head).
type ordered[T Object] struct {
	items []T
	head  int
}

func (o *ordered[T]) live() []T { return o.items[o.head:] }

// NewTable returns an empty table of objects of kind (Stripe's object name,
// used in "No such <kind>" errors).
func NewTable[T Object](kind string) *Table[T] {
	return &Table[T]{kind: kind, byID: map[string]T{}, order: map[string]*ordered[T]{}}
}

// Kind is the object name the table was made with.
func (t *Table[T]) Kind() string { return t.kind }

// Len is the number of objects.
func (t *Table[T]) Len() int { return len(t.byID) }

// Get returns the object with id, of any account.
func (t *Table[T]) Get(id string) (T, bool) {
	v, ok := t.byID[id]
	return v, ok
}

// Put stores v (or replaces the object with its id). A new object joins
// its account's creation order by Seq.
func (t *Table[T]) Put(v T) {
	m := v.Stored()
	if old, ok := t.byID[m.ID]; ok {
		t.byID[m.ID] = v
		o := t.order[old.Stored().Account]
		if i := o.index(old.Stored().Seq); i >= 0 && any(o.items[i]) == any(old) {
			o.items[i] = v
		}
		return
	}
	t.byID[m.ID] = v
	o := t.order[m.Account]
	if o == nil {
		o = &ordered[T]{}
		t.order[m.Account] = o
	}
	live := o.live()
	if n := len(live); n == 0 || live[n-1].Stored().Seq < m.Seq {
		o.items = append(o.items, v)
		return
	}
	i := o.head + sort.Search(len(live), func(i int) bool { return live[i].Stored().Seq > m.Seq })
	o.items = append(o.items, v)
	copy(o.items[i+1:], o.items[i:])
	o.items[i] = v
}

// index is the position in items of the live object with seq (-1: none).
func (o *ordered[T]) index(seq int64) int {
	if o == nil {
		return -1
	}
	live := o.live()
	i := sort.Search(len(live), func(i int) bool { return live[i].Stored().Seq >= seq })
	if i < len(live) && live[i].Stored().Seq == seq {
		return o.head + i
	}
	return -1
}

// All yields every object, account by account, oldest first within one.
func (t *Table[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, o := range t.order {
			for _, v := range o.live() {
				if !yield(v) {
					return
				}
			}
		}
	}
}

// Newest yields account's objects, newest first.
func (t *Table[T]) Newest(account string) iter.Seq[T] {
	return func(yield func(T) bool) {
		o := t.order[account]
		if o == nil {
			return
		}
		live := o.live()
		for i := len(live) - 1; i >= 0; i-- {
			if !yield(live[i]) {
				return
			}
		}
	}
}

// Accounts yields the accounts that have objects in the table.
func (t *Table[T]) Accounts() iter.Seq[string] {
	return func(yield func(string) bool) {
		for a, o := range t.order {
			if len(o.live()) > 0 && !yield(a) {
				return
			}
		}
	}
}

// PruneOldest removes account's oldest objects while drop says so and
// returns how many went.
func (t *Table[T]) PruneOldest(account string, drop func(T) bool) int {
	o := t.order[account]
	if o == nil {
		return 0
	}
	n := 0
	for o.head < len(o.items) && drop(o.items[o.head]) {
		v := o.items[o.head]
		var zero T
		o.items[o.head] = zero
		o.head++
		delete(t.byID, v.Stored().ID)
		n++
	}
	if o.head == len(o.items) {
		delete(t.order, account)
	} else if o.head > 64 && o.head > len(o.items)/2 { // give the pruned slots back
		o.items = append([]T(nil), o.live()...)
		o.head = 0
	}
	return n
}

// Page lists account's objects that match (nil: all), newest first, as
// Stripe's cursor pagination does: the pg.Limit objects after pg.After
// (older than it), or — with pg.Before — the pg.Limit objects just newer
// than pg.Before (and older than pg.After if both are given). A cursor
// that names no matching object of the account is a 404 naming its
// parameter. It walks from the cursor, not over the whole table: a page
// costs the same however many objects are stored (filters that match few
// objects are the exception: they walk until the page is full).
func (t *Table[T]) Page(account string, pg list.Page, match func(T) bool) (page []T, hasMore bool, err *apierr.Error) {
	ok := func(v T) bool { return match == nil || match(v) }
	o := t.order[account]
	if o == nil {
		o = &ordered[T]{}
	}
	live := o.live()
	// cursor returns the position in live of the object id names.
	cursor := func(id, param string) (int, *apierr.Error) {
		v, found := t.byID[id]
		if found {
			if i := o.index(v.Stored().Seq); i >= 0 && ok(v) {
				return i - o.head, nil
			}
		}
		return 0, apierr.NoSuch(t.kind, id).WithParam(param)
	}
	older := len(live) // walk down from here (exclusive), newest first
	if pg.After != "" {
		i, e := cursor(pg.After, "starting_after")
		if e != nil {
			return nil, false, e
		}
		older = i
	}
	if pg.Before == "" {
		for i := older - 1; i >= 0; i-- {
			if !ok(live[i]) {
				continue
			}
			if len(page) == pg.Limit {
				return page, true, nil
			}
			page = append(page, live[i])
		}
		return page, false, nil
	}
	j, e := cursor(pg.Before, "ending_before")
	if e != nil {
		return nil, false, e
	}
	// The pg.Limit matches just newer than Before and older than After,
	// nearest to Before first; then newest first.
	for i := j + 1; i < older && len(page) < pg.Limit; i++ {
		if ok(live[i]) {
			page = append(page, live[i])
		}
	}
	for a, b := 0, len(page)-1; a < b; a, b = a+1, b-1 {
		page[a], page[b] = page[b], page[a]
	}
	// has_more: anything newer than the page (the After object counts).
	if pg.After != "" {
		return page, true, nil
	}
	last := j
	if len(page) > 0 {
		last = o.index(page[0].Stored().Seq) - o.head
	}
	for i := last + 1; i < len(live); i++ {
		if ok(live[i]) {
			return page, true, nil
		}
	}
	return page, false, nil
}
