package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/ui/app"
)

// The types the composition root fills in, from package app (the screens'
// package) under the names it has always used.
type (
	Deps         = app.Deps
	SignIn       = app.SignIn
	QuickKey     = app.QuickKey
	Remembered   = app.Remembered
	Prefs        = app.Prefs
	LogEntry     = app.LogEntry
	ReconcileLog = app.ReconcileLog
	Saver        = app.Saver
	SaleRunner   = app.SaleRunner
	Guard        = app.Guard
	Supervisor   = app.Supervisor
	Reports      = app.Reports
	Fleet        = app.Fleet
)

// New builds the console's one local session on d, signed in as
// d.Operator and d.Role, in d.Locale's language (English when nil). Call
// Validate first (Run does).
func New(d Deps) *Model {
	shared := d.Prepared()
	return NewSession(shared, shared.SignIn())
}

// Run validates d and runs the console full-screen until the operator quits.
func Run(d Deps) error {
	if err := d.Validate(); err != nil {
		return err
	}
	_, err := tea.NewProgram(New(d), tea.WithAltScreen()).Run()
	return err
}
