package sale

import (
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/widgets"
)

// stateText names a sale's state in loc (widgets.SaleStateText).
func stateText(loc *i18n.Locale, s pos.SaleState) string { return widgets.SaleStateText(loc, s) }

// refundStateText names a refund's state in loc.
func refundStateText(loc *i18n.Locale, s pos.RefundState) string {
	switch s {
	case pos.RefundDraft:
		return loc.T("sale.refund_state.draft")
	case pos.RefundRecorded:
		return loc.T("sale.refund_state.recorded")
	case pos.RefundSent:
		return loc.T("sale.refund_state.sent")
	case pos.RefundPending:
		return loc.T("sale.refund_state.pending")
	case pos.RefundSucceeded:
		return loc.T("sale.refund_state.succeeded")
	case pos.RefundFailed:
		return loc.T("sale.refund_state.failed")
	case pos.RefundUnknown:
		return loc.T("sale.refund_state.unknown")
	}
	return string(s)
}
