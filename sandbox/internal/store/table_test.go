package store

import (
	"fmt"
	"slices"
	"testing"

	"kasse/sandbox/internal/list"
)

type obj struct {
	Meta
	n int
}

// filled returns a table with n objects spread over three accounts in
// turn (seq 1..n) and the ids of each account, oldest first.
func filled(n int) (*Table[*obj], map[string][]string) {
	t := NewTable[*obj]("thing")
	ids := map[string][]string{}
	for i := 1; i <= n; i++ {
		acct := []string{"", "acct_a", "acct_b"}[i%3]
		o := &obj{Meta: Meta{ID: fmt.Sprintf("th_%04d", i), Account: acct, Seq: int64(i)}, n: i}
		t.Put(o)
		ids[acct] = append(ids[acct], o.ID)
	}
	return t, ids
}

func idsOf(page []*obj) []string {
	var out []string
	for _, o := range page {
		out = append(out, o.ID)
	}
	return out
}

// Paging forward with starting_after and back with ending_before visits
// every object of the account exactly once, newest first, whatever the
// page size; has_more is true on every page but the last.
func TestPageWalksEachAccount(t *testing.T) {
	tb, ids := filled(500)
	for acct, all := range ids {
		want := slices.Clone(all)
		slices.Reverse(want) // newest first
		for _, limit := range []int{1, 7, 10, 100} {
			var got []string
			pg := list.Page{Limit: limit}
			for {
				page, more, err := tb.Page(acct, pg, nil)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, idsOf(page)...)
				if !more {
					break
				}
				if len(page) != limit {
					t.Fatalf("%q limit %d: a page of %d with more after it", acct, limit, len(page))
				}
				pg.After = page[len(page)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q limit %d forward: %d ids, want %d", acct, limit, len(got), len(want))
			}
			// Backwards from the oldest with ending_before.
			var back []string
			pg = list.Page{Limit: limit, Before: all[0]}
			for {
				page, more, err := tb.Page(acct, pg, nil)
				if err != nil {
					t.Fatal(err)
				}
				back = append(idsOf(page), back...)
				if !more {
					break
				}
				pg.Before = page[0].ID
			}
			if !slices.Equal(back, want[:len(want)-1]) {
				t.Fatalf("%q limit %d backward: %v..., want %v...", acct, limit, back[:min(3, len(back))], want[:3])
			}
		}
	}
}

func TestPageFiltersAndCursors(t *testing.T) {
	tb, ids := filled(300)
	even := func(o *obj) bool { return o.n%2 == 0 }
	page, more, err := tb.Page("acct_a", list.Page{Limit: 5}, even)
	if err != nil || !more || len(page) != 5 {
		t.Fatalf("filtered page: %v %v %v", idsOf(page), more, err)
	}
	for _, o := range page {
		if o.n%2 != 0 || o.Account != "acct_a" {
			t.Errorf("%s (n=%d, %q) passed the filter", o.ID, o.n, o.Account)
		}
	}
	// Both cursors: the objects between them, nearest the older cursor.
	a := ids["acct_b"]
	page, more, err = tb.Page("acct_b", list.Page{Limit: 3, After: a[50], Before: a[40]}, nil)
	if err != nil || !more || !slices.Equal(idsOf(page), []string{a[43], a[42], a[41]}) {
		t.Errorf("between: %v %v %v", idsOf(page), more, err)
	}
	// A cursor of another account, an unknown one, or one the filter
	// excludes is a 404 naming the parameter.
	for _, c := range []struct {
		pg    list.Page
		param string
	}{
		{list.Page{Limit: 10, After: ids["acct_a"][3]}, "starting_after"},
		{list.Page{Limit: 10, Before: "th_nope"}, "ending_before"},
	} {
		if _, _, err := tb.Page("acct_b", c.pg, nil); err == nil || err.Status != 404 || err.Param != c.param {
			t.Errorf("%+v: %v", c.pg, err)
		}
	}
	odd := ids[""][0] // n=3: odd
	if _, _, err := tb.Page("", list.Page{Limit: 1, After: odd}, even); err == nil {
		t.Error("a cursor the filter excludes was accepted")
	}
	if page, more, err := tb.Page("acct_nobody", list.Page{Limit: 10}, nil); err != nil || more || len(page) != 0 {
		t.Errorf("empty account: %v %v %v", page, more, err)
	}
}

// Pruning drops the oldest objects from the index and the id map; pages
// and lookups go on as before for the rest.
func TestPruneOldest(t *testing.T) {
	tb, ids := filled(600)
	n := tb.PruneOldest("acct_a", func(o *obj) bool { return o.n <= 450 })
	if n != 150 || tb.Len() != 450 {
		t.Fatalf("pruned %d, %d left", n, tb.Len())
	}
	if _, ok := tb.Get(ids["acct_a"][0]); ok {
		t.Error("a pruned object is still found")
	}
	page, more, err := tb.Page("acct_a", list.Page{Limit: 100}, nil)
	if err != nil || more || len(page) != 50 || page[49].n <= 450 {
		t.Errorf("after pruning: %d, more %v, %v", len(page), more, err)
	}
	if _, _, err := tb.Page("acct_a", list.Page{Limit: 10, After: ids["acct_a"][0]}, nil); err == nil {
		t.Error("a pruned cursor was accepted")
	}
	// Replacing an object keeps its place.
	o, _ := tb.Get(ids["acct_b"][10])
	tb.Put(&obj{Meta: o.Meta, n: -1})
	if got, _ := tb.Get(o.ID); got.n != -1 {
		t.Error("replace")
	}
	page, _, _ = tb.Page("acct_b", list.Page{Limit: 1, After: ids["acct_b"][11]}, nil)
	if len(page) != 1 || page[0].n != -1 {
		t.Errorf("replaced object's place: %v", idsOf(page))
	}
}

// A page costs the same with a hundred objects or a hundred thousand.
func BenchmarkPage(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			tb, ids := filled(n)
			mid := ids["acct_a"][len(ids["acct_a"])/2]
			for b.Loop() {
				if p, _, _ := tb.Page("acct_a", list.Page{Limit: 10, After: mid}, nil); len(p) != 10 {
					b.Fatal(len(p))
				}
			}
		})
	}
}
