package sale

import (
	"github.com/charmbracelet/bubbles/key"

	"kasse/ui/app"
	"kasse/ui/widgets"
)

// The pickers (sellers.go, locations.go, readers.go) share a
// widgets.PickList, this load state and their help.

// pickerLoad is the load state of a picker screen (sellers, locations,
// readers): a load running, one done, the last one's error.
type pickerLoad struct {
	busy   bool
	loaded bool
	err    error
}

// startLoad marks a (re)load as running.
func (p *pickerLoad) startLoad() { p.busy, p.err = true, nil }

// loadDone records the end of a load and reports whether it succeeded.
func (p *pickerLoad) loadDone(err error) bool {
	p.busy, p.err = false, err
	if err == nil {
		p.loaded = true
	}
	return err == nil
}

// firstLoadView is the picker's view, under top, until a load succeeded:
// a spinner and loading while the first load runs, or failed, the error
// and hint after it failed. ok is false once loaded.
func (p *pickerLoad) firstLoadView(deps *app.Deps, sess *app.Session, top, loading, failed, hint string, w int) (view string, ok bool) {
	st := deps.Styles
	switch {
	case p.busy && !p.loaded:
		return top + "\n\n" + deps.Spinner(sess) + st.Muted.Render(" "+loading), true
	case p.err != nil && !p.loaded:
		return top + "\n\n" + widgets.ErrLines(st, sess.Loc, failed, p.err, w) + "\n\n" + st.Muted.Render(hint), true
	}
	return "", false
}

// pickerShortHelp and pickerFullHelp are the help of a picker screen.
func pickerShortHelp(k app.KeyMap) []key.Binding {
	return []key.Binding{k.Filter, k.Up, k.Down, k.Choose, k.Back, k.Refresh, k.Help}
}

func pickerFullHelp(k app.KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Filter, k.Choose, k.Refresh}}
}
