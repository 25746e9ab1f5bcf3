package readers

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"kasse/i18n"
	"kasse/pos"
)

// LocationGroup is one location of one account with the readers registered
// to it.
type LocationGroup struct {
	Owner     pos.Account
	OwnerName string       // "platform" or the seller's display name
	Location  pos.Location // only ID and Owner when Missing
	// Missing: readers point at a location the owner's list does not
	// have (deleted, or the reader has none: ID "").
	Missing bool
	Readers []pos.Reader
}

// AccountError is the failure to list one account's hardware.
type AccountError struct {
	Account pos.Account
	Name    string // seller display name, "" when unknown
	// SellerList: the platform's list of sellers failed, not the platform
	// account itself.
	SellerList bool
	Err        error
}

// PartialError reports the accounts Inventory (or a search) could not
// read; the results returned with it are complete for every other account.
// It is an i18n.Localizer; Error is English.
type PartialError struct {
	What   i18n.Message // the inventory, the search
	Failed []AccountError
}

func (e *PartialError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders what is incomplete and every account that failed, in
// loc's words (each failure as it words itself).
func (e *PartialError) Localize(loc *i18n.Locale) string {
	parts := make([]string, 0, len(e.Failed))
	for _, f := range e.Failed {
		who := f.Account.String()
		switch {
		case f.SellerList:
			who = loc.T("cli.readers.seller_list") + " (" + who + ")"
		case f.Name != "":
			who = f.Name + " (" + who + ")"
		}
		parts = append(parts, who+": "+loc.Err(f.Err))
	}
	return loc.N("cli.readers.partial", len(e.Failed), i18n.Args{"What": e.What, "Failures": strings.Join(parts, "; ")})
}

// Unwrap returns the per-account errors.
func (e *PartialError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.Err
	}
	return out
}

// platformName is the platform's OwnerName in a LocationGroup: the
// account's name as pos.Account.String writes it. People see it worded
// ("the platform") by whoever shows the group.
const platformName = "platform" // i18n:ok the platform account's name, see above

// listLocations is the operation of listing an account's locations.
func listLocations(a pos.Account) i18n.Message {
	return i18n.M("cli.readers.op.list_locations", i18n.Args{"Account": accountPhrase(a)})
}

// account is an account to visit with its display name.
type account struct {
	id   pos.Account
	name string
}

// accounts returns the platform followed by every seller. When the seller
// list fails, it returns the platform alone and the failure.
func (f *Fleet) accounts(ctx context.Context) ([]account, *AccountError) {
	out := []account{{id: pos.Platform, name: platformName}}
	sellers, err := f.Sellers.ListSellers(ctx)
	if err != nil {
		return out, &AccountError{Account: pos.Platform, SellerList: true,
			Err: explain(err, subject{op: i18n.M("cli.readers.op.list_sellers"), owner: pos.Platform})}
	}
	for _, s := range sellers {
		name := s.DisplayName
		if name == "" {
			name = string(s.ID)
		}
		out = append(out, account{id: s.ID, name: name})
	}
	return out, nil
}

// Inventory lists every reader of the platform and of each seller that
// owns readers, grouped by location. Sellers without readers are skipped;
// the platform's locations are listed even when empty (they are where new
// readers go). Per-seller listings run concurrently (Fleet.Concurrency at
// a time). When some accounts fail, the groups of the others are returned
// with a *PartialError.
//
// Order: platform first, then sellers by name; locations by name; readers
// by label. Readers whose location is not in the owner's list get a group
// of their own with only the location id.
func (f *Fleet) Inventory(ctx context.Context) ([]LocationGroup, error) {
	accts, listErr := f.accounts(ctx)
	results := make([][]LocationGroup, len(accts))
	errs := make([]error, len(accts))
	forEach(ctx, len(accts), f.concurrency(), func(ctx context.Context, i int) {
		results[i], errs[i] = f.accountInventory(ctx, accts[i])
	})
	var failed []AccountError
	if listErr != nil {
		failed = append(failed, *listErr)
	}
	var groups []LocationGroup
	for i, a := range accts {
		if errs[i] != nil {
			failed = append(failed, AccountError{Account: a.id, Name: a.name, Err: errs[i]})
			continue
		}
		groups = append(groups, results[i]...)
	}
	sortGroups(groups)
	if len(failed) > 0 {
		return groups, &PartialError{What: i18n.M("cli.readers.inventory"), Failed: failed}
	}
	return groups, nil
}

// accountInventory lists one account's readers and (when it has any, or
// for the platform) its locations.
func (f *Fleet) accountInventory(ctx context.Context, a account) ([]LocationGroup, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rds, err := f.Terminal.ListReaders(ctx, a.id, pos.ReaderFilter{})
	if err != nil {
		return nil, explain(err, subject{op: i18n.M("cli.readers.op.list_readers", i18n.Args{"Account": accountPhrase(a.id)}), owner: a.id})
	}
	if len(rds) == 0 && !a.id.IsPlatform() {
		return nil, nil
	}
	locs, err := f.Terminal.ListLocations(ctx, a.id)
	if err != nil {
		return nil, explain(err, subject{op: listLocations(a.id), owner: a.id})
	}
	byID := map[string]int{}
	groups := make([]LocationGroup, 0, len(locs))
	for _, l := range locs {
		if l.Owner == "" {
			l.Owner = a.id
		}
		byID[l.ID] = len(groups)
		groups = append(groups, LocationGroup{Owner: a.id, OwnerName: a.name, Location: l})
	}
	for _, r := range rds {
		i, ok := byID[r.LocationID]
		if !ok {
			i = len(groups)
			byID[r.LocationID] = i
			groups = append(groups, LocationGroup{Owner: a.id, OwnerName: a.name,
				Location: pos.Location{ID: r.LocationID, Owner: a.id}, Missing: true})
		}
		groups[i].Readers = append(groups[i].Readers, r)
	}
	return groups, nil
}

func sortGroups(gs []LocationGroup) {
	for i := range gs {
		slices.SortStableFunc(gs[i].Readers, func(a, b pos.Reader) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)), cmp.Compare(a.ID, b.ID))
		})
	}
	slices.SortStableFunc(gs, func(a, b LocationGroup) int {
		if a.Owner.IsPlatform() != b.Owner.IsPlatform() {
			if a.Owner.IsPlatform() {
				return -1
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(strings.ToLower(a.OwnerName), strings.ToLower(b.OwnerName)),
			cmp.Compare(a.Owner, b.Owner),
			cmp.Compare(strings.ToLower(a.Location.DisplayName), strings.ToLower(b.Location.DisplayName)),
			cmp.Compare(a.Location.ID, b.Location.ID))
	})
}

// forEach runs fn(ctx, 0…n-1) with at most limit calls at a time and waits
// for all of them. Once ctx is done no new call starts; fn sees ctx and
// should give up itself.
func forEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int)) {
	if limit < 1 {
		limit = 1
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			// Run the rest inline so they record ctx.Err() themselves.
			fn(ctx, i)
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(ctx, i)
		})
	}
	wg.Wait()
}

// isNotFound reports whether err says the object does not exist (on the
// account asked).
func isNotFound(err error) bool {
	return pos.IsKind(err, pos.KindNotFound) || errors.Is(err, ErrNotFound)
}
