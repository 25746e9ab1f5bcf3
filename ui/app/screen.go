package app

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is the contract of every screen. The root keeps the screens of a
// session on one stack: it draws the top one inside the chrome, gives it
// the keys, and gives every screen on the stack the other messages
// (results, timers), which each screen drops unless they are its own.
// Screens are pointers; Update changes them in place.
//
// A screen moves the console by message: Push, Pop, Replace and Home
// (messages.go). It asks a question above any screen with Ask and says
// something in the status line with Say.
type Screen interface {
	// Init is run when the screen goes on the stack (pushed, or replacing
	// the top): its first load, its first timer.
	Init() tea.Cmd
	// Update handles msg and returns the follow-up command.
	Update(msg tea.Msg) tea.Cmd
	// View renders the body: at most w columns and h lines (the root pads
	// and clips to exactly that).
	View(w, h int) string
	// Title names the screen (the help screen's heading).
	Title() string
	// ShortHelp is the key line under the screen; FullHelp is what `?`
	// shows (the root adds the global keys).
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// MinSize is the smallest terminal, chrome included, the screen is
	// usable in (DefaultMinSize for most; it may depend on what the
	// screen shows). Below it the root says so instead of drawing it.
	MinSize() (w, h int)
	// Loading reports whether something is under way: the root animates
	// the spinner while any screen on the stack is loading.
	Loading() bool
	// CapturesText reports whether printable keys are text input right
	// now (then `?` is typed, not help).
	CapturesText() bool
}

// Resumer is a screen that wants to know when it is on top again, after
// the screens above it closed: to reload, or to restart its refresh timer.
type Resumer interface {
	Resume() tea.Cmd
}

// Area is a screen of an area that opens above the seller list (the back
// office, the reconcile log). While one is on the stack the header names
// the area, and the operator whose PIN opened it, instead of seller ·
// location · reader; when the last one closes, the approval is forgotten.
type Area interface {
	Area() string
}

// Terminal size. Every screen is usable at 80×24; most need less. A screen
// that needs more than DefaultMinWidth×DefaultMinHeight (a wide table, a
// tall form) says so with MinSize.
const (
	DefaultMinWidth  = 60
	DefaultMinHeight = 15
)

// The chrome around a screen's body: two header lines (crumbs and a
// rule), the status line and the key help line.
const (
	HeaderHeight = 2
	FooterHeight = 2
)

// DefaultMinSize is the minimum of a screen without needs of its own.
func DefaultMinSize() (w, h int) { return DefaultMinWidth, DefaultMinHeight }

// BodyLines is the minimum terminal height for a body of n lines (header,
// status line and key help around it).
func BodyLines(n int) int { return n + HeaderHeight + FooterHeight }
