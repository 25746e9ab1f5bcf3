package readers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

func TestInventoryGroupsAndToleratesAFailingSeller(t *testing.T) {
	f := newFake()
	f.sellers = []pos.Seller{
		{ID: "acct_A", DisplayName: "Alpha"}, {ID: "acct_B", DisplayName: "Bravo"}, {ID: "acct_C", DisplayName: "Charlie"},
	}
	f.locations[pos.Platform] = []pos.Location{{ID: "tml_p2", DisplayName: "Zeta shop"}, {ID: "tml_p1", DisplayName: "Alpha shop"}, {ID: "tml_empty", DisplayName: "Empty"}}
	f.readers[pos.Platform] = []pos.Reader{
		{ID: "tmr_2", Label: "counter 2", LocationID: "tml_p1"},
		{ID: "tmr_1", Label: "Counter 1", LocationID: "tml_p1"},
		{ID: "tmr_3", Label: "Bar", LocationID: "tml_p2"},
		{ID: "tmr_lost", Label: "Lost", LocationID: "tml_gone"},
	}
	f.locations["acct_A"] = []pos.Location{{ID: "tml_a", DisplayName: "Alpha own"}}
	f.readers["acct_A"] = []pos.Reader{{ID: "tmr_a", Label: "Till", LocationID: "tml_a"}}
	f.fail["ListReaders acct_B"] = &pos.Error{Kind: pos.KindAuth, Code: "account_invalid", Message: "no access"}
	fl, _ := fakeFleet(f)

	groups, err := fl.Inventory(context.Background())
	var pe *PartialError
	if !errors.As(err, &pe) || len(pe.Failed) != 1 || pe.Failed[0].Account != "acct_B" || !pos.IsKind(err, pos.KindAuth) {
		t.Fatalf("err = %v; want a PartialError for acct_B only", err)
	}
	if !strings.Contains(err.Error(), "Bravo (acct_B)") || !strings.Contains(err.Error(), "has no access to account acct_B") {
		t.Errorf("message %q", err)
	}
	var got []string
	for _, g := range groups {
		var ids []string
		for _, r := range g.Readers {
			ids = append(ids, r.ID)
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%v|%s", g.Owner, g.OwnerName, g.Location.ID, g.Missing, strings.Join(ids, ",")))
	}
	want := []string{
		"platform|platform|tml_gone|true|tmr_lost", // no display name sorts first
		"platform|platform|tml_p1|false|tmr_1,tmr_2",
		"platform|platform|tml_empty|false|",
		"platform|platform|tml_p2|false|tmr_3",
		"acct_A|Alpha|tml_a|false|tmr_a",
	}
	if !slices.Equal(got, want) {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if slices.Contains(f.log(), "ListLocations acct_C") {
		t.Error("a seller without readers must be skipped without listing its locations")
	}
}

func TestInventoryWhenTheSellerListFails(t *testing.T) {
	f := newFake()
	f.fail["ListSellers"] = &pos.Error{Kind: pos.KindRateLimited, Message: "slow down"}
	f.locations[pos.Platform] = []pos.Location{{ID: "tml_p", DisplayName: "Shop"}}
	f.readers[pos.Platform] = []pos.Reader{{ID: "tmr_1", LocationID: "tml_p"}}
	fl, _ := fakeFleet(f)
	groups, err := fl.Inventory(context.Background())
	var pe *PartialError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "rate limiting") {
		t.Fatalf("err = %v", err)
	}
	if len(groups) != 1 || len(groups[0].Readers) != 1 {
		t.Errorf("the platform's readers must still be listed: %+v", groups)
	}
}

func TestInventoryBoundsConcurrency(t *testing.T) {
	f := newFake()
	f.listDelay = 15 * time.Millisecond
	for i := range 12 {
		id := pos.Account(fmt.Sprintf("acct_%02d", i))
		f.sellers = append(f.sellers, pos.Seller{ID: id, DisplayName: string(id)})
		f.readers[id] = []pos.Reader{{ID: "tmr_" + string(id), LocationID: "tml_" + string(id)}}
		f.locations[id] = []pos.Location{{ID: "tml_" + string(id), DisplayName: "x"}}
	}
	fl, _ := fakeFleet(f)
	fl.Concurrency = 3
	groups, err := fl.Inventory(context.Background())
	if err != nil || len(groups) != 12 {
		t.Fatalf("%d groups, %v", len(groups), err)
	}
	if f.maxInflight > 3 || f.maxInflight < 2 {
		t.Errorf("max concurrent listings %d; want 2..3", f.maxInflight)
	}
	for i, g := range groups {
		if want := pos.Account(fmt.Sprintf("acct_%02d", i)); g.Owner != want {
			t.Errorf("group %d is %s; want %s (sorted by seller)", i, g.Owner, want)
		}
	}
}

func TestInventoryStopsOnCanceledContext(t *testing.T) {
	f := newFake()
	for i := range 5 {
		f.sellers = append(f.sellers, pos.Seller{ID: pos.Account(fmt.Sprintf("acct_%d", i))})
	}
	fl, _ := fakeFleet(f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := fl.Inventory(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled inside", err)
	}
	if slices.ContainsFunc(f.log(), func(c string) bool { return strings.HasPrefix(c, "ListReaders") }) {
		t.Errorf("no listing should start after cancellation: %v", f.log())
	}
}

func TestLocateReaderSearchesSellers(t *testing.T) {
	f := newFake()
	f.sellers = []pos.Seller{{ID: "acct_A"}, {ID: "acct_B"}}
	f.readers["acct_B"] = []pos.Reader{{ID: "tmr_b", Label: "B till"}}
	fl, _ := fakeFleet(f)
	r, err := fl.LocateReader(context.Background(), "tmr_b")
	if err != nil || r.Owner != "acct_B" {
		t.Fatalf("LocateReader = %+v, %v", r, err)
	}
	_, err = fl.LocateReader(context.Background(), "tmr_nowhere")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "not on the platform account nor on any of its 2 connected sellers") {
		t.Errorf("err = %v", err)
	}
	f.fail["GetReader acct_A tmr_x"] = &pos.Error{Kind: pos.KindAuth, Message: "denied"}
	_, err = fl.LocateReader(context.Background(), "tmr_x")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "could not be read") {
		t.Errorf("a failing account must be reported: %v", err)
	}
	if _, err := fl.LocateReader(context.Background(), "tml_1"); !errors.Is(err, ErrReaderID) {
		t.Errorf("a location id is not a reader id: %v", err)
	}
}
