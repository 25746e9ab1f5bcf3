package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/logging"
	gossh "golang.org/x/crypto/ssh"

	"kasse/checkout"
	"kasse/config"
	"kasse/i18n"
	"kasse/internal/app"
	"kasse/internal/console"
	"kasse/journal"
	"kasse/pos"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui"
	uiapp "kasse/ui/app"
)

// Options configure a Server. Zero durations take the defaults.
type Options struct {
	Listen         string // host:port
	AuthorizedKeys string // the authorized keys file
	HostKey        string // the host key file (created on first run)
	// OutcomeGrace is how long a dropped session stays after its payment
	// settled, for its operator to come back to the outcome (default 10
	// minutes); its reader is free meanwhile.
	OutcomeGrace time.Duration
	// LiveLimit is how long a dropped session's payment may run without
	// its operator before it is canceled (default 15 minutes).
	LiveLimit time.Duration
	// ShutdownWait bounds how long a shutdown waits for payments under way
	// to finish or cancel (default 30 seconds).
	ShutdownWait time.Duration
	// Tick is how often a dropped session is looked at (default 1 s).
	Tick time.Duration
	// ShareWindow is the reader poll sharing window
	// (checkout.DefaultShareWindow).
	ShareWindow time.Duration
}

func (o Options) outcomeGrace() time.Duration { return orDefault(o.OutcomeGrace, 10*time.Minute) }
func (o Options) liveLimit() time.Duration    { return orDefault(o.LiveLimit, 15*time.Minute) }
func (o Options) shutdownWait() time.Duration { return orDefault(o.ShutdownWait, 30*time.Second) }
func (o Options) tick() time.Duration         { return orDefault(o.Tick, time.Second) }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Server serves the console to the counters of one host over SSH: one
// station (console program) per counter, sharing the App's Stripe client
// (behind one request budget and one reader poll per reader), journal and
// configuration; the readers held at each counter; the audit trail.
type Server struct {
	opts  Options
	app   *app.App
	base  *ui.Deps
	coal  *checkout.Coalescer
	log   *slog.Logger
	holds holds
	ops   *operators // read again for every session

	auditMu     sync.RWMutex // guards auditQ's closing
	auditQ      chan journal.AuditEntry
	auditClosed bool
	auditDone   chan struct{}

	// live mirrors stations for pokeOthers, which Report calls while
	// claim may hold mu.
	liveMu sync.Mutex
	live   map[string]*station

	mu       sync.Mutex
	stations map[string]*station
	closing  bool
	wg       sync.WaitGroup // stations
	handlers atomic.Int64   // session handlers running (Shutdown lets them say goodbye)
	settling sync.WaitGroup // settlements after sessions that left a sale open

	// wrap, when set (tests), wraps every station's console model.
	wrap func(tea.Model) tea.Model
}

// New prepares a server on a: it settles the journal (every open sale: no
// cashier is connected yet), checks the authorized keys file and the host
// key. It listens on nothing yet (Serve).
func New(ctx context.Context, a *app.App, opts Options) (*Server, error) {
	if opts.HostKey == "" {
		opts.HostKey = filepath.Join(a.Config.DataDir, HostKeyFile)
	}
	s := &Server{opts: opts, app: a, log: a.Log.With("component", "serve"), stations: map[string]*station{},
		live: map[string]*station{}, auditQ: make(chan journal.AuditEntry, 1024), auditDone: make(chan struct{}),
		ops: newOperators(a.Config)}
	ks, err := ReadKeys(opts.AuthorizedKeys)
	if err != nil {
		return nil, err
	}
	s.checkKeys(ks)
	d, err := console.HostDeps(ctx, a)
	if err != nil {
		return nil, err
	}
	s.coal = &checkout.Coalescer{Terminal: a.Client, Presenter: a.Runner.Presenter, Window: opts.ShareWindow}
	d.Terminal, d.Presenter = s.coal, s.coal.Presenting()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	s.base = d.Prepared()
	go s.writeAudit()
	return s, nil
}

// checkKeys logs what is wrong with the authorized keys file, and keys
// whose operator the configuration does not have.
func (s *Server) checkKeys(ks *Keys) {
	for _, p := range ks.Problems {
		s.log.Warn("authorized keys: line skipped", "file", ks.Path, "problem", i18n.Neutral().Render(p))
	}
	usable := 0
	for _, k := range ks.Keys {
		if _, ok := s.app.Config.OperatorByName(k.Operator); !ok {
			s.log.Warn("authorized keys: the key's operator is not in the configuration; it will be refused",
				"file", ks.Path, "operator", k.Operator, "fingerprint", k.Fingerprint)
			continue
		}
		usable++
	}
	if usable == 0 {
		s.log.Warn("authorized keys: no key names a configured operator; nobody can sign in yet", "file", ks.Path)
	}
}

