package ui

import tea "github.com/charmbracelet/bubbletea"

// Test access to the root (compiled into this package's tests only).

type AnimTick = animTickMsg

// ClearStatus is the status line's timer for status message seq.
func ClearStatus(seq int) tea.Msg { return clearStatusMsg{seq: seq} }
