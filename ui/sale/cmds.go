package sale

import (
	"context"
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui/app"
)

// Commands that do I/O. Each captures copies of what it needs (ports are
// interfaces, ids are strings, carts are copied by the caller), bounds the
// request with a timeout (app.Timed) and turns success and failure into
// one message.

func loadSellersCmd(src pos.Sellers, timeout time.Duration) tea.Cmd {
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		ss, err := src.ListSellers(ctx)
		return sellersLoadedMsg{sellers: ss, err: err}
	})
}

func loadPrefsCmd(p app.Prefs) tea.Cmd {
	if p == nil {
		return nil
	}
	return func() tea.Msg {
		r, err := p.Load()
		return prefsLoadedMsg{prefs: r.Clone(), err: err}
	}
}

func savePrefsCmd(p app.Prefs, r app.Remembered) tea.Cmd {
	if p == nil {
		return nil
	}
	r = r.Clone()
	return func() tea.Msg { return prefsSavedMsg{err: p.Save(r)} }
}

// loadLocationsCmd lists the locations a seller can sell at: the platform's
// locations that belong to the seller (platform-owned readers) and the
// locations on the seller's own account (seller-owned readers).
func loadLocationsCmd(term pos.Terminal, seller pos.Seller, timeout time.Duration) tea.Cmd {
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		platform, perr := term.ListLocations(ctx, pos.Platform)
		own, oerr := term.ListLocations(ctx, seller.ID)
		var out []pos.Location
		for _, l := range platform {
			if l.Owner == "" {
				l.Owner = pos.Platform
			}
			if pos.LocationServes(l, seller) {
				out = append(out, l)
			}
		}
		for _, l := range own {
			if l.Owner == pos.Platform {
				l.Owner = seller.ID
			}
			out = append(out, l)
		}
		msg := locationsLoadedMsg{seller: seller.ID, locations: out}
		switch {
		case perr != nil && oerr != nil:
			msg.err = perr
		case len(out) == 0:
			msg.err = errors.Join(perr, oerr)
		default:
			msg.partial = errors.Join(perr, oerr)
		}
		return msg
	})
}

func loadReadersCmd(term pos.Terminal, loc pos.Location, timeout time.Duration) tea.Cmd {
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		rs, err := term.ListReaders(ctx, loc.Owner, pos.ReaderFilter{LocationID: loc.ID})
		for i := range rs {
			if rs[i].Owner == pos.Platform {
				rs[i].Owner = loc.Owner
			}
		}
		return readersLoadedMsg{locationID: loc.ID, readers: rs, err: err}
	})
}