// Problems are what ReadKeys and the configuration found wrong with the
// authorized keys file, for the command to print at start.
func (s *Server) Problems() []i18n.Message {
	ks, err := ReadKeys(s.opts.AuthorizedKeys)
	if err != nil {
		return []i18n.Message{i18n.M("cli.serve.error", i18n.Args{"Error": err})}
	}
	out := append([]i18n.Message(nil), ks.Problems...)
	for _, k := range ks.Keys {
		if _, ok := s.app.Config.OperatorByName(k.Operator); !ok {
			out = append(out, i18n.M("cli.serve.keys.unknown_operator", i18n.Args{"Fingerprint": k.Fingerprint, "Operator": strconv.Quote(k.Operator)}))
		}
	}
	return out
}

// Serve listens on Options.Listen and serves until ctx ends, then shuts
// down gracefully (Shutdown). ready is called once it listens, with the
// address and the host key's fingerprint.
func (s *Server) Serve(ctx context.Context, ready func(addr, hostKey string)) error {
	pemBytes, fp, err := hostKey(s.opts.HostKey)
	if err != nil {
		return err
	}
	srv, err := wish.NewServer(
		wish.WithHostKeyPEM(pemBytes),
		wish.WithPublicKeyAuth(s.authorize),
		ssh.EmulatePty(),
		wish.WithMiddleware(
			func(next ssh.Handler) ssh.Handler {
				return func(sess ssh.Session) { s.handle(sess); next(sess) }
			},
			logging.MiddlewareWithLogger(printfLog{s.log}),
		),
	)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving counters", "listen", ln.Addr().String(), "host_key", fp)
	if ready != nil {
		ready(ln.Addr().String(), fp)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, ssh.ErrServerClosed) {
			s.Shutdown(srv)
			return err
		}
	}
	s.Shutdown(srv)
	return nil
}

// printfLog adapts the log to wish's logging middleware.
type printfLog struct{ log *slog.Logger }

func (p printfLog) Printf(format string, v ...any) { p.log.Info(fmt.Sprintf(format, v...)) }

// authorize is the public-key check: a key of the authorized keys file
// (read again each time) gets in; any other is refused and logged with
// its fingerprint. Who the key belongs to is decided in handle, from the
// key that authenticated, never from the SSH user name.
func (s *Server) authorize(ctx ssh.Context, pk ssh.PublicKey) bool {
	ks, err := ReadKeys(s.opts.AuthorizedKeys)
	if err != nil {
		s.log.Error("authorized keys unreadable; refusing every key", "err", err)
		return false
	}
	if _, ok := ks.Lookup(pk); ok {
		return true
	}
	s.log.Warn("unknown key refused", "fingerprint", gossh.FingerprintSHA256(pk), "remote", ctx.RemoteAddr().String())
	return false
}

// refuse tells the client why, in the language of loc, and ends the
// session.
func refuse(sess ssh.Session, loc *i18n.Locale, id string, args i18n.Args) {
	_, _ = io.WriteString(sess.Stderr(), loc.T(id, args)+"\n")
	_ = sess.Exit(1)
}

