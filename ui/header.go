package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"kasse/pos"
)

// headerHeight and footerHeight are the lines the chrome takes.
const (
	headerHeight = 2
	footerHeight = 2
)

// header renders the two header lines: app, seller · location · reader on
// the left, operator @ console and the mode badge on the right; a rule.
func (sh *shared) header(w int) string {
	st, in := sh.st, sh.ink()
	sep := in.CrumbSep.Render(" · ")
	crumbs := []string{
		crumb(sh, "no seller", func() string {
			if sh.seller == nil {
				return ""
			}
			return sellerName(*sh.seller)
		}),
		crumb(sh, "no location", func() string {
			if sh.location == nil {
				return ""
			}
			return locationName(*sh.location)
		}),
		crumb(sh, "no reader", func() string {
			if sh.reader == nil {
				return ""
			}
			return readerName(*sh.reader)
		}),
	}
	if sh.area != "" {
		crumbs = []string{in.Crumb.Render(sh.area)}
		if sh.approver != "" {
			crumbs = append(crumbs, in.Muted.Render("opened by "+sh.approver))
		}
	}
	mode := sh.deps.Mode
	badge, ok := st.Mode[mode]
	if !ok {
		badge = st.Mode[ModeLive]
	}
	badgeText := in.once("badge "+mode, func() string { return badge.Render(strings.ToUpper(mode)) })
	who := sh.deps.ConsoleID
	switch {
	case sh.deps.Operator != "" && sh.deps.Role != "":
		who = sh.deps.Operator + " (" + sh.deps.Role + ") @ " + who
	case sh.deps.Operator != "":
		who = sh.deps.Operator + " @ " + who
	}
	right := in.Muted.Render(who) + " " + badgeText
	app := in.App.Render("Kasse") + "  "
	// Too narrow: give each crumb an equal share rather than losing the
	// reader at the end.
	room := w - textWidth(app) - textWidth(right) - 2*textWidth(sep) - 1
	if total := textWidth(strings.Join(crumbs, "")); total > room {
		for i, c := range crumbs {
			crumbs[i] = ansi.Truncate(c, max(1, room/len(crumbs)), "…")
		}
	}
	left := app + strings.Join(crumbs, sep)
	return spread(left, right, w) + "\n" + in.Rule.Render(strings.Repeat("─", w))
}

func crumb(sh *shared, placeholder string, name func() string) string {
	if n := name(); n != "" {
		return sh.ink().Crumb.Render(n)
	}
	return sh.ink().Faint.Render(placeholder)
}

// Display names, with the id as fallback.

func sellerName(s pos.Seller) string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return string(s.ID)
}

func locationName(l pos.Location) string {
	if l.DisplayName != "" {
		return l.DisplayName
	}
	return l.ID
}

func readerName(r pos.Reader) string {
	if r.Label != "" {
		return r.Label
	}
	return r.ID
}
