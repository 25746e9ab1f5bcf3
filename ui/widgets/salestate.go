package widgets

import (
	"kasse/i18n"
	"kasse/pos"
)

// SaleStateText names a sale's state in loc: for the live view's history,
// the start notice and sentences ("waiting for the card"), a customer's
// recent sales.
func SaleStateText(loc *i18n.Locale, s pos.SaleState) string {
	switch s {
	case pos.SaleDraft:
		return loc.T("sale.state.draft")
	case pos.SalePreparing:
		return loc.T("customers.state.preparing")
	case pos.SaleCreating:
		return loc.T("sale.state.creating")
	case pos.SaleProcessing:
		return loc.T("sale.state.processing")
	case pos.SaleWaitingForCard:
		return loc.T("sale.state.waiting_for_card")
	case pos.SaleRequiresCapture:
		return loc.T("sale.state.requires_capture")
	case pos.SaleCapturing:
		return loc.T("sale.state.capturing")
	case pos.SaleApproved:
		return loc.T("sale.state.approved")
	case pos.SaleDeclined:
		return loc.T("sale.state.declined")
	case pos.SaleCustomerCanceled:
		return loc.T("sale.state.customer_canceled")
	case pos.SaleReaderBusy:
		return loc.T("sale.state.reader_busy")
	case pos.SaleReaderOffline:
		return loc.T("sale.state.reader_offline")
	case pos.SaleInterrupted:
		return loc.T("sale.state.interrupted")
	case pos.SaleUnknown:
		return loc.T("sale.state.unknown")
	case pos.SaleCanceling:
		return loc.T("sale.state.canceling")
	case pos.SaleCanceled:
		return loc.T("sale.state.canceled")
	case pos.SaleFailed:
		return loc.T("sale.state.failed")
	}
	return string(s)
}
