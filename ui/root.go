package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
	"kasse/ui/customers"
	"kasse/ui/sale"
)

// statusTTL is how long a status message stays.
const statusTTL = 5 * time.Second

// animEvery is the spinner's frame interval.
const animEvery = 120 * time.Millisecond

// Model is the root of one console session: it owns the stack of screens
// and the chrome around the top one (header, status line, key help, the
// help screen, dialogs, "terminal too small"). Screens move the console
// only by message (app.Push, app.Pop, app.Replace, app.Home, app.Ask);
// the root never reaches into them.
type Model struct {
	deps *app.Deps
	sess *app.Session
	// flow is the sale flow; its home, the seller list, is the bottom of
	// the stack. The root asks it on ctrl+c and after every message.
	flow *sale.Flow

	width, height int
	// stack holds the screens, bottom first: stack[0] is the flow's home
	// and is never closed; the last one is on screen.
	stack []app.Screen

	// dialog is the question open above the screens (dialog.go).
	dialog *app.Dialog
	// helpOpen: the help screen (every key) is open.
	helpOpen bool

	status     string
	statusTone app.Tone
	statusSeq  int
	animating  bool
	// help is the last key help line rendered, and what it was rendered
	// from (helpLine).
	help struct{ key, view string }

	// noticeSeq is the last notice read (notices.go); noticesOn once the
	// start is known.
	noticeSeq int64
	noticesOn bool
}

// Chrome's own messages.
type (
	clearStatusMsg struct{ seq int }
	animTickMsg    struct{}
)

// Messages from the host that serves the session at a counter (`kasse
// serve`, app.Counter).
type (
	// HangUpMsg: the counter's terminal went away. Without a payment under
	// way the session ends as ctrl+c ends it (the cart is taken off the
	// reader); with one it keeps running, and the host keeps it until the
	// payment settles and the operator comes back or does not.
	HangUpMsg struct{}
	// ShutdownMsg: the host is shutting down. A payment under way is
	// canceled (compare before cancel: a payment the customer completed
	// meanwhile stands); the host then hangs up.
	ShutdownMsg struct{}
	// HoldsChangedMsg: another counter took or let go of a reader; the
	// screen is drawn again.
	HoldsChangedMsg struct{}
)

// NewSession builds one console session on deps, which every session of a
// process shares (prepared once: Deps.Prepared), signed in as who.
func NewSession(deps *Deps, who SignIn) *Model {
	sess := app.NewSession(who)
	flow := sale.NewFlow(deps, sess)
	m := &Model{deps: deps, sess: sess, flow: flow, width: 100, height: 30, stack: []app.Screen{flow.Home()}}
	m.settle() // an open sale found at start is asked about before anything else
	return m
}

// Init starts the bottom screen (the sellers and the remembered choices
// load) and the spinner.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.stack[0].Init(), m.animate(), m.watchNotices())
}

// top is the screen on screen.
func (m *Model) top() app.Screen { return m.stack[len(m.stack)-1] }

// Screens returns the stack, bottom first.
func (m *Model) Screens() []app.Screen { return append([]app.Screen(nil), m.stack...) }

// Asking is the title of the dialog open above the screens ("" when none).
func (m *Model) Asking() string {
	if m.dialog == nil {
		return ""
	}
	return m.dialog.Title
}

// HelpOpen reports whether the help screen is open.
func (m *Model) HelpOpen() bool { return m.helpOpen }

// Update routes msg: the chrome and the stack first, keys to the screen on
// top, everything else to every screen on the stack.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Bubble Tea v1 delivers runes typed in quick succession (fast typing,
	// a barcode scanner, tmux send-keys) as one KeyRunes message: handle
	// them as the separate key presses they were. Pastes stay whole.
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		cmds := make([]tea.Cmd, 0, len(k.Runes)+1)
		for _, r := range k.Runes {
			cmds = append(cmds, m.route(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
		}
		cmds = append(cmds, m.settle())
		return m, tea.Batch(append(cmds, m.animate())...)
	}
	cmd := m.route(msg)
	return m, tea.Batch(cmd, m.settle(), m.animate())
}

// settle runs after every message: the flow ends a quit that waited for a
// cancel and asks about the next open sale; an open dialog is refreshed;
// the session learns which screen is on top.
func (m *Model) settle() tea.Cmd {
	ask, cmd := m.flow.Settle(m.dialog == nil && !m.areaOpen())
	if ask != nil {
		m.dialog = ask
	}
	if m.dialog != nil && m.dialog.Refresh != nil {
		m.dialog = m.dialog.Refresh()
	}
	m.sess.SetTop(m.top())
	if c := m.deps.Counter; c != nil {
		c.Report(m.flow.CounterState())
	}
	return cmd
}

