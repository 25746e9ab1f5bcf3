package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"kasse/config"
	"kasse/i18n"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// The chrome: header, status line and key help around the top screen's
// body, the help screen, and "terminal too small".

// View renders header, body, status line and short help in exactly the
// terminal's size.
func (m *Model) View() string {
	st := m.deps.Styles
	if minW, minH := m.minSize(); m.tooSmall() {
		return tooSmallView(st, m.sess.Loc, m.width, m.height, minW, minH)
	}
	w, h := max(20, m.width), max(app.HeaderHeight+app.FooterHeight+1, m.height)
	status, statusH := "", 1
	if m.status != "" { // wrapped, never cut off: it may say what went wrong
		status = widgets.WrapText(st.Status(m.statusTone).Render(m.status), w)
		statusH = max(1, min(widgets.LineCount(status), (h-app.HeaderHeight-app.FooterHeight)/2))
	}
	bodyH := h - app.HeaderHeight - app.FooterHeight - (statusH - 1)
	top := m.top()
	var body string
	switch {
	case m.dialog != nil:
		body = dialogView(m.dialog, st, m.sess.Loc, w, bodyH)
	case m.helpOpen:
		body = m.helpView(top)
	default:
		body = top.View(w, bodyH)
	}
	return m.header(w) + "\n" + widgets.Fit(body, w, bodyH) + "\n" +
		widgets.Fit(status, w, statusH) + "\n" + widgets.Fit(m.helpLine(top, w), w, 1)
}

// header renders the two header lines: app, seller · location · reader
// (or the area on screen and who opened it) on the left, operator (role) @
// console and the mode badge on the right; a rule.
func (m *Model) header(w int) string {
	st, in, sess := m.deps.Styles, m.deps.Ink(m.sess), m.sess
	sep := in.CrumbSep.Render(" · ")
	crumbs := []string{
		m.crumb(sess.T("ui.header.no_seller"), func() string {
			if sess.Seller == nil {
				return ""
			}
			return widgets.SellerName(*sess.Seller)
		}),
		m.crumb(sess.T("ui.header.no_location"), func() string {
			if sess.Location == nil {
				return ""
			}
			return widgets.LocationName(*sess.Location)
		}),
		m.crumb(sess.T("ui.header.no_reader"), func() string {
			if sess.Reader == nil {
				return ""
			}
			return widgets.ReaderName(*sess.Reader)
		}),
	}
	if area := m.areaCrumb(); area != "" {
		crumbs = []string{in.Crumb.Render(area)}
		if sess.Approver != "" {
			crumbs = append(crumbs, in.Muted.Render(sess.T("ui.header.opened_by", i18n.Args{"Operator": sess.Approver})))
		}
	}
	mode := m.deps.Mode
	badge, ok := st.Mode[mode]
	if !ok {
		badge = st.Mode[config.ModeLive]
	}
	badgeText := in.Once("badge "+mode, func() string { return badge.Render(strings.ToUpper(mode)) }) // i18n:ok a cache key
	who := m.deps.ConsoleID
	switch {
	case sess.Operator != "" && sess.Role != "":
		who = sess.T("ui.header.who_role", i18n.Args{"Operator": sess.Operator, "Role": app.RoleName(sess.Loc, sess.Role), "Console": who})
	case sess.Operator != "":
		who = sess.T("ui.header.who", i18n.Args{"Operator": sess.Operator, "Console": who})
	}
	right := in.Muted.Render(who) + " " + badgeText
	name := in.App.Render(sess.T("app.name")) + "  "
	// Too narrow: give each crumb an equal share rather than losing the
	// reader at the end.
	room := w - app.TextWidth(name) - app.TextWidth(right) - 2*app.TextWidth(sep) - 1
	if total := app.TextWidth(strings.Join(crumbs, "")); total > room {
		for i, c := range crumbs {
			crumbs[i] = ansi.Truncate(c, max(1, room/len(crumbs)), "…")
		}
	}
	left := name + strings.Join(crumbs, sep)
	return widgets.Spread(left, right, w) + "\n" + in.Rule.Render(strings.Repeat("─", w))
}