// handle serves one SSH session: who it is (the key's operator, checked
// against the configuration), which counter (the key's, else the SSH user
// name), then the counter's station, attached until the connection drops
// or the console ends. A panic here is this session's alone: recovered
// and logged.
func (s *Server) handle(sess ssh.Session) {
	s.handlers.Add(1)
	defer s.handlers.Add(-1)
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("session handler panicked", "panic", r, "stack", string(debug.Stack()))
			_ = sess.Exit(1)
		}
	}()
	env := sessionEnv(sess.Environ())
	cfg := s.config()
	ks, err := ReadKeys(s.opts.AuthorizedKeys)
	if err != nil {
		s.log.Error("authorized keys unreadable", "err", err)
		_ = sess.Exit(1)
		return
	}
	k, ok := ks.Lookup(sess.PublicKey())
	if !ok { // removed since it authenticated
		s.log.Warn("key removed from the authorized keys after it signed in; refused",
			"fingerprint", gossh.FingerprintSHA256(sess.PublicKey()))
		_ = sess.Exit(1)
		return
	}
	op, ok := cfg.OperatorByName(k.Operator)
	if !ok {
		s.log.Warn("key refused: its operator is not in the configuration", "operator", k.Operator, "fingerprint", k.Fingerprint)
		s.audit(k.Operator, "", k.Fingerprint, "serve.refused", sess.User(), "operator not in the configuration")
		refuse(sess, i18n.NewFor(cfg.Language, env.Getenv), "serve.refused.unknown_operator",
			i18n.Args{"Operator": k.Operator, "Fingerprint": k.Fingerprint})
		return
	}
	loc := i18n.NewFor(cfg.LanguageFor(op.Name), env.Getenv)
	counter := k.Counter
	if counter == "" {
		counter = sess.User()
	}
	if !ValidCounter(counter) {
		refuse(sess, loc, "serve.refused.counter_name", i18n.Args{"Counter": counter})
		return
	}
	if _, _, pty := sess.Pty(); !pty || len(sess.Command()) > 0 {
		refuse(sess, loc, "serve.refused.no_terminal", nil)
		return
	}
	st, resumed, refusal := s.claim(cfg, counter, k, env)
	if refusal.id != "" {
		s.log.Info("session refused", "counter", counter, "operator", op.Name, "fingerprint", k.Fingerprint, "why", refusal.id)
		s.audit(op.Name, consoleIDFor(counter, cfg.ConsoleID), k.Fingerprint, "serve.refused", counter, refusal.id)
		refuse(sess, loc, refusal.id, refusal.args)
		return
	}
	a := st.attach(sess, resumed)
	action := "serve.session.start"
	if resumed {
		action = "serve.session.resume"
	}
	st.audit(action, counter, "from "+sess.RemoteAddr().String())
	st.log.Info("session attached", "remote", sess.RemoteAddr().String(), "resumed", resumed)
	stopKeepalive := keepalive(sess, st.log)
	defer stopKeepalive()
	select {
	case <-sess.Context().Done():
		live := st.live()
		st.audit("serve.session.drop", counter, fmt.Sprintf("connection lost; payment under way: %v", live))
		st.dropped(a)
	case <-st.done:
		st.out.clear(a)
		a.flush(2 * time.Second)
		if st.err != nil && !errors.Is(st.err, tea.ErrProgramKilled) || errors.Is(st.err, tea.ErrProgramPanic) {
			_, _ = io.WriteString(sess.Stderr(), "\r\n"+loc.T("serve.ended.crash", i18n.Args{"Counter": counter})+"\r\n")
			_ = sess.Exit(1)
			return
		}
		_ = sess.Exit(0)
	}
}

// config is the configuration for a new session: the host's, with the
// operators as the config file names them now (operators.current). A file
// that no longer reads keeps the last good operators, with a warning.
func (s *Server) config() *config.Config {
	ops, err := s.ops.current()
	if err != nil {
		s.log.Warn("config file: operators not read again; the last good ones stay", "file", s.ops.file, "problem", err.Error())
	}
	cfg := *s.app.Config
	cfg.Operators = ops
	return &cfg
}

// keepalive asks the client every 15 s whether it is there, so a
// connection lost without a word (a cable pulled, a laptop closed) is
// dropped within about half a minute and its session detached.
func keepalive(sess ssh.Session, log *slog.Logger) (stop func()) {
	conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn)
	done := make(chan struct{})
	if !ok {
		return func() {}
	}
	go func() {
		t := time.NewTicker(15 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			reply := make(chan error, 1)
			go func() { _, _, err := conn.SendRequest("keepalive@openssh.com", true, nil); reply <- err }()
			select {
			case err := <-reply:
				if err == nil {
					continue
				}
			case <-time.After(15 * time.Second):
			case <-done:
				return
			}
			log.Info("counter's connection does not answer; dropping it")
			_ = conn.Close()
			return
		}
	}()
	return func() { close(done) }
}

// refusal is a message id and its arguments ("" id: none).
type refusal struct {
	id   string
	args i18n.Args
}

// claim finds or starts the station of counter for key k: the same
// operator gets their station back (resumed: a dropped session's, or one
// a stale connection still holds); another operator is refused while the
// counter is in use.
func (s *Server) claim(cfg *config.Config, counter string, k Key, env sessionEnv) (*station, bool, refusal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return nil, false, refusal{id: "serve.refused.shutting_down"}
	}
	if st := s.stations[counter]; st != nil && !st.ended() {
		st.mu.Lock()
		attached, op := st.conn != nil, st.operator
		st.mu.Unlock()
		switch {
		case op == k.Operator:
			return st, true, refusal{}
		case attached:
			return nil, false, refusal{id: "serve.refused.counter_in_use", args: i18n.Args{"Counter": counter, "Operator": op}}
		default:
			return nil, false, refusal{id: "serve.refused.counter_payment", args: i18n.Args{"Counter": counter, "Operator": op}}
		}
	}
	st, err := s.newStation(cfg, counter, k, env)
	if err != nil {
		s.log.Error("session could not start", "counter", counter, "err", err)
		return nil, false, refusal{id: "serve.ended.crash", args: i18n.Args{"Counter": counter}}
	}
	s.stations[counter] = st
	s.liveMu.Lock()
	s.live[counter] = st
	s.liveMu.Unlock()
	return st, false, refusal{}
}

