package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// screenID names the screens the root routes between.
type screenID int

const (
	scrSellers screenID = iota
	scrLocations
	scrReaders
	scrRegister
	scrPayment
	scrReceipt
)

// statusTTL is how long a status message stays.
const statusTTL = 5 * time.Second

// animEvery is the spinner's frame interval.
const animEvery = 120 * time.Millisecond

// Model is the root model: it owns the screens, the chrome (header, status
// line, help) and navigation (nav.go).
type Model struct {
	sh     *shared
	width  int
	height int

	active    screenID
	sellers   *sellersScreen
	locations *locationsScreen
	readers   *readersScreen
	register  *registerScreen
	payment   *paymentScreen
	receipt   *receiptScreen
	// switching: the reader picker is open to move the payment to another
	// reader.
	switching bool
	// stack is the back office above the seller list (areas.go); its top
	// is on screen.
	stack []screen

	// dialog is the question open above the screens (dialog.go).
	dialog *dialog
	// offers are open sales from the last run not yet offered (offer.go).
	offers []pos.Sale
	// quitting: the payment is being canceled, then the console quits;
	// leaving: the cart is being taken off the reader on the way out.
	quitting, leaving bool
	// opening: an offered sale's live view is being loaded.
	opening bool

	showHelp  bool
	status    string
	statusT   tone
	statusSeq int
	animating bool
	// help is the last key help line rendered, and what it was rendered
	// from (helpLine).
	help struct{ key, view string }
}

func newModel(d Deps) *Model {
	sh := newShared(d.withDefaults())
	m := &Model{sh: sh, width: 100, height: 30, sellers: newSellersScreen(sh)}
	m.offers = append([]pos.Sale(nil), d.Offers...)
	sh.top = m.sellers
	m.offerNext()
	return m
}

// Init loads the sellers and the remembered choices.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.sellers.load(), loadPrefsCmd(m.sh.deps.Prefs), m.animate())
}

func (m *Model) current() screen {
	if n := len(m.stack); n > 0 {
		return m.stack[n-1]
	}
	switch m.active {
	case scrLocations:
		return m.locations
	case scrReaders:
		return m.readers
	case scrRegister:
		return m.register
	case scrPayment:
		return m.payment
	case scrReceipt:
		return m.receipt
	}
	return m.sellers
}

// screens returns the screens that exist right now.
func (m *Model) screens() []screen {
	out := []screen{m.sellers}
	if m.locations != nil {
		out = append(out, m.locations)
	}
	if m.readers != nil {
		out = append(out, m.readers)
	}
	if m.register != nil {
		out = append(out, m.register)
	}
	if m.payment != nil {
		out = append(out, m.payment)
	}
	if m.receipt != nil {
		out = append(out, m.receipt)
	}
	return append(out, m.stack...)
}

// Update routes msg: chrome and navigation first, then results to the
// screen that asked, everything else to the active screen.
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

// settle records what is on top after a message, ends a quit that waited
// for a cancel, and asks about the next open sale.
func (m *Model) settle() tea.Cmd {
	cmd := m.quitWhenCanceled()
	m.offerNext()
	if m.dialog != nil && m.dialog.refresh != nil {
		m.dialog = m.dialog.refresh()
	}
	m.sh.top = m.current()
	m.sh.area = m.areaCrumb()
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
	case animTickMsg:
		m.animating = false
		m.sh.frame++
		return nil
	case statusMsg:
		m.statusSeq++
		m.status, m.statusT = msg.text, msg.tone
		return m.sh.after(statusTTL, clearStatusMsg{seq: m.statusSeq})
	case clearStatusMsg:
		if msg.seq == m.statusSeq {
			m.status = ""
		}
		return nil
	case prefsLoadedMsg:
		if msg.err != nil {
			return say(toneWarn, "Could not read the remembered choices: "+errText(msg.err))
		}
		m.sh.prefs = msg.prefs
		return m.sellers.update(msg)
	case prefsSavedMsg:
		if msg.err != nil {
			return say(toneWarn, "Could not remember this choice: "+errText(msg.err))
		}
		return nil
	}
	if cmd, ok := m.navigate(msg); ok {
		return cmd
	}
	if cmd, ok := m.navigateQuit(msg); ok {
		return cmd
	}
	if cmd, ok := m.navigateOffer(msg); ok {
		return cmd
	}
	if cmd, ok := m.navigateArea(msg); ok {
		return cmd
	}
	if s := m.owner(msg); s != nil {
		return s.update(msg)
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		return m.current().update(msg)
	}
	// Results and timers of the back office: each screen there drops what
	// is not its own.
	var cmds []tea.Cmd
	for _, s := range m.stack {
		cmds = append(cmds, s.update(msg))
	}
	return tea.Batch(cmds...)
}

// minSize is the active screen's minimum terminal size.
func (m *Model) minSize() (w, h int) { return screenMinSize(m.current()) }

// tooSmall reports whether the terminal is below the active screen's
// minimum: View says so instead of drawing it, and keys but quit are
// ignored, since nothing can be seen.
func (m *Model) tooSmall() bool {
	w, h := m.minSize()
	return m.width < w || m.height < h
}

