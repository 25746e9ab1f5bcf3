package serve

import (
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/x/ansi"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui"
	"kasse/ui/app"
)

// station is one counter's console: the console program (a tea.Program
// with the same screens, roles and PIN rules as the local console) of one
// operator. It runs on the host and outlives the SSH connection that
// started it while a payment runs: a dropped connection detaches it (its
// output goes nowhere, the sale's commands and timers keep driving the
// machine), and the same operator connecting again at the counter is
// attached to it and sees the live view or the outcome. Without a payment
// under way a dropped station ends at once, as ctrl+c ends it.
type station struct {
	srv       *Server
	counter   string
	operator  string
	key       string // the SSH key's fingerprint
	consoleID string
	loc       *i18n.Locale
	runner    *checkout.Runner
	log       *slog.Logger

	prog *tea.Program
	in   *io.PipeWriter // what the attached terminal types
	inR  *io.PipeReader
	out  outlet
	done chan struct{} // the program ended; err says why
	err  error

	poke    chan struct{} // cap 1: draw again (another counter's holds changed)
	changed chan struct{} // cap 1: a report came (the detached watch)

	mu       sync.Mutex
	state    app.CounterState
	conn     *attachment
	detached time.Time // when the last connection dropped (zero while attached)
	watching bool      // the detached watch runs
	audited  struct{ started, ended string }
}

// me is the station as a reader's holder.
func (st *station) me() app.ReaderHolder {
	return app.ReaderHolder{Operator: st.operator, Counter: st.counter}
}

// run runs the program until it ends; the caller cleans up after.
func (st *station) run() {
	defer close(st.done)
	defer func() {
		if r := recover(); r != nil { // Bubble Tea catches the program's own; this is ours
			st.err = errors.New("panic") // i18n:ok for the log; the counter reads serve.ended.crash
			st.log.Error("session panicked", "panic", r)
		}
	}()
	_, err := st.prog.Run()
	st.err = err
	_ = st.inR.Close()
}

// pumpPokes redraws the console when another counter's holds changed.
func (st *station) pumpPokes() {
	for {
		select {
		case <-st.done:
			return
		case <-st.poke:
			st.prog.Send(ui.HoldsChangedMsg{})
		}
	}
}

// pokeNow asks for a redraw without blocking.
func (st *station) pokeNow() {
	select {
	case st.poke <- struct{}{}:
	default:
	}
}

// ended reports whether the program has ended.
func (st *station) ended() bool {
	select {
	case <-st.done:
		return true
	default:
		return false
	}
}

// The console's side of app.Counter.

// Hold implements app.Counter.
func (st *station) Hold(id string) (app.ReaderHolder, bool) {
	h, ok, changed := st.srv.holds.take(id, st.me())
	if changed {
		st.srv.pokeOthers(st.counter)
	}
	return h, ok
}

// Holder implements app.Counter.
func (st *station) Holder(id string) (app.ReaderHolder, bool) {
	return st.srv.holds.holder(id, st.counter)
}

// Report implements app.Counter: the host keeps the readers the session
// still uses (a dropped one only its live payment's), audits a payment's
// start and end, and tells the detached watch.
func (st *station) Report(s app.CounterState) {
	st.mu.Lock()
	st.state = s
	attached := st.conn != nil
	var keep []string
	if attached && s.Reader != "" {
		keep = append(keep, s.Reader)
	}
	if s.Sale.Live && s.Sale.Reader != "" {
		keep = append(keep, s.Sale.Reader)
	}
	var started, ended bool
	if s.Sale.ID != "" && st.audited.started != s.Sale.ID {
		st.audited.started, started = s.Sale.ID, true
	}
	if s.Sale.ID != "" && !s.Sale.Live && st.audited.ended != s.Sale.ID {
		st.audited.ended, ended = s.Sale.ID, true
	}
	st.mu.Unlock()
	if st.srv.holds.keep(st.counter, keep...) {
		st.srv.pokeOthers(st.counter)
	}
	if started {
		st.audit("sale.charge", s.Sale.ID, saleDetail(s.Sale))
	}
	if ended {
		st.audit("sale."+string(s.Sale.State), s.Sale.ID, saleDetail(s.Sale))
	}
	select {
	case st.changed <- struct{}{}:
	default:
	}
}

// live reports whether the station's payment is under way.
func (st *station) live() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.state.Sale.Live
}

// audit appends an entry naming the station's operator, counter and key.
func (st *station) audit(action, subject, detail string) {
	st.srv.audit(st.operator, st.consoleID, st.key, action, subject, detail)
}

// Connections.

