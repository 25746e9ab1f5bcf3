package office

import (
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui/widgets"
)

// Test access to the back office's screens (compiled into this package's
// tests only).

type (
	MenuScreen     = menuScreen
	PINScreen      = pinScreen
	TxScreen       = txScreen
	TxDetailScreen = txDetailScreen
	MoneyScreen    = moneyScreen
	EODScreen      = eodScreen
)

var TxStatusChoices = txStatusChoices

func (s *pinScreen) AreaAction() supervisor.Action { return s.area }
func (s *pinScreen) OperatorField() *widgets.Field { return s.ok.Op }
func (s *pinScreen) PINField() *widgets.Field      { return s.ok.PIN }

func (s *txScreen) Rows() []reports.Row { return s.res.Rows }

// Select puts the cursor on row i.
func (s *txScreen) Select(i int) { s.cursor = i }

func (s *txDetailScreen) Row() reports.Row { return s.row }
func (s *txDetailScreen) Loaded() bool     { return s.loaded }

func (s *moneyScreen) OperatorField() *widgets.Field { return s.ok.Op }
func (s *moneyScreen) PINField() *widgets.Field      { return s.ok.PIN }