// globalKey handles an open dialog, quit and help. done reports that the
// key was used.
func (m *Model) globalKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.sh.keys
	if d := m.dialog; d != nil {
		if key.Matches(msg, k.Quit) && !d.handles(msg) {
			m.dialog = nil // quitting answers the question for now
			return m.quit(), true
		}
		cmd, closed := d.answer(msg)
		if closed {
			m.dialog = nil
		}
		return cmd, true
	}
	if key.Matches(msg, k.Quit) {
		return m.quit(), true
	}
	if m.tooSmall() {
		return nil, true
	}
	if m.showHelp {
		if key.Matches(msg, k.Help, k.Back) {
			m.showHelp = false
		}
		return nil, true
	}
	if key.Matches(msg, k.Help) && !m.current().capturesText() {
		m.showHelp = true
		return nil, true
	}
	return m.areaKey(msg)
}

// owner returns the screen a result or timer message belongs to, whether
// or not it is on screen; nil for messages meant for the active screen.
func (m *Model) owner(msg tea.Msg) screen {
	var s screen
	switch msg := msg.(type) {
	case sellersLoadedMsg:
		s = m.sellers
	case locationsLoadedMsg:
		if m.locations != nil {
			s = m.locations
		}
	case readersLoadedMsg:
		if m.readers != nil {
			s = m.readers
		}
	case displayTickMsg:
		if m.register != nil {
			s = m.register
		}
	case saleResultMsg:
		switch {
		case m.payment != nil && msg.saleID == m.payment.sale.ID:
			s = m.payment
		case m.register != nil && msg.saleID == m.register.sale.ID:
			s = m.register
		}
	case saleTickMsg, clockTickMsg, presentedMsg:
		if m.payment != nil {
			s = m.payment
		}
	case receiptSavedMsg:
		if m.receipt != nil {
			s = m.receipt
		}
	default:
		return nil
	}
	if s == nil {
		return noScreen{}
	}
	return s
}

// animate keeps one spinner tick in flight while any screen is loading.
func (m *Model) animate() tea.Cmd {
	if m.animating || !m.anyLoading() {
		return nil
	}
	m.animating = true
	return m.sh.after(animEvery, animTickMsg{})
}

func (m *Model) anyLoading() bool {
	for _, s := range m.screens() {
		if s.loading() {
			return true
		}
	}
	return false
}

// View renders header, body, status line and short help in exactly the
// terminal's size.
func (m *Model) View() string {
	if minW, minH := m.minSize(); m.tooSmall() {
		return tooSmallView(m.sh.st, m.width, m.height, minW, minH)
	}
	w, h := max(20, m.width), max(headerHeight+footerHeight+1, m.height)
	st := m.sh.st
	status, statusH := "", 1
	if m.status != "" { // wrapped, never cut off: it may say what went wrong
		status = wrapText(st.status(m.statusT).Render(m.status), w)
		statusH = max(1, min(lineCount(status), (h-headerHeight-footerHeight)/2))
	}
	bodyH := h - headerHeight - footerHeight - (statusH - 1)
	cur := m.current()
	var body string
	switch {
	case m.dialog != nil:
		body = m.dialog.view(m.sh, w, bodyH)
	case m.showHelp:
		body = m.helpView(cur)
	default:
		body = cur.view(w, bodyH)
	}
	return m.sh.header(w) + "\n" + fit(body, w, bodyH) + "\n" +
		fit(status, w, statusH) + "\n" + fit(m.helpLine(cur, w), w, 1)
}

func (m *Model) helpModel(w int) help.Model {
	hm := help.New()
	hm.Width = w
	st := m.sh.st
	hm.Styles.ShortKey, hm.Styles.ShortDesc, hm.Styles.ShortSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
	hm.Styles.FullKey, hm.Styles.FullDesc, hm.Styles.FullSeparator = st.HelpKey, st.HelpDesc, st.HelpSep
	hm.Styles.Ellipsis = st.HelpSep
	return hm
}

// helpLine is the one-line key help of cur. It is kept from the last
// frame while the keys, the width and the colours are the same: bubbles
// renders every key with lipgloss on every call, a tenth of a frame.
func (m *Model) helpLine(cur screen, w int) string {
	var bs []key.Binding
	switch {
	case m.dialog != nil:
		bs = m.dialog.help()
	case m.showHelp:
		bs = []key.Binding{m.sh.keys.Back, m.sh.keys.Quit}
	default:
		bs = cur.shortHelp()
	}
	in := m.sh.ink()
	var k strings.Builder
	k.WriteString(strconv.Itoa(w) + " " + strconv.Itoa(int(in.profile)) + " " + strconv.FormatBool(in.dark))
	for _, b := range bs {
		k.WriteString("\x1e" + strconv.FormatBool(b.Enabled()) + "\x1f" + b.Help().Key + "\x1f" + b.Help().Desc)
	}
	if k.String() != m.help.key {
		m.help.key, m.help.view = k.String(), m.helpModel(w).ShortHelpView(bs)
	}
	return m.help.view
}

// helpView is the help screen: every key of the active screen plus the
// global ones.
func (m *Model) helpView(cur screen) string {
	st := m.sh.st
	groups := append(cur.fullHelp(), m.sh.keys.globalHelp())
	return st.Title.Render("Keys — "+cur.title()) + "\n\n" + m.helpModel(m.width).FullHelpView(groups)
}

// noScreen swallows results for screens that no longer exist.
type noScreen struct{}

func (noScreen) update(tea.Msg) tea.Cmd    { return nil }
func (noScreen) view(int, int) string      { return "" }
func (noScreen) title() string             { return "" }
func (noScreen) shortHelp() []key.Binding  { return nil }
func (noScreen) fullHelp() [][]key.Binding { return nil }
func (noScreen) loading() bool             { return false }
func (noScreen) capturesText() bool        { return false }