// consoleIDFor is a counter's console id: the counter, then the host's
// console id ("counter-1.shop"), within config's 64 characters; sale ids
// begin with it.
func consoleIDFor(counter, host string) string {
	id := counter + "." + host
	if len(id) > 64 {
		id = id[:64]
	}
	return id
}

// callerTerminal is the Terminal of one counter: its reads are named, so
// the Coalescer never answers it twice with the same read.
type callerTerminal struct {
	*checkout.Coalescer
	caller string
}

func (t callerTerminal) GetReader(ctx context.Context, owner pos.Account, id string) (pos.Reader, error) {
	return t.Coalescer.GetReader(checkout.WithCaller(ctx, t.caller), owner, id)
}

// newStation starts the console of k's operator at counter: the shared
// Deps with the counter's console id, the operator, a journal view that
// stamps counter, operator and key on what it writes, a runner and
// back-office services of its own, the counter's remembered choices, a
// renderer for its terminal; the operators (roles, languages) as in cfg,
// the session's configuration (Server.config). s.mu is held.
func (s *Server) newStation(cfg *config.Config, counter string, k Key, env sessionEnv) (*station, error) {
	a := s.app
	op, _ := cfg.OperatorByName(k.Operator)
	consoleID := consoleIDFor(counter, cfg.ConsoleID)
	log := s.log.With("counter", counter, "operator", op.Name, "key", k.Fingerprint)
	view := a.Journal.WithOrigin(journal.Origin{Console: consoleID, Operator: op.Name, Key: k.Fingerprint})
	term := callerTerminal{Coalescer: s.coal, caller: counter}
	runner := &checkout.Runner{Payments: a.Client, Terminal: term, Presenter: s.coal.Presenting(), Journal: view,
		Log: log.With("component", "checkout")}
	svc, err := supervisor.New(supervisor.Deps{Payments: a.Client, Terminal: term, Runner: runner, Journal: view,
		Operators: cfg.Operators, Operator: op.Name, ConsoleID: consoleID, PinLockout: cfg.PinLockout,
		Log: log.With("component", "supervisor")})
	if err != nil {
		return nil, err
	}
	st := &station{srv: s, counter: counter, operator: op.Name, key: k.Fingerprint, consoleID: consoleID,
		loc: i18n.NewFor(cfg.LanguageFor(op.Name), env.Getenv), runner: runner, log: log,
		done: make(chan struct{}), poke: make(chan struct{}, 1), changed: make(chan struct{}, 1)}

	d := *s.base
	d.ConsoleID, d.Operator, d.Role, d.Locale = consoleID, op.Name, string(cfg.OperatorRole(op.Name)), st.loc
	d.Terminal, d.Runner = term, runner
	d.Guard, d.Supervisor = svc.Guard, svc
	d.Reports = &reports.Searcher{Journal: view, Sellers: a.Client, Payments: a.Client, ConsoleID: consoleID}
	d.Prefs = console.PrefsAt(filepath.Join(cfg.DataDir, "counters", counter+".prefs.json"))
	d.Reconciled = slices.DeleteFunc(slices.Clone(s.base.Reconciled), func(x pos.Sale) bool { return x.ConsoleID != consoleID })
	d.Offers = nil
	d.Renderer = newRenderer(env)
	d.Styles = uiapp.StylesFor(uiapp.DefaultPalette(), d.Renderer)
	d.Counter = st
	if err := os.MkdirAll(filepath.Join(cfg.DataDir, "counters"), 0o700); err != nil {
		return nil, err
	}

	var m tea.Model = ui.NewSession(&d, ui.SignIn{Operator: op.Name, Role: cfg.OperatorRole(op.Name), Locale: st.loc})
	if s.wrap != nil {
		m = s.wrap(m)
	}
	st.inR, st.in = io.Pipe()
	st.prog = tea.NewProgram(m, tea.WithInput(st.inR), tea.WithOutput(&st.out), tea.WithAltScreen(),
		tea.WithoutSignalHandler())
	s.wg.Add(1)
	go st.run()
	go st.pumpPokes()
	go s.reap(st)
	return st, nil
}

