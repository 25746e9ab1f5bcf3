package ui

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
)

// screen is the contract of every screen model. Screens are pointers owned
// by the root; update mutates in place and returns the follow-up command.
type screen interface {
	update(msg tea.Msg) tea.Cmd
	// view renders the body: at most w columns and h lines (the root pads
	// and clips to exactly that).
	view(w, h int) string
	title() string
	shortHelp() []key.Binding
	fullHelp() [][]key.Binding
	// loading reports whether something is under way (the root animates
	// the spinner while any screen is loading).
	loading() bool
	// capturesText reports whether printable keys are text input right now
	// (then `?` is typed, not help).
	capturesText() bool
}

// shared is the state every screen sees: dependencies, keys, styles, size,
// the current selection and the spinner frame. Screens never reach for
// globals.
type shared struct {
	deps  Deps
	keys  KeyMap
	st    Styles
	frame int // spinner frame, advanced by the root's animation tick

	// after schedules msg after d. Tests replace it to fire timers by hand.
	after func(d time.Duration, msg tea.Msg) tea.Cmd

	seller   *pos.Seller
	location *pos.Location
	reader   *pos.Reader
	prefs    Remembered
}

func newShared(d Deps) *shared {
	return &shared{
		deps:  d,
		keys:  DefaultKeyMap(),
		st:    DefaultStyles(DefaultPalette()),
		after: realAfter,
		prefs: Remembered{}.clone(),
	}
}

func realAfter(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// idemKey builds an idempotency key "<console>-<purpose>-<token>".
func (sh *shared) idemKey(purpose string) string {
	return sh.deps.ConsoleID + "-" + purpose + "-" + sh.deps.NewKey()
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinner renders the current spinner frame.
func (sh *shared) spinner() string {
	return sh.st.Spinner.Render(spinnerFrames[sh.frame%len(spinnerFrames)])
}

// testMode reports whether simulated card presentment is available.
func (sh *shared) testMode() bool {
	return sh.deps.Presenter != nil && sh.deps.Mode != ModeLive
}

func randomToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// emit wraps a message in a command (navigation between screens).
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
