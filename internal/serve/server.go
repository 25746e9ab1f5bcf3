package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
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
	"kasse/i18n"
	"kasse/internal/app"
	"kasse/internal/console"
	"kasse/journal"
	"kasse/ui"
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
