package widgets

import (
	"strings"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
)

// NoticeText says in the session's language what an applied event did:
// "4.00 refunded outside Kasse: sale till-1-… at Lumen Coffee".
func NoticeText(sess *app.Session, n pos.Notice) string {
	sale := n.SaleID
	if sale == "" {
		sale = n.IntentID
	}
	a := i18n.Args{"Amount": i18n.Money{Amount: n.Amount, Currency: n.Currency}, "Sale": OrDash(sale),
		"Seller": AccountName(sess, n.Seller), "Reason": DisputeReason(n.Reason), "Status": DisputeStatus(sess, n.Status)}
	switch n.Kind {
	case pos.NoticeRefundElsewhere:
		return sess.T("events.notice.refund", a)
	case pos.NoticeCaptured:
		return sess.T("events.notice.captured", a)
	case pos.NoticeCanceled:
		return sess.T("events.notice.canceled", a)
	case pos.NoticeDisputeOpened:
		return sess.T("disputes.notice.opened", a)
	case pos.NoticeDisputeSubmitted:
		return sess.T("disputes.notice.submitted", a)
	case pos.NoticeDisputeClosed:
		return sess.T("disputes.notice.closed", a)
	}
	return ""
}

// DisputeStatus names a dispute status in the session's language.
func DisputeStatus(sess *app.Session, status string) string {
	switch status {
	case pos.DisputeNeedsResponse:
		return sess.T("disputes.status.needs_response")
	case pos.DisputeWarningNeedsResponse:
		return sess.T("disputes.status.inquiry")
	case pos.DisputeUnderReview, pos.DisputeWarningUnderReview:
		return sess.T("disputes.status.under_review")
	case pos.DisputeWon:
		return sess.T("disputes.status.won")
	case pos.DisputeLost:
		return sess.T("disputes.status.lost")
	case pos.DisputeWarningClosed:
		return sess.T("disputes.status.closed")
	}
	return status
}

// DisputeReason is Stripe's dispute reason as people read it: its code
// with spaces ("product not received"), the same in every language, as
// decline codes are.
func DisputeReason(reason string) string { return strings.ReplaceAll(reason, "_", " ") }
