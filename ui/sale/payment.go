package sale

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/checkout"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// paymentScreen is the live view of one sale from Charge to a final state.
// It feeds every result and timer into pos.Step and runs the effects it
// returns through the SaleRunner; the machine guarantees one request at a
// time, so each Tick polls at most once.
type paymentScreen struct {
	flow   *Flow
	deps   *app.Deps
	sess   *app.Session
	sale   pos.Sale
	seller pos.Seller
	loc    pos.Location
	reader pos.Reader

	lastRequestID string
	softErr       string // best-effort failures (reader display)
	log           []logEntry

	tickGen   int
	tickArmed bool
	tickDue   time.Time
	clockOn   bool

	confirm   bool // "cancel this payment?" is open
	cards     *testCardPicker
	presented string // last test-card result
	done      bool   // the flow was told the sale is final

	// effects are the charge's first effects, resume the event an offered
	// sale resumes with (nil for a charge): both run by Init.
	effects []pos.Effect
	resume  pos.SaleEvent
}

type logEntry struct {
	at   time.Time
	text string
}

// Timer messages of the live view. saleID and gen make stale ones harmless.
type (
	saleTickMsg struct {
		saleID string
		gen    int
	}
	clockTickMsg struct{ saleID string }
)

func newPaymentScreen(f *Flow, sale pos.Sale, seller pos.Seller, loc pos.Location, rd pos.Reader) *paymentScreen {
	p := &paymentScreen{flow: f, deps: f.deps, sess: f.sess, sale: sale, seller: seller, loc: loc, reader: rd}
	p.note(stateText(p.sess.Loc, sale.State))
	return p
}

// Init runs the charge's effects (or resumes an offered sale) and starts
// the timers.
func (p *paymentScreen) Init() tea.Cmd {
	cmd := p.start(p.effects)
	p.effects = nil
	if p.resume != nil {
		cmd = tea.Batch(cmd, p.step(p.resume))
		p.resume = nil
	}
	return cmd
}

// start runs the effects the charge produced and starts the timers.
func (p *paymentScreen) start(effs []pos.Effect) tea.Cmd {
	return tea.Batch(p.run(effs), p.arm(), p.clock())
}

func (p *paymentScreen) now() time.Time { return p.deps.Now() }

func (p *paymentScreen) run(effs []pos.Effect) tea.Cmd {
	return runEffectsCmd(p.deps.Runner, p.sale.ID, effs, p.deps.Timeout)
}

// step applies ev and returns the command for the effects and follow-ups.
func (p *paymentScreen) step(ev pos.SaleEvent) tea.Cmd {
	prev, before := p.sale, p.sale.State
	var effs []pos.Effect
	p.sale, effs = pos.Step(p.sale, ev)
	p.flow.note(p)
	// A sale that settled on a poll (approved, declined, …) is journaled by
	// the runner before the next request: Update itself does no I/O.
	effs = checkout.WithRecord(prev, p.sale, effs)
	if p.sale.State != before {
		p.note(stateText(p.sess.Loc, p.sale.State))
		if p.sale.State != pos.SaleCanceling {
			p.confirm = false
		}
	}
	if p.sale.State != pos.SaleWaitingForCard && p.sale.State != pos.SaleProcessing {
		p.cards = nil
	}
	return tea.Batch(p.run(effs), p.arm(), p.finish())
}

func (p *paymentScreen) note(text string) {
	p.log = append(p.log, logEntry{at: p.now(), text: text})
	if len(p.log) > 50 {
		p.log = p.log[len(p.log)-50:]
	}
}

// arm keeps one machine tick scheduled, no later than the sale's poll
// interval from now.
func (p *paymentScreen) arm() tea.Cmd {
	if p.sale.State.Final() {
		return nil
	}
	d := pos.PollInterval(p.sale)
	due := p.now().Add(d)
	if p.tickArmed && !p.tickDue.After(due) {
		return nil
	}
	p.tickGen++
	p.tickArmed, p.tickDue = true, due
	return p.deps.After(d, saleTickMsg{saleID: p.sale.ID, gen: p.tickGen})
}

// clock re-renders the elapsed time every second while the sale runs.
func (p *paymentScreen) clock() tea.Cmd {
	if p.clockOn || p.sale.State.Final() {
		return nil
	}
	p.clockOn = true
	return p.deps.After(time.Second, clockTickMsg{saleID: p.sale.ID})
}

// finish tells the flow once the sale is final and nothing is pending:
// an approved sale's receipt takes the live view's place.
func (p *paymentScreen) finish() tea.Cmd {
	if p.done || !p.sale.State.Final() || p.sale.Pending.Active() {
		return nil
	}
	p.done = true
	if p.sale.State == pos.SaleApproved {
		return p.flow.showReceipt(p)
	}
	return nil
}