// attach shows the console on sess's terminal (resumed: it ran before,
// on another connection), replacing a connection still attached.
func (st *station) attach(sess ssh.Session, resumed bool) *attachment {
	a := newAttachment(sess, st.log)
	if resumed {
		// A new terminal: into the alternate screen, cleared, cursor
		// hidden, bracketed paste on — as the program set up the first.
		a.q <- []byte(ansi.SetAltScreenSaveCursorMode + ansi.EraseEntireScreen + ansi.CursorHomePosition +
			ansi.HideCursor + ansi.SetBracketedPasteMode)
	}
	st.mu.Lock()
	old := st.conn
	st.conn, st.detached = a, time.Time{}
	reader := st.state.Reader
	st.mu.Unlock()
	st.out.set(a)
	if old != nil {
		old.detach()         // after set: no Write sends to it any more
		_ = old.sess.Close() // a stale connection of the same operator
	}
	if reader != "" { // take the counter's reader back if no one took it meanwhile
		st.Hold(reader)
	}
	go a.pumpInput(st.in)
	_, winch, _ := sess.Pty()
	go func() {
		for w := range winch { // drained to the end: the session blocks otherwise
			if !a.gone.Load() {
				st.prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	if resumed {
		go st.prog.Send(app.StatusMsg{Text: st.loc.T("serve.resumed", i18n.Args{"Counter": st.counter}), Tone: app.ToneOK})
	}
	return a
}

// dropped detaches a, whose connection went away: without a payment under
// way the console ends (as ctrl+c ends it); with one it runs on, watched.
func (st *station) dropped(a *attachment) {
	st.mu.Lock()
	if st.conn != a {
		st.mu.Unlock()
		return
	}
	st.conn, st.detached = nil, time.Now()
	live := st.state.Sale.Live
	watch := live && !st.watching
	st.watching = st.watching || watch
	st.mu.Unlock()
	st.out.clear(a)
	a.detach()
	// The readers of the dropped terminal go; a live payment's stays.
	st.Report(st.snapshot())
	if !live {
		go st.prog.Send(ui.HangUpMsg{})
		return
	}
	st.log.Info("connection dropped during a payment; the sale runs on", "sale", st.snapshot().Sale.ID)
	if watch {
		go st.watchDetached()
	}
}

func (st *station) snapshot() app.CounterState {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.state
}

// watchDetached follows a detached station: its payment is canceled when
// it is left longer than LiveLimit, and the station ends OutcomeGrace
// after the payment settled, unless the operator came back.
func (st *station) watchDetached() {
	defer func() {
		st.mu.Lock()
		st.watching = false
		st.mu.Unlock()
	}()
	tick := time.NewTicker(st.srv.opts.tick())
	defer tick.Stop()
	var quietSince time.Time
	canceled := false
	for {
		select {
		case <-st.done:
			return
		case <-st.changed:
		case <-tick.C:
		}
		st.mu.Lock()
		attached, live, since := st.conn != nil, st.state.Sale.Live, time.Since(st.detached)
		st.mu.Unlock()
		switch {
		case attached:
			return
		case live && since > st.srv.opts.liveLimit() && !canceled:
			canceled = true
			st.log.Warn("a dropped session's payment was left too long; canceling it", "after", since)
			go st.prog.Send(ui.ShutdownMsg{})
		case live:
			quietSince = time.Time{}
		case quietSince.IsZero():
			quietSince = time.Now()
		case time.Since(quietSince) > st.srv.opts.outcomeGrace():
			go st.prog.Send(ui.HangUpMsg{})
			return
		}
	}
}

// outlet is the program's output: the attached connection's, or nowhere.
// It never blocks the program: a terminal that does not keep up loses its
// connection (and gets the whole screen again when it comes back).
type outlet struct {
	mu sync.Mutex
	a  *attachment
}

func (o *outlet) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if a := o.a; a != nil && !a.gone.Load() {
		select {
		case a.q <- append([]byte(nil), p...):
		default:
			a.stalled()
		}
	}
	return len(p), nil
}

func (o *outlet) set(a *attachment) {
	o.mu.Lock()
	o.a = a
	o.mu.Unlock()
}

// clear sends the output nowhere if it still goes to a (so a may be
// closed: no Write sends to it any more).
func (o *outlet) clear(a *attachment) {
	o.mu.Lock()
	if o.a == a {
		o.a = nil
	}
	o.mu.Unlock()
}

// attachment is one SSH connection showing a station.
type attachment struct {
	sess    ssh.Session
	q       chan []byte   // frames to write, in order
	flushed chan struct{} // the writer ended
	gone    atomic.Bool   // detached: nothing more in or out
	once    sync.Once
	log     *slog.Logger
}

// queueFrames bounds the frames waiting for a slow terminal.
const queueFrames = 512

func newAttachment(sess ssh.Session, log *slog.Logger) *attachment {
	a := &attachment{sess: sess, q: make(chan []byte, queueFrames), flushed: make(chan struct{}), log: log}
	go a.write()
	return a
}

func (a *attachment) write() {
	defer close(a.flushed)
	for b := range a.q {
		if _, err := a.sess.Write(b); err != nil {
			a.gone.Store(true)
			for range a.q { // drain until closed
			}
			return
		}
	}
}

// pumpInput copies what the terminal types into the program until the
// connection ends or is detached.
func (a *attachment) pumpInput(in io.Writer) {
	buf := make([]byte, 1024)
	for {
		n, err := a.sess.Read(buf)
		if n > 0 && !a.gone.Load() {
			if _, werr := in.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil || a.gone.Load() {
			return
		}
	}
}

// stalled: the terminal does not read its output; drop the connection.
func (a *attachment) stalled() {
	if a.gone.CompareAndSwap(false, true) {
		a.log.Warn("a counter's terminal stopped reading; dropping its connection")
		go a.sess.Close()
	}
}

// detach ends input and output of a (idempotent).
func (a *attachment) detach() {
	a.gone.Store(true)
	a.once.Do(func() { close(a.q) })
}

// flush waits (at most d) until what the program wrote is on the wire,
// then detaches.
func (a *attachment) flush(d time.Duration) {
	a.once.Do(func() { close(a.q) })
	select {
	case <-a.flushed:
	case <-time.After(d):
	}
	a.gone.Store(true)
}

// saleDetail is an audit line's detail for a payment: amount, seller,
// reader, state.
func saleDetail(s app.CounterSale) string {
	return pos.Format(s.Amount, s.Currency) + " at " + string(s.Seller) + " on " + s.Reader + " (" + string(s.State) + ")"
}