// reap cleans up after a station's console ended: the counter is free,
// its readers go, and a sale it left open (a crash, or a cashier who quit
// and kept it open) is settled now rather than at the next start.
func (s *Server) reap(st *station) {
	<-st.done
	defer s.wg.Done()
	s.mu.Lock()
	if s.stations[st.counter] == st {
		delete(s.stations, st.counter)
	}
	closing := s.closing
	s.mu.Unlock()
	s.liveMu.Lock()
	if s.live[st.counter] == st {
		delete(s.live, st.counter)
	}
	s.liveMu.Unlock()
	if s.holds.keep(st.counter) {
		s.pokeOthers(st.counter)
	}
	_ = st.in.Close()
	open := st.live()
	st.runner.ReleaseClaims()
	reason := "ended"
	if st.err != nil {
		reason = "failed: " + st.err.Error()
		st.log.Error("session failed", "err", st.err)
	}
	st.audit("serve.session.end", st.counter, reason)
	st.log.Info("session ended", "reason", reason, "sale_left_open", open)
	if open && !closing {
		s.settling.Add(1)
		go func() {
			defer s.settling.Done()
			s.app.Reconcile(context.Background(), checkout.ReconcileOptions{})
		}()
	}
}

// pokeOthers redraws every station but counter's (holds changed).
func (s *Server) pokeOthers(counter string) {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	for c, st := range s.live {
		if c != counter {
			st.pokeNow()
		}
	}
}

// audit queues an audit entry; it never blocks a session.
func (s *Server) audit(who, console, key, action, subject, detail string) {
	e := journal.AuditEntry{At: time.Now(), Who: who, Console: console, Key: key, Action: action, Subject: subject, Detail: detail}
	s.auditMu.RLock()
	defer s.auditMu.RUnlock()
	if s.auditClosed {
		s.log.Warn("audit after shutdown; logged only", "action", action, "subject", subject, "who", who, "console", console, "key", key, "detail", detail)
		return
	}
	select {
	case s.auditQ <- e:
	default:
		s.log.Error("audit queue full; entry dropped", "action", action, "subject", subject, "who", who, "console", console)
	}
}

func (s *Server) writeAudit() {
	defer close(s.auditDone)
	for e := range s.auditQ {
		if err := s.app.Journal.AppendAudit(context.Background(), e); err != nil {
			s.log.Error("audit", "err", err, "action", e.Action)
		}
	}
}

// Shutdown stops the server gracefully: no new sessions; every payment
// under way is canceled through its machine (compare before cancel: a
// payment the customer completed meanwhile stands) and given
// ShutdownWait to finish; then every console ends (its cart taken off the
// reader), the connections close and the audit trail is written. The
// caller closes the journal afterwards (App.Close).
func (s *Server) Shutdown(srv *ssh.Server) {
	s.mu.Lock()
	s.closing = true
	var sts []*station
	for _, st := range s.stations {
		sts = append(sts, st)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(sts))
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.shutdownWait()+15*time.Second)
	defer cancel()
	go func() { _ = srv.Shutdown(ctx) }() // stops listening at once, then waits for the connections
	for _, st := range sts {
		go func() {
			st.prog.Send(uiapp.StatusMsg{Text: st.loc.T("serve.shutdown"), Tone: uiapp.ToneWarn})
			st.prog.Send(ui.ShutdownMsg{})
		}()
	}
	deadline := time.Now().Add(s.opts.shutdownWait())
	for time.Now().Before(deadline) && slices.ContainsFunc(sts, func(st *station) bool { return !st.ended() && st.live() }) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, st := range sts {
		if st.live() && !st.ended() {
			s.log.Error("a payment did not settle before the shutdown; the journal keeps it for the next start",
				"counter", st.counter, "sale", st.snapshot().Sale.ID)
			st.prog.Kill()
			continue
		}
		go st.prog.Send(ui.HangUpMsg{})
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		for _, st := range sts {
			st.prog.Kill()
		}
		<-done
	}
	// The counters' handlers write their last frame and exit status
	// before the connections are closed under them.
	for end := time.Now().Add(5 * time.Second); s.handlers.Load() > 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	_ = srv.Close()
	s.settling.Wait()
	s.auditMu.Lock()
	s.auditClosed = true
	close(s.auditQ)
	s.auditMu.Unlock()
	<-s.auditDone
	s.log.Info("shut down")
}
