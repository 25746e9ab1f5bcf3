package app

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/supervisor"
)

// Messages a screen sends the root. Each is wrapped in a command (Push,
// Pop, …), so a screen returns it from Update like any other command.
type (
	// PushMsg puts Screen on top of the stack and runs its Init.
	PushMsg struct{ Screen Screen }
	// PopMsg closes the N top screens, or with To the screens above To
	// (never the bottom one); the screen then on top is resumed (Resumer).
	PopMsg struct {
		N  int
		To Screen
	}
	// ReplaceMsg closes Old (the top screen when nil) with the screens
	// above it and puts Screen in its place, running its Init (never the
	// bottom one).
	ReplaceMsg struct{ Old, Screen Screen }
	// HomeMsg closes every screen above the bottom one and pushes
	// Screens, bottom first, running each Init.
	HomeMsg struct{ Screens []Screen }
	// AskMsg opens Dialog above whatever screen is on top.
	AskMsg struct{ Dialog *Dialog }
	// StatusMsg shows Text in the status line for a few seconds.
	StatusMsg struct {
		Text string
		Tone Tone
	}
	// OpenAreaMsg opens a back-office area's PIN prompt above the screen
	// on top (from the back-office menu).
	OpenAreaMsg struct{ Area supervisor.Action }
)

// Emit wraps msg in a command.
func Emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Push asks the root to put s on top.
func Push(s Screen) tea.Cmd { return Emit(PushMsg{Screen: s}) }

// Pop asks the root to close the top screen.
func Pop() tea.Cmd { return Emit(PopMsg{N: 1}) }

// PopN asks the root to close the n top screens.
func PopN(n int) tea.Cmd { return Emit(PopMsg{N: n}) }

// PopTo asks the root to close the screens above s.
func PopTo(s Screen) tea.Cmd { return Emit(PopMsg{To: s}) }

// Replace asks the root to put s in place of the top screen.
func Replace(s Screen) tea.Cmd { return Emit(ReplaceMsg{Screen: s}) }

// ReplaceAt asks the root to put s in place of old, closing the screens
// above old (a picker opened above it).
func ReplaceAt(old, s Screen) tea.Cmd { return Emit(ReplaceMsg{Old: old, Screen: s}) }

// Home asks the root to close everything above the bottom screen and push
// screens.
func Home(screens ...Screen) tea.Cmd { return Emit(HomeMsg{Screens: screens}) }

// Ask asks the root to open d above the screens.
func Ask(d *Dialog) tea.Cmd { return Emit(AskMsg{Dialog: d}) }

// Say shows text in the status line.
func Say(t Tone, text string) tea.Cmd { return Emit(StatusMsg{Text: text, Tone: t}) }

// OpenArea asks the root for area's PIN prompt above the screen on top.
func OpenArea(area supervisor.Action) tea.Cmd { return Emit(OpenAreaMsg{Area: area}) }