func (m *Model) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tea.KeyMsg:
		if cmd, done := m.globalKey(msg); done {
			return cmd
		}
		return m.top().Update(msg)
	case animTickMsg:
		m.animating = false
		m.sess.Frame++
		return nil
	case app.StatusMsg:
		m.statusSeq++
		m.status, m.statusTone = msg.Text, msg.Tone
		return m.deps.After(statusTTL, clearStatusMsg{seq: m.statusSeq})
	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
		return nil
	case app.PushMsg:
		return m.push(msg.Screen)
	case app.PopMsg:
		return m.pop(msg)
	case app.ReplaceMsg:
		return m.replace(msg)
	case app.HomeMsg:
		return m.home(msg.Screens)
	case app.AskMsg:
		m.dialog = msg.Dialog
		return nil
	case app.OpenAreaMsg:
		return m.openArea(msg.Area, true)
	case app.OpenCustomersMsg:
		return m.push(customers.New(m.deps, m.sess, msg)) // ui/customers: a part the root builds
	case noticeTickMsg:
		if !m.noticesOn {
			return m.readNotices(-1)
		}
		return m.readNotices(m.noticeSeq)
	case noticesMsg:
		return m.notices(msg)
	case HangUpMsg:
		if m.flow.Live() {
			return nil
		}
		m.dialog = nil
		_, cmd := m.flow.Quit()
		return cmd
	case ShutdownMsg:
		m.dialog, m.helpOpen = nil, false
		return m.flow.CancelForShutdown()
	}
	// Results and timers: every screen on the stack, each of which drops
	// what is not its own (a screen no longer on the stack gets nothing).
	cmds := make([]tea.Cmd, 0, len(m.stack))
	for _, s := range m.stack {
		cmds = append(cmds, s.Update(msg))
	}
	return tea.Batch(cmds...)
}

// push puts s on top and starts it.
func (m *Model) push(s app.Screen) tea.Cmd {
	if s == nil {
		return nil
	}
	m.stack = append(m.stack, s)
	return s.Init()
}

// pop closes the screens msg names (never the bottom one) and resumes the
// screen then on top.
func (m *Model) pop(msg app.PopMsg) tea.Cmd {
	n := max(1, msg.N)
	if msg.To != nil {
		i := m.index(msg.To)
		if i < 0 {
			return nil
		}
		n = len(m.stack) - 1 - i
	}
	if n = min(n, len(m.stack)-1); n <= 0 {
		return nil
	}
	m.truncate(len(m.stack) - n)
	m.forgetApproval()
	if r, ok := m.top().(app.Resumer); ok {
		return r.Resume()
	}
	return nil
}

// replace puts msg.Screen in place of msg.Old (the top when nil), closing
// the screens above it, and starts it.
func (m *Model) replace(msg app.ReplaceMsg) tea.Cmd {
	i := len(m.stack) - 1
	if msg.Old != nil {
		i = m.index(msg.Old)
	}
	if msg.Screen == nil || i <= 0 {
		return nil // never the bottom, nor a screen no longer on the stack
	}
	m.truncate(i)
	cmd := m.push(msg.Screen)
	m.forgetApproval()
	return cmd
}

// home closes everything above the bottom screen and pushes screens.
func (m *Model) home(screens []app.Screen) tea.Cmd {
	m.truncate(1)
	cmds := make([]tea.Cmd, 0, len(screens))
	for _, s := range screens {
		cmds = append(cmds, m.push(s))
	}
	m.forgetApproval()
	return tea.Batch(cmds...)
}

// truncate closes the screens from index n up.
func (m *Model) truncate(n int) {
	clear(m.stack[n:])
	m.stack = m.stack[:n]
}

// forgetApproval forgets who opened the back office once no area screen is
// left on the stack.
func (m *Model) forgetApproval() {
	if !m.areaOpen() {
		m.sess.Approver = ""
	}
}

// index is s's place on the stack (-1: not on it).
func (m *Model) index(s app.Screen) int {
	for i, x := range m.stack {
		if x == s {
			return i
		}
	}
	return -1
}

// minSize is the top screen's minimum terminal size.
func (m *Model) minSize() (w, h int) { return m.top().MinSize() }

// tooSmall reports whether the terminal is below the top screen's
// minimum: View says so instead of drawing it, and keys but quit are
// ignored, since nothing can be seen.
func (m *Model) tooSmall() bool {
	w, h := m.minSize()
	return m.width < w || m.height < h
}

// globalKey handles an open dialog, quit, the help screen and the
// back-office keys. done reports that the key was used.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.deps.Keys
	if d := m.dialog; d != nil {
		c, ok := choiceFor(d, msg)
		if !ok && key.Matches(msg, k.Quit) {
			m.dialog = nil // quitting answers the question for now
			return m.quit(), true
		}
		if !ok {
			return nil, true // nothing but the answer gets through
		}
		m.dialog = nil
		if c.Do == nil {
			return nil, true
		}
		return c.Do(), true
	}
	if key.Matches(msg, k.Quit) {
		return m.quit(), true
	}
	if m.tooSmall() {
		return nil, true
	}
	if m.helpOpen {
		if key.Matches(msg, k.Help, k.Back) {
			m.helpOpen = false
		}
		return nil, true
	}
	if key.Matches(msg, k.Help) && !m.top().CapturesText() {
		m.helpOpen = true
		return nil, true
	}
	return m.areaKey(msg)
}

// quit answers ctrl+c: the sale flow asks first during a payment, or
// takes its cart off the reader and quits.
func (m *Model) quit() tea.Cmd {
	ask, cmd := m.flow.Quit()
	if ask != nil {
		m.dialog = ask
	}
	return cmd
}

// animate keeps one spinner tick in flight while any screen is loading.
func (m *Model) animate() tea.Cmd {
	if m.animating || !m.anyLoading() {
		return nil
	}
	m.animating = true
	return m.deps.After(animEvery, animTickMsg{})
}

func (m *Model) anyLoading() bool {
	for _, s := range m.stack {
		if s.Loading() {
			return true
		}
	}
	return false
}
