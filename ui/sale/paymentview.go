package sale

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

func (p *paymentScreen) View(w, h int) string {
	st := p.deps.Ink(p.sess)
	s, sess := p.sale, p.sess
	head := st.Title.Render(p.Title()) + st.Muted.Render(" · ") + st.Total.Render(sess.Money(s.Amount, s.Currency)) +
		st.Muted.Render(" · "+widgets.SellerName(p.seller))
	right := st.Muted.Render(sess.T("sale.payment.elapsed", i18n.Args{"Elapsed": elapsed(p.elapsed())}))
	var b strings.Builder
	b.WriteString(widgets.Spread(head, right, w) + "\n\n")
	if p.cards != nil {
		// The picker must be seen whole: without room for the panels too,
		// one line sums them up.
		cards, panels := p.cards.view(), p.panels(w)
		if 2+lipgloss.Height(panels)+1+lipgloss.Height(cards) > h {
			panels = p.compactPanels(w)
		}
		b.WriteString(panels + "\n\n" + cards)
		return b.String()
	}
	b.WriteString(p.panels(w) + "\n\n")
	b.WriteString(p.stateLine() + "\n")
	for _, l := range p.details() {
		b.WriteString(widgets.WrapText(l, w) + "\n") // errors and notices are read whole
	}
	b.WriteByte('\n')
	meta := st.Label.Render(sess.T("sale.payment.last_request")+" ") + st.Value.Render(widgets.OrDash(p.lastRequestID)) +
		st.Label.Render("   "+sess.T("sale.payment.sale")+" ") + st.Value.Render(s.ID)
	b.WriteString(meta + "\n")
	used := strings.Count(b.String(), "\n")
	if room := h - used - 1; room > 0 {
		b.WriteString(st.Label.Render(sess.T("sale.payment.history")) + "\n")
		from := max(0, len(p.log)-(room-1))
		for _, e := range p.log[from:] {
			b.WriteString(st.Faint.Render(sess.FormatTime(e.at, "format.time")+"  ") + st.Muted.Render(e.text) + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func (p *paymentScreen) elapsed() time.Duration {
	s := p.sale
	if s.ChargedAt.IsZero() {
		return 0
	}
	end := p.now()
	if s.State.Final() && !s.DoneAt.IsZero() {
		end = s.DoneAt
	}
	return max(0, end.Sub(s.ChargedAt))
}

// elapsed is m:ss, the same in every language.
func elapsed(d time.Duration) string {
	d = d.Truncate(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// panels renders the reader and the payment intent side by side.
// compactPanels is the panels in one line (reader, its state, the
// payment's status), for when a dialog needs the room.
func (p *paymentScreen) compactPanels(w int) string {
	st := p.deps.Styles
	rv := p.sale.Reader
	reader := st.Title.Render(widgets.ReaderName(p.reader)) + " " + widgets.OrDash(readerStatusText(p.sess.Loc, rv.Status))
	if rv.ActionStatus != "" {
		reader += " · " + rv.ActionStatus
	}
	return widgets.Cell(reader+"   "+widgets.OrDash(p.sale.IntentID)+" · "+widgets.OrDash(p.sale.IntentStatus), w)
}

// readerStatusText is a reader's network status in loc ("online").
func readerStatusText(loc *i18n.Locale, status string) string {
	switch status {
	case "online":
		return loc.T("sale.reader.online")
	case "offline":
		return loc.T("sale.reader.offline")
	}
	return status
}

// The panels show Stripe's own names for the reader action's and the
// PaymentIntent's status (in_progress, requires_capture): the words of
// the API, the Dashboard and support, in every language.
func (p *paymentScreen) panels(w int) string {
	st := p.deps.Ink(p.sess)
	s, sess := p.sale, p.sess
	pw := max(20, (w-1)/2)
	inner := pw - 4
	labelW := 9
	for _, id := range []string{"sale.payment.reader", "sale.payment.status", "sale.payment.action", "sale.payment.state",
		"sale.payment.card", "sale.payment.read_at", "sale.payment.payment", "sale.payment.amount", "sale.payment.tip",
		"sale.payment.capture"} {
		labelW = max(labelW, app.TextWidth(sess.Loc.T(id))+1)
	}
	kv := func(k, v string) string {
		return widgets.Cell(st.Label.Render(widgets.Cell(k, labelW))+v, inner)
	}
	rv := s.Reader
	online := st.Muted.Render(sess.T("sale.payment.not_read"))
	switch {
	case rv.Status == "online":
		online = st.Success.Render("● " + readerStatusText(sess.Loc, rv.Status))
	case rv.Status != "":
		online = st.Danger.Render("● " + readerStatusText(sess.Loc, rv.Status))
	}
	card := "—"
	switch {
	case rv.BusyWithOther(s.IntentID):
		card = st.Warning.Render(sess.T("sale.payment.card_busy"))
	case rv.ActionStatus == pos.ActionInProgress && s.CardPresented:
		card = st.Warning.Render(sess.T("sale.payment.card_presented"))
	case rv.ActionStatus == pos.ActionInProgress:
		card = sess.T("sale.payment.card_waiting")
	}
	seen := "—"
	if !rv.SeenAt.IsZero() {
		seen = sess.FormatTime(rv.SeenAt, "format.time")
	}
	action := widgets.OrDash(rv.ActionType)
	left := []string{
		kv(sess.T("sale.payment.reader"), st.Title.Render(widgets.ReaderName(p.reader))),
		kv(sess.T("sale.payment.status"), online),
		kv(sess.T("sale.payment.action"), action),
		kv(sess.T("sale.payment.state"), actionState(st, rv.ActionStatus, rv.FailureCode)),
		kv(sess.T("sale.payment.card"), card),
		kv(sess.T("sale.payment.read_at"), seen),
	}

	tip := "—"
	if s.Tip != nil {
		tip = sess.Money(*s.Tip, s.Currency)
	}
	cardText := "—"
	if s.Card.Last4 != "" {
		cardText = s.Card.Brand + " ····" + s.Card.Last4
	}
	right := []string{
		kv(sess.T("sale.payment.payment"), st.Title.Render(widgets.OrDash(s.IntentID))),
		kv(sess.T("sale.payment.status"), intentState(st, sess.Loc, s.IntentStatus)),
		kv(sess.T("sale.payment.amount"), sess.Money(s.Amount, s.Currency)),
		kv(sess.T("sale.payment.tip"), tip),
		kv(sess.T("sale.payment.card"), cardText),
		kv(sess.T("sale.payment.capture"), captureText(sess.Loc, s.CaptureMethod)),
	}
	box := st.Box(pw - 2)
	return app.JoinBoxes(box.Render(left), " ", box.Render(right))
}

// captureText names a capture method in loc (automatic, manual).
func captureText(loc *i18n.Locale, method string) string {
	switch method {
	case "automatic":
		return loc.T("sale.payment.capture_automatic")
	case "manual":
		return loc.T("sale.payment.capture_manual")
	}
	return method
}

func actionState(st *app.Inks, status, failure string) string {
	switch status {
	case "":
		return "—"
	case pos.ActionSucceeded:
		return st.Success.Render(status)
	case pos.ActionFailed:
		return st.Danger.Render(status + " " + failure)
	}
	return st.Warning.Render(status)
}

func intentState(st *app.Inks, loc *i18n.Locale, status string) string {
	switch status {
	case "":
		return st.Muted.Render(loc.T("sale.payment.not_created"))
	case pos.IntentSucceeded, pos.IntentRequiresCapture:
		return st.Success.Render(status)
	case pos.IntentCanceled:
		return st.Danger.Render(status)
	}
	return st.Value.Render(status)
}

// stateLine is the one big line that says what is happening.
func (p *paymentScreen) stateLine() string {
	st := p.deps.Ink(p.sess)
	s, sess := p.sale, p.sess
	names := i18n.Args{"Reader": widgets.ReaderName(p.reader), "Seller": widgets.SellerName(p.seller)}
	if p.confirm {
		return st.Warning.Render(sess.T("sale.payment.confirm_cancel"))
	}
	spin := p.deps.Spinner(p.sess) + " "
	if s.Throttle.Active() && s.InProgress() {
		// Stripe answered 429; the machine resends after a back-off.
		return spin + st.Warning.Render(sess.T("sale.rate_limited"))
	}
	if line, ok := p.customerState(names); ok { // paymentcustomer.go
		return spin + line
	}
	switch s.State {
	case pos.SaleCreating:
		return spin + sess.T("sale.payment.creating", names)
	case pos.SaleProcessing:
		return spin + sess.T("sale.payment.sending", names)
	case pos.SaleWaitingForCard:
		if s.CardPresented {
			return spin + sess.T("sale.payment.authorizing")
		}
		return spin + sess.T("sale.payment.waiting", names)
	case pos.SaleRequiresCapture:
		return st.Success.Render(sess.T("sale.payment.authorized", i18n.Args{"Amount": i18n.Money{Amount: s.AmountCapturable, Currency: s.Currency}}))
	case pos.SaleCapturing:
		return spin + sess.T("sale.payment.capturing")
	case pos.SaleApproved:
		return st.Success.Render("✓ " + sess.T("sale.payment.approved", i18n.Args{"Amount": i18n.Money{Amount: s.Amount, Currency: s.Currency}}))
	case pos.SaleDeclined:
		return st.Danger.Render("✗ " + sess.T("sale.payment.declined"))
	case pos.SaleCustomerCanceled:
		return st.Warning.Render(sess.T("sale.payment.customer_canceled"))
	case pos.SaleReaderBusy:
		return st.Warning.Render(sess.T("sale.payment.reader_busy", names))
	case pos.SaleReaderOffline:
		return st.Danger.Render(sess.T("sale.payment.reader_offline", names))
	case pos.SaleInterrupted:
		return st.Warning.Render(interruption(sess.Loc, s, names))
	case pos.SaleUnknown:
		return spin + st.Warning.Render(checkText(sess.Loc, s.Checking))
	case pos.SaleCanceling:
		return spin + sess.T("sale.payment.canceling")
	case pos.SaleCanceled:
		return st.Warning.Render(sess.T("sale.payment.canceled"))
	case pos.SaleFailed:
		return st.Danger.Render("✗ " + sess.T("sale.payment.failed"))
	}
	return stateText(sess.Loc, s.State)
}

func interruption(loc *i18n.Locale, s pos.Sale, names i18n.Args) string {
	switch s.Interruption {
	case pos.InterruptIdle:
		return loc.T("sale.payment.interrupted_idle", names)
	case pos.InterruptLeftReader:
		return loc.T("sale.payment.interrupted_left", names)
	case pos.InterruptReaderError:
		return loc.T("sale.payment.interrupted_reader_error", names)
	case pos.InterruptNotSent:
		return loc.T("sale.payment.interrupted_not_sent")
	case pos.InterruptNoPickup:
		return loc.T("sale.payment.interrupted_no_pickup", names)
	}
	return loc.T("sale.payment.interrupted")
}

// checkText is the state line while the outcome is unknown: what is being
// checked.
func checkText(loc *i18n.Locale, c pos.Check) string {
	switch c {
	case pos.CheckCreate:
		return loc.T("sale.payment.checking_create")
	case pos.CheckProcess:
		return loc.T("sale.payment.checking_process")
	case pos.CheckPayment:
		return loc.T("sale.payment.checking_payment")
	case pos.CheckCapture:
		return loc.T("sale.payment.checking_capture")
	}
	return loc.T("sale.payment.checking")
}

// details are the lines under the state line: decline text, errors, what
// the cashier can do, notices.
func (p *paymentScreen) details() []string {
	st := p.deps.Ink(p.sess)
	s, sess := p.sale, p.sess
	var out []string
	if s.Decline != nil && s.State == pos.SaleDeclined {
		msg, hint := widgets.Decline(sess.Loc, s.Decline.Code, s.Decline.DeclineCode)
		code := s.Decline.Code
		if s.Decline.DeclineCode != "" {
			code += " / " + s.Decline.DeclineCode
		}
		out = append(out, st.Value.Render(msg)+" "+st.Muted.Render("("+code+")"), st.Muted.Render(hint))
	}
	if s.LastError != nil && !s.State.Final() || s.State == pos.SaleFailed && s.LastError != nil {
		out = append(out, st.Danger.Render(sess.T("sale.payment.last_error"))+widgets.ErrText(sess.Loc, s.LastError))
	}
	switch {
	case s.State.Decision():
		out = append(out, st.Muted.Render(sess.T("sale.payment.decision_hint")))
	case s.State.Final():
		out = append(out, st.Muted.Render(sess.T("sale.payment.final_hint")))
	}
	out = append(out, p.customerLines()...) // paymentcustomer.go
	if s.Notice != "" {
		out = append(out, st.Warning.Render(widgets.Notice(sess.Loc, s.Notice)))
	}
	if p.presented != "" {
		out = append(out, st.Muted.Render(p.presented))
	}
	if p.softErr != "" {
		out = append(out, st.Faint.Render(p.softErr))
	}
	return out
}
