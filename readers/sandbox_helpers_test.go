package readers

import (
	"context"
	"strings"
	"testing"
	"time"

	"kasse/internal/fixture"
	"kasse/pos"
	"kasse/sandbox"
	"kasse/stripeapi"
)

// world is a demo sandbox served in-process and a Fleet talking to it
// through the real stripe-go adapter.
type world struct {
	t      *testing.T
	srv    *sandbox.Server
	client *stripeapi.Client
	fleet  *Fleet
	ctx    context.Context
}

func newWorld(t *testing.T, opts sandbox.Options) *world {
	t.Helper()
	if opts.Seed == "" {
		opts.Seed = "demo"
	}
	sb := fixture.NewStripe(t, opts, stripeapi.Config{APIKey: "sk_test_readers"})
	srv, c := sb.Server, sb.Client
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	f := &Fleet{Terminal: c, Sellers: c, Payments: c, Presenter: c, Mode: ModeTest,
		PollInterval: time.Millisecond}
	return &world{t: t, srv: srv, client: c, fleet: f, ctx: ctx}
}

// recent converts the adapter's request log, as the composition root does.
func (w *world) recent() []RequestRecord {
	var out []RequestRecord
	for _, r := range w.client.RecentRequests() {
		out = append(out, RequestRecord(r))
	}
	return out
}

// seller returns the demo seller whose display name starts with prefix.
func (w *world) seller(prefix string) pos.Seller {
	w.t.Helper()
	ss, err := w.client.ListSellers(w.ctx)
	if err != nil {
		w.t.Fatalf("ListSellers: %v", err)
	}
	for _, s := range ss {
		if strings.HasPrefix(s.DisplayName, prefix) {
			return s
		}
	}
	w.t.Fatalf("no demo seller %q among %d", prefix, len(ss))
	return pos.Seller{}
}

// location returns owner's location whose name starts with prefix.
func (w *world) location(owner pos.Account, prefix string) pos.Location {
	w.t.Helper()
	ls, err := w.client.ListLocations(w.ctx, owner)
	if err != nil {
		w.t.Fatalf("ListLocations(%s): %v", owner, err)
	}
	for _, l := range ls {
		if strings.HasPrefix(l.DisplayName, prefix) {
			return l
		}
	}
	w.t.Fatalf("no location %q on %s among %d", prefix, owner, len(ls))
	return pos.Location{}
}

// reader returns the only reader at a location.
func (w *world) reader(owner pos.Account, locationID string) pos.Reader {
	w.t.Helper()
	rs, err := w.client.ListReaders(w.ctx, owner, pos.ReaderFilter{LocationID: locationID})
	if err != nil || len(rs) != 1 {
		w.t.Fatalf("ListReaders(%s, %s) = %d readers, %v", owner, locationID, len(rs), err)
	}
	return rs[0]
}

// names renders groups as "owner name/location name", in their order.
func names(gs []LocationGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.OwnerName+"/"+g.Location.DisplayName)
	}
	return out
}
