package serve

import (
	"slices"
	"sync"

	"kasse/ui/app"
)

// holds is the host's registry of readers in use: reader id → the counter
// (and operator) that holds it. A counter takes a reader when its cashier
// picks it, moves a payment to it or charges on it (app.Counter.Hold,
// refused while another counter holds it), and lets it go when its session
// no longer reports it (keep): the cashier picked another reader or left
// the register, the session ended — or, for a dropped session, once its
// payment is settled. It is in memory: readers are held by live sessions
// of this process only.
type holds struct {
	mu   sync.Mutex
	held map[string]app.ReaderHolder
}

// take holds reader id for who unless another counter does; it reports
// the holder and whether who holds it now, and whether anything changed.
func (h *holds) take(id string, who app.ReaderHolder) (holder app.ReaderHolder, ok, changed bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if x, held := h.held[id]; held {
		if x.Counter != who.Counter {
			return x, false, false
		}
		return x, true, false
	}
	if h.held == nil {
		h.held = map[string]app.ReaderHolder{}
	}
	h.held[id] = who
	return who, true, true
}

// holder is who holds reader id, unless it is counter itself.
func (h *holds) holder(id, counter string) (app.ReaderHolder, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x, held := h.held[id]
	return x, held && x.Counter != counter
}

// keep lets go of every reader counter holds but those in ids; it reports
// whether it let any go.
func (h *holds) keep(counter string, ids ...string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed := false
	for id, x := range h.held {
		if x.Counter == counter && !slices.Contains(ids, id) {
			delete(h.held, id)
			changed = true
		}
	}
	return changed
}

// of is what counter holds, sorted.
func (h *holds) of(counter string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ids []string
	for id, x := range h.held {
		if x.Counter == counter {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
