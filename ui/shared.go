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
	// inkCache is st's fast inks (ink.go), measured on first use.
	inkCache *inks

	// after schedules msg after d. Tests replace it to fire timers by hand.
	after func(d time.Duration, msg tea.Msg) tea.Cmd

	seller   *pos.Seller
	location *pos.Location
	reader   *pos.Reader
	prefs    Remembered

	// sellers is the last list of connected accounts loaded.
	sellers []pos.Seller
	// area names the back-office area on screen ("" outside it) and
	// approver the operator whose PIN opened it; the header shows both.
	area     string
	approver string
	// top is the screen on top; screens with timers check it to pause
	// while hidden.
	top screen
	// moneyMoved is set by a refund, void or capture; the transaction
	// list reloads when it is on top again.
	moneyMoved bool
	// seq numbers the back office's requests console-wide, so an answer
	// to a screen that was closed and opened again is never taken for an
	// answer to the new one.
	seq int
}

// nextSeq returns a request number no screen has used.
func (sh *shared) nextSeq() int {
	sh.seq++
	return sh.seq
}

// isTop reports whether s is the screen on top.
func (sh *shared) isTop(s screen) bool { return sh.top == s }

// role is the signed-in operator's role (cashier when unset).
func (sh *shared) role() string {
	if sh.deps.Role == "" {
		return RoleCashier
	}
	return sh.deps.Role
}

// sellerByID returns the loaded seller with id.
func (sh *shared) sellerByID(id pos.Account) (pos.Seller, bool) {
	for _, s := range sh.sellers {
		if s.ID == id {
			return s, true
		}
	}
	return pos.Seller{}, false
}

// accountName names an account for people: the seller's name, or
// "platform".
func (sh *shared) accountName(a pos.Account) string {
	if a.IsPlatform() {
		return "platform"
	}
	if s, ok := sh.sellerByID(a); ok {
		return sellerName(s)
	}
	return string(a)
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
	return sh.ink().Spinner.Render(spinnerFrames[sh.frame%len(spinnerFrames)])
}

// testKeys reports whether the console runs on test keys (sandbox or
// test mode): simulated readers and test cards exist.
func (sh *shared) testKeys() bool { return sh.deps.Mode != ModeLive }

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
