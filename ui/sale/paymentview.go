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
	s := p.sale
	head := st.Title.Render("Payment") + st.Muted.Render(" · ") + st.Total.Render(pos.Format(s.Amount, s.Currency)) +
		st.Muted.Render(" · "+widgets.SellerName(p.seller))
	right := st.Muted.Render("elapsed " + elapsed(p.elapsed()))
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
	meta := st.Label.Render("last request ") + st.Value.Render(widgets.OrDash(p.lastRequestID)) +
		st.Label.Render("   sale ") + st.Value.Render(s.ID)
	b.WriteString(meta + "\n")
	used := strings.Count(b.String(), "\n")
	if room := h - used - 1; room > 0 {
		b.WriteString(st.Label.Render("History") + "\n")
		from := max(0, len(p.log)-(room-1))
		for _, e := range p.log[from:] {
			b.WriteString(st.Faint.Render(e.at.Format("15:04:05")+"  ") + st.Muted.Render(e.text) + "\n")
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
	reader := st.Title.Render(widgets.ReaderName(p.reader)) + " " + widgets.OrDash(rv.Status)
	if rv.ActionStatus != "" {
		reader += " · " + rv.ActionStatus
	}
	return widgets.Cell(reader+"   "+widgets.OrDash(p.sale.IntentID)+" · "+widgets.OrDash(p.sale.IntentStatus), w)
}

func (p *paymentScreen) panels(w int) string {
	st := p.deps.Ink(p.sess)
	s := p.sale
	pw := max(20, (w-1)/2)
	inner := pw - 4
	kv := func(k, v string) string {
		return widgets.Cell(st.Label.Render(widgets.Cell(k, 9))+v, inner)
	}
	rv := s.Reader
	online := st.Muted.Render("not read yet")
	switch {
	case rv.Status == "online":
		online = st.Success.Render("● online")
	case rv.Status != "":
		online = st.Danger.Render("● " + rv.Status)
	}
	card := "—"
	switch {
	case rv.BusyWithOther(s.IntentID):
		card = st.Warning.Render("busy: another payment")
	case rv.ActionStatus == pos.ActionInProgress && s.CardPresented:
		card = st.Warning.Render("presented, authorizing")
	case rv.ActionStatus == pos.ActionInProgress:
		card = "waiting for card"
	}
	seen := "—"
	if !rv.SeenAt.IsZero() {
		seen = rv.SeenAt.Format("15:04:05")
	}
	action := widgets.OrDash(rv.ActionType)
	left := []string{
		kv("Reader", st.Title.Render(widgets.ReaderName(p.reader))),
		kv("status", online),
		kv("action", action),
		kv("state", actionState(st, rv.ActionStatus, rv.FailureCode)),
		kv("card", card),
		kv("read at", seen),
	}

	tip := "—"
	if s.Tip != nil {
		tip = pos.Format(*s.Tip, s.Currency)
	}
	cardText := "—"
	if s.Card.Last4 != "" {
		cardText = s.Card.Brand + " ····" + s.Card.Last4
	}
	right := []string{
		kv("Payment", st.Title.Render(widgets.OrDash(s.IntentID))),
		kv("status", intentState(st, s.IntentStatus)),
		kv("amount", pos.Format(s.Amount, s.Currency)),
		kv("tip", tip),
		kv("card", cardText),
		kv("capture", s.CaptureMethod),
	}
	box := st.Box(pw - 2)
	return app.JoinBoxes(box.Render(left), " ", box.Render(right))
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

func intentState(st *app.Inks, status string) string {
	switch status {
	case "":
		return st.Muted.Render("not created yet")
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
	s := p.sale
	rd := widgets.ReaderName(p.reader)
	if p.confirm {
		return st.Warning.Render("Cancel this payment?  y cancels it · n keeps waiting")
	}
	spin := p.deps.Spinner(p.sess) + " "
	if s.Throttle.Active() && s.InProgress() {
		// Stripe answered 429; the machine resends after a back-off. (The
		// console has no session Locale yet: English until issue 16's sweep.)
		return spin + st.Warning.Render(i18n.New(i18n.English).T("sale.rate_limited"))
	}
	switch s.State {
	case pos.SaleCreating:
		return spin + "Creating the payment on " + widgets.SellerName(p.seller) + "…"
	case pos.SaleProcessing:
		return spin + "Sending the payment to " + rd + "…"
	case pos.SaleWaitingForCard:
		if s.CardPresented {
			return spin + "Card presented — authorizing…"
		}
		return spin + "Waiting for the customer's card on " + rd + "…"
	case pos.SaleRequiresCapture:
		return st.Success.Render("Authorized " + pos.Format(s.AmountCapturable, s.Currency) + " — enter captures, c voids it.")
	case pos.SaleCapturing:
		return spin + "Capturing…"
	case pos.SaleApproved:
		return st.Success.Render("✓ Approved " + pos.Format(s.Amount, s.Currency))
	case pos.SaleDeclined:
		return st.Danger.Render("✗ Declined")
	case pos.SaleCustomerCanceled:
		return st.Warning.Render("The customer canceled on the reader.")
	case pos.SaleReaderBusy:
		return st.Warning.Render(rd + " is busy with another request.")
	case pos.SaleReaderOffline:
		return st.Danger.Render(rd + " is offline.")
	case pos.SaleInterrupted:
		return st.Warning.Render(interruption(s, rd))
	case pos.SaleUnknown:
		return spin + st.Warning.Render("Outcome unknown — checking "+checkText(s.Checking)+"…")
	case pos.SaleCanceling:
		return spin + "Canceling the payment…"
	case pos.SaleCanceled:
		return st.Warning.Render("Canceled — nothing was charged.")
	case pos.SaleFailed:
		return st.Danger.Render("✗ The payment failed.")
	}
	return string(s.State)
}

func interruption(s pos.Sale, rd string) string {
	switch s.Interruption {
	case pos.InterruptIdle:
		return "No card in time; " + rd + " was cleared. The payment is still open."
	case pos.InterruptLeftReader:
		return "The payment left " + rd + " (canceled or replaced there)."
	case pos.InterruptReaderError:
		return rd + " reported an error before a card was read."
	case pos.InterruptNotSent:
		return "The request could not be sent."
	case pos.InterruptNoPickup:
		return rd + " did not take the payment."
	}
	return "The payment was interrupted."
}

func checkText(c pos.Check) string {
	switch c {
	case pos.CheckCreate:
		return "whether the payment was created"
	case pos.CheckProcess:
		return "whether the reader got the payment"
	case pos.CheckPayment:
		return "what happened to the payment"
	case pos.CheckCapture:
		return "whether the capture went through"
	}
	return "the payment"
}

// details are the lines under the state line: decline text, errors, what
// the cashier can do, notices.
func (p *paymentScreen) details() []string {
	st := p.deps.Ink(p.sess)
	s := p.sale
	var out []string
	if s.Decline != nil && s.State == pos.SaleDeclined {
		msg, hint := pos.DeclineReason(s.Decline.Code, s.Decline.DeclineCode)
		code := s.Decline.Code
		if s.Decline.DeclineCode != "" {
			code += " / " + s.Decline.DeclineCode
		}
		out = append(out, st.Value.Render(msg)+" "+st.Muted.Render("("+code+")"), st.Muted.Render(hint))
	}
	if s.LastError != nil && !s.State.Final() || s.State == pos.SaleFailed && s.LastError != nil {
		out = append(out, st.Danger.Render("Last error: ")+widgets.ErrText(s.LastError))
	}
	switch {
	case s.State.Decision():
		out = append(out, st.Muted.Render("r retries the same payment · o uses another reader · c cancels"))
	case s.State.Final():
		out = append(out, st.Muted.Render("enter continues"))
	}
	if s.Notice != "" {
		out = append(out, st.Warning.Render(s.Notice))
	}
	if p.presented != "" {
		out = append(out, st.Muted.Render(p.presented))
	}
	if p.softErr != "" {
		out = append(out, st.Faint.Render(p.softErr))
	}
	return out
}
