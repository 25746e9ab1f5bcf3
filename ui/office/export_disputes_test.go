package office

import (
	"kasse/supervisor"
	"kasse/ui/widgets"
)

// Test access to the disputes desk's screens.

type (
	DisputesScreen   = disputesScreen
	DisputeScreen    = disputeScreen
	DisputeActScreen = disputeActScreen
)

func (s *disputesScreen) Rows() []supervisor.DisputeRow { return s.list.Rows }
func (s *disputeScreen) Row() supervisor.DisputeRow     { return s.row }
func (s *disputeActScreen) PINField() *widgets.Field    { return s.ok.PIN }
func (s *disputeActScreen) Evidence() map[string]string { return s.evidence() }
func (s *disputeActScreen) NoteField() *widgets.Field   { return s.note }
func (s *disputeActScreen) ReceiptField() *widgets.Field {
	return s.receipt
}