func (m *Model) crumb(placeholder string, name func() string) string {
	if n := name(); n != "" {
		return m.deps.Ink(m.sess).Crumb.Render(n)
	}
	return m.deps.Ink(m.sess).Faint.Render(placeholder)
}

func (m *Model) helpModel(w int) help.Model {
	hm := help.New()
	hm.Width = w
	st := m.deps.Styles
	hm.Styles.ShortKey, hm.Styles.ShortDesc, hm.Styles.ShortSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
	hm.Styles.FullKey, hm.Styles.FullDesc, hm.Styles.FullSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
	hm.Styles.Ellipsis = st.HelpSep
	return hm
}

// helpLine is the one-line key help of top. It is kept from the last
// frame while the keys, the width and the colours are the same: bubbles
// renders every key with lipgloss on every call, a tenth of a frame.
func (m *Model) helpLine(top app.Screen, w int) string {
	var bs []key.Binding
	switch {
	case m.dialog != nil:
		bs = dialogHelp(m.dialog)
	case m.helpOpen:
		bs = []key.Binding{m.deps.Keys.Back, m.deps.Keys.Quit}
	default:
		bs = top.ShortHelp()
	}
	bs = app.Localized(m.sess.Loc, bs)
	profile, dark := m.deps.Ink(m.sess).MeasuredIn()
	var k strings.Builder
	k.WriteString(strconv.Itoa(w) + " " + strconv.Itoa(int(profile)) + " " + strconv.FormatBool(dark))
	for _, b := range bs {
		k.WriteString("\x1e" + strconv.FormatBool(b.Enabled()) + "\x1f" + b.Help().Key + "\x1f" + b.Help().Desc)
	}
	if k.String() != m.help.key {
		m.help.key, m.help.view = k.String(), m.helpModel(w).ShortHelpView(bs)
	}
	return m.help.view
}

// helpView is the help screen: every key of the top screen plus the
// global ones.
func (m *Model) helpView(top app.Screen) string {
	groups := append(top.FullHelp(), m.deps.Keys.GlobalHelp())
	for i, g := range groups {
		groups[i] = app.Localized(m.sess.Loc, g)
	}
	title := m.sess.T("ui.help.title", i18n.Args{"Screen": top.Title()})
	return m.deps.Styles.Title.Render(title) + "\n\n" + m.fullHelp(groups)
}

// fullHelp lays the help's columns out in rows as wide as the terminal:
// one row when they fit (as bubbles draws it), more when the words are
// longer (German) — never a column cut off.
func (m *Model) fullHelp(groups [][]key.Binding) string {
	hm := m.helpModel(0) // unlimited: the rows are fitted here
	var rows []string
	var row [][]key.Binding
	for _, g := range groups {
		if len(row) > 0 && lipgloss.Width(hm.FullHelpView(append(row[:len(row):len(row)], g))) > m.width {
			rows = append(rows, hm.FullHelpView(row))
			row = nil
		}
		row = append(row, g)
	}
	if len(row) > 0 {
		rows = append(rows, hm.FullHelpView(row))
	}
	return strings.Join(rows, "\n\n")
}

// tooSmallView fills w×h with why nothing else is drawn: the terminal's
// size, the screen's minimum and how to get out.
func tooSmallView(st app.Styles, loc *i18n.Locale, w, h, minW, minH int) string {
	sizes := i18n.Args{"Width": w, "Height": h, "NeedWidth": minW, "NeedHeight": minH}
	msg := st.Warning.Render(loc.T("screen.too_small")) + "\n" +
		loc.T("screen.too_small_sizes", sizes) + "\n" +
		st.Muted.Render(loc.T("screen.too_small_hint", i18n.Args{"QuitKey": "ctrl+c"}))
	block := widgets.Wrap(msg, min(w, 60))
	if lipgloss.Height(block) > h || lipgloss.Width(block) > w {
		// Not even the message fits: the sizes alone, as far as they go.
		return widgets.Fit(loc.T("ui.too_small_short", sizes), w, h)
	}
	return widgets.Fit(widgets.Center(block, w, h), w, h)
}
