package readers

import (
	"context"
	"fmt"

	"kasse/i18n"
	"kasse/pos"
)

// LocateReader finds a reader by id on whichever account owns it: first the
// platform, then every seller (concurrently). The returned reader's Owner
// is that account. A reader found nowhere is an error wrapping ErrNotFound;
// if some accounts could not be searched the error says so.
func (f *Fleet) LocateReader(ctx context.Context, id string) (pos.Reader, error) {
	if err := checkReaderID(id); err != nil {
		return pos.Reader{}, err
	}
	r, err := f.Terminal.GetReader(ctx, pos.Platform, id)
	if err == nil {
		r.Owner = pos.Platform
		return r, nil
	}
	if !isNotFound(err) {
		return pos.Reader{}, explain(err, subject{op: readReader(id), owner: pos.Platform, readerID: id})
	}
	accts, listErr := f.accounts(ctx)
	sellers := accts[1:]
	found := make([]*pos.Reader, len(sellers))
	errs := make([]error, len(sellers))
	forEach(ctx, len(sellers), f.concurrency(), func(ctx context.Context, i int) {
		r, err := f.Terminal.GetReader(ctx, sellers[i].id, id)
		if err == nil {
			r.Owner = sellers[i].id
			found[i] = &r
			return
		}
		errs[i] = err
	})
	for _, r := range found {
		if r != nil {
			return *r, nil
		}
	}
	return pos.Reader{}, notFoundAnywhere(i18n.M("cli.readers.reader", i18n.Args{"ID": id}), sellers, errs, listErr)
}

// LocateLocation finds a location by id on whichever account owns it (the
// platform first, then every seller).
func (f *Fleet) LocateLocation(ctx context.Context, id string) (pos.Location, error) {
	if id == "" {
		return pos.Location{}, invalid(ErrLocation, i18n.M("cli.readers.location_id_empty"))
	}
	l, err := f.findLocation(ctx, pos.Platform, id)
	if err != nil || l != nil {
		return deref(l), err
	}
	accts, listErr := f.accounts(ctx)
	sellers := accts[1:]
	found := make([]*pos.Location, len(sellers))
	errs := make([]error, len(sellers))
	forEach(ctx, len(sellers), f.concurrency(), func(ctx context.Context, i int) {
		found[i], errs[i] = f.findLocation(ctx, sellers[i].id, id)
	})
	for _, l := range found {
		if l != nil {
			return *l, nil
		}
	}
	return pos.Location{}, notFoundAnywhere(i18n.M("cli.readers.location", i18n.Args{"ID": id}), sellers, errs, listErr)
}

// findLocation returns owner's location id, nil when the owner has none
// such, or the listing's error.
func (f *Fleet) findLocation(ctx context.Context, owner pos.Account, id string) (*pos.Location, error) {
	locs, err := f.Terminal.ListLocations(ctx, owner)
	if err != nil {
		return nil, explain(err, subject{op: listLocations(owner), owner: owner})
	}
	for _, l := range locs {
		if l.ID == id {
			l.Owner = owner
			return &l, nil
		}
	}
	return nil, nil
}

func deref(l *pos.Location) pos.Location {
	if l == nil {
		return pos.Location{}
	}
	return *l
}

// notFoundAnywhere builds the "not on any account" error; accounts that
// failed for another reason than not-found make it a partial answer.
func notFoundAnywhere(what i18n.Message, sellers []account, errs []error, listErr *AccountError) error {
	var failed []AccountError
	if listErr != nil {
		failed = append(failed, *listErr)
	}
	for i, err := range errs {
		if err != nil && !isNotFound(err) {
			failed = append(failed, AccountError{Account: sellers[i].id, Name: sellers[i].name, Err: err})
		}
	}
	a := i18n.Args{"What": what}
	if len(failed) > 0 {
		p := &PartialError{What: i18n.M("cli.readers.the_search"), Failed: failed}
		a["Partial"] = p
		return &OpError{Msg: i18n.MN("cli.readers.nowhere_partial", len(sellers), a), Err: fmt.Errorf("%w: %w", ErrNotFound, p)}
	}
	return &OpError{Msg: i18n.MN("cli.readers.nowhere", len(sellers), a), Err: ErrNotFound}
}
