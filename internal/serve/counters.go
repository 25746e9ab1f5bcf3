package serve

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/checkout"
	"kasse/config"
	"kasse/i18n"
	"kasse/internal/console"
	"kasse/journal"
	"kasse/pos"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui"
	uiapp "kasse/ui/app"
)

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