func (p *paymentScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case saleResultMsg:
		if msg.saleID != p.sale.ID {
			return nil
		}
		if n := len(msg.requestIDs); n > 0 {
			p.lastRequestID = msg.requestIDs[n-1]
		}
		if msg.err != nil {
			p.softErr = widgets.ErrText(p.sess.Loc, msg.err)
		}
		var cmds []tea.Cmd
		for _, ev := range msg.events {
			cmds = append(cmds, p.step(ev))
		}
		return tea.Batch(cmds...)
	case saleTickMsg:
		if msg.saleID != p.sale.ID || msg.gen != p.tickGen {
			return nil
		}
		p.tickArmed = false
		return p.step(pos.Tick{At: p.now()})
	case clockTickMsg:
		if msg.saleID != p.sale.ID {
			return nil
		}
		p.clockOn = false
		return p.clock()
	case presentedMsg:
		if msg.saleID != p.sale.ID {
			return nil
		}
		p.presented = msg.text(p.sess.Loc)
		if msg.requestID != "" {
			p.lastRequestID = msg.requestID
		}
		if msg.err != nil || p.sale.State != pos.SaleWaitingForCard {
			return nil
		}
		// The card is on the reader now: read it at once rather than at the
		// waiting poll's next tick (up to 2 s), unless a read is out already.
		return p.step(pos.Tick{At: p.now()})
	case tea.KeyMsg:
		return p.key(msg)
	}
	return nil
}

// changeReader moves a waiting sale to another reader.
func (p *paymentScreen) changeReader(r pos.Reader) tea.Cmd {
	p.reader = r
	p.presented = ""
	return p.step(pos.ChangeReader{At: p.now(), ReaderID: r.ID, Owner: r.Owner})
}

func (p *paymentScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := p.deps.Keys
	state := p.sale.State
	if p.cards != nil {
		cmd, closed := p.cards.update(msg)
		if closed {
			p.cards = nil
		}
		return cmd
	}
	if p.confirm {
		switch {
		case key.Matches(msg, k.Yes):
			p.confirm = false
			return p.step(pos.CancelRequested{At: p.now(), Reason: "requested_by_customer"}) // i18n:ok a Stripe cancellation reason
		case key.Matches(msg, k.No):
			p.confirm = false
		}
		return nil
	}
	switch {
	case state.Final():
		if key.Matches(msg, k.NewSale, k.Back) && !p.sale.Pending.Active() {
			if state == pos.SaleApproved {
				return p.flow.showReceipt(p)
			}
			cart := p.sale.Cart
			return p.flow.leavePayment(&cart)
		}
	case key.Matches(msg, k.CancelSale, k.Back):
		if state != pos.SaleCanceling {
			p.confirm = true
		}
	case key.Matches(msg, k.Retry) && state.Decision():
		return p.step(pos.RetryRequested{At: p.now()})
	case key.Matches(msg, k.OtherReader) && state.Decision():
		return p.flow.switchReader()
	case key.Matches(msg, k.CheckStatus) && (state == pos.SaleUnknown || state == pos.SaleCanceling):
		return p.step(pos.RetryRequested{At: p.now()})
	case key.Matches(msg, k.Capture) && state == pos.SaleRequiresCapture:
		return p.step(pos.CaptureRequested{At: p.now()})
	case key.Matches(msg, k.TestCard):
		return p.openCards()
	}
	return nil
}

func (p *paymentScreen) openCards() tea.Cmd {
	switch {
	case !p.deps.TestMode():
		return app.Say(app.ToneWarn, p.sess.T("sale.payment.no_test_cards"))
	case p.sale.State != pos.SaleWaitingForCard || p.sale.IntentID == "":
		return app.Say(app.ToneWarn, p.sess.T("sale.payment.not_waiting"))
	}
	p.cards = newTestCardPicker(p.deps, p.sess, p.sale.ID, p.sale.ReaderOwner, p.sale.ReaderID, p.sale.Currency, !p.sale.Process.SkipTipping)
	return nil
}

func (p *paymentScreen) Title() string { return p.sess.T("sale.payment.title") }

func (p *paymentScreen) Loading() bool {
	return !p.sale.State.Final() && !p.sale.State.Decision() && p.sale.State != pos.SaleRequiresCapture
}

func (p *paymentScreen) CapturesText() bool { return p.cards != nil }

func (p *paymentScreen) ShortHelp() []key.Binding {
	k := p.deps.Keys
	state := p.sale.State
	var b []key.Binding
	switch {
	case p.cards != nil:
		return p.cards.shortHelp()
	case p.confirm:
		return []key.Binding{k.Yes, k.No}
	case state.Final():
		b = []key.Binding{k.NewSale}
	case state.Decision():
		b = []key.Binding{k.Retry, k.OtherReader, k.CancelSale}
	case state == pos.SaleRequiresCapture:
		b = []key.Binding{k.Capture, k.CancelSale}
	case state == pos.SaleUnknown || state == pos.SaleCanceling:
		b = []key.Binding{k.CheckStatus, k.CancelSale}
	default:
		b = []key.Binding{k.CancelSale}
	}
	if p.deps.TestMode() && state == pos.SaleWaitingForCard {
		b = append(b, k.TestCard)
	}
	return append(b, k.Help)
}

func (p *paymentScreen) FullHelp() [][]key.Binding {
	k := p.deps.Keys
	g := []key.Binding{k.Retry, k.OtherReader, k.CheckStatus, k.Capture, k.CancelSale, k.NewSale}
	if p.deps.TestMode() {
		g = append(g, k.TestCard)
	}
	return [][]key.Binding{g, {k.Yes, k.No}}
}

// MinSize: with the test-card picker open, the picker whole below the
// one-line summary of the panels.
func (p *paymentScreen) MinSize() (int, int) {
	if p.cards != nil {
		cards := p.cards.view()
		return max(app.DefaultMinWidth, lipgloss.Width(cards)), app.BodyLines(4 + lipgloss.Height(cards))
	}
	return app.DefaultMinSize()
}
