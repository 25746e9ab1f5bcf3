package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/i18n"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Dialogs: a question above whatever screen is on top (app.Ask, or the
// sale flow on ctrl+c and at start). While one is open its keys answer it
// and nothing else reaches the screens; ctrl+c, unless it is one of the
// answers, closes it and quits.

// choiceFor is the choice of d that answers msg.
func choiceFor(d *app.Dialog, msg tea.KeyMsg) (app.Choice, bool) {
	for _, c := range d.Choices {
		if key.Matches(msg, c.Key) {
			return c, true
		}
	}
	return app.Choice{}, false
}

// dialogHelp is the dialog's key line.
func dialogHelp(d *app.Dialog) []key.Binding {
	out := make([]key.Binding, len(d.Choices))
	for i, c := range d.Choices {
		out[i] = c.Key
	}
	return out
}

// dialogView renders d centered in a w×h body.
func dialogView(d *app.Dialog, st app.Styles, loc *i18n.Locale, w, h int) string {
	inner := min(72, max(20, w-6))
	var b strings.Builder
	b.WriteString(st.Warning.Render(d.Title))
	for _, l := range d.Lines {
		b.WriteString("\n")
		if l != "" {
			b.WriteString(widgets.Wrap(l, inner))
		}
	}
	b.WriteString("\n")
	for _, c := range d.Choices {
		hk := c.Key.Help()
		text := c.Text
		if text == "" {
			text = app.HelpText(loc, hk.Desc) // a binding's help is a message key
		}
		b.WriteString("\n" + st.Title.Render(widgets.Cell(app.HelpText(loc, hk.Key), 7)) + st.Value.Render(widgets.Wrap(text, inner-7)))
	}
	return widgets.Center(st.Dialog.Width(inner+4).Render(b.String()), w, h)
}
