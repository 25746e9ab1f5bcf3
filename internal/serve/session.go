package serve

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"kasse/config"
	"kasse/i18n"
)

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
