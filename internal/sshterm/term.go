package sshterm

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"kasse/internal/testkit"
)

// Key is a fresh Ed25519 key for a test operator.
type Key struct {
	Signer ssh.Signer
}

// NewKey makes a key.
func NewKey() (Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Key{}, err
	}
	s, err := ssh.NewSignerFromKey(priv)
	return Key{Signer: s}, err
}

// AuthorizedLine is the key's line for an authorized keys file, with
// comment.
func (k Key) AuthorizedLine(comment string) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k.Signer.PublicKey()))) + " " + comment + "\n"
}

// Fingerprint is the key's SHA256 fingerprint.
func (k Key) Fingerprint() string { return ssh.FingerprintSHA256(k.Signer.PublicKey()) }

// Options of a terminal.
type Options struct {
	User          string // the SSH user name: the counter
	Width, Height int    // default 100×30
	Term          string // TERM (default xterm-256color)
	Env           map[string]string
	// HostKey is the server's expected fingerprint ("": any).
	HostKey string
	// NoPTY connects without a terminal (a refusal test).
	NoPTY bool
}

// Term is one counter: an SSH session with a terminal, its screen, and
// what the server wrote to stderr.
type Term struct {
	client *ssh.Client
	conn   net.Conn
	sess   *ssh.Session
	stdin  io.WriteCloser
	screen *Screen
	stderr testkit.SyncBuffer
	done   chan struct{}
	err    error // the session's end (after done)
}

// Dial connects to addr as opts.User with key and starts a shell with a
// terminal (a PTY request, unless NoPTY).
func Dial(addr string, key Key, opts Options) (*Term, error) {
	if opts.Width == 0 {
		opts.Width, opts.Height = 100, 30
	}
	if opts.Term == "" {
		opts.Term = "xterm-256color"
	}
	hostKey := ssh.InsecureIgnoreHostKey()
	if opts.HostKey != "" {
		want := opts.HostKey
		hostKey = func(_ string, _ net.Addr, k ssh.PublicKey) error {
			if got := ssh.FingerprintSHA256(k); got != want {
				return fmt.Errorf("host key %s, want %s", got, want)
			}
			return nil
		}
	}
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, &ssh.ClientConfig{User: opts.User,
		Auth: []ssh.AuthMethod{ssh.PublicKeys(key.Signer)}, HostKeyCallback: hostKey, Timeout: 10 * time.Second})
	if err != nil {
		conn.Close()
		return nil, err
	}
	client := ssh.NewClient(c, chans, reqs)
	sess, err := client.NewSession()
	if err != nil {
		client.Close()
		return nil, err
	}
	t := &Term{client: client, conn: conn, sess: sess, screen: NewScreen(opts.Width, opts.Height), done: make(chan struct{})}
	for k, v := range opts.Env {
		if err := sess.Setenv(k, v); err != nil {
			client.Close()
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	if !opts.NoPTY {
		if err := sess.RequestPty(opts.Term, opts.Height, opts.Width, ssh.TerminalModes{}); err != nil {
			client.Close()
			return nil, err
		}
	}
	sess.Stdout = t.screen
	sess.Stderr = &t.stderr
	if t.stdin, err = sess.StdinPipe(); err != nil {
		client.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		client.Close()
		return nil, err
	}
	go func() { t.err = sess.Wait(); close(t.done) }()
	return t, nil
}

// Type sends s as typed (one write).
func (t *Term) Type(s string) error {
	_, err := io.WriteString(t.stdin, s)
	return err
}

// Key names a few keys as a terminal sends them.
var Keys = map[string]string{"enter": "\r", "esc": "\x1b", "ctrl+c": "\x03", "up": "\x1b[A", "down": "\x1b[B",
	"backspace": "\x7f", "tab": "\t"}

// Press sends keys one at a time, each a name of Keys or text.
func (t *Term) Press(keys ...string) error {
	for _, k := range keys {
		s, ok := Keys[k]
		if !ok {
			s = k
		}
		if err := t.Type(s); err != nil {
			return err
		}
		time.Sleep(30 * time.Millisecond) // an escape on its own is a key, not the start of a sequence
	}
	return nil
}

// Resize tells the server the terminal's new size.
func (t *Term) Resize(w, h int) error {
	t.screen.Resize(w, h)
	return t.sess.WindowChange(h, w)
}

// Screen is what the terminal shows now.
func (t *Term) Screen() string { return t.screen.Text() }

// Raw is everything the server wrote to the terminal.
func (t *Term) Raw() string { return t.screen.Raw() }

// Stderr is what the server wrote to stderr.
func (t *Term) Stderr() string { return t.stderr.String() }

// WaitFor waits until the screen shows every one of texts, or timeout.
func (t *Term) WaitFor(timeout time.Duration, texts ...string) error {
	deadline := time.Now().Add(timeout)
	for {
		scr := t.Screen()
		missing := ""
		for _, s := range texts {
			if !strings.Contains(scr, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the screen does not show %q within %s:\n%s\nstderr: %s", missing, timeout, scr, t.Stderr())
		}
		select {
		case <-t.done:
			if time.Now().After(deadline.Add(-timeout + 100*time.Millisecond)) { // let the last frame land
				return fmt.Errorf("the session ended (%v) before the screen showed %q:\n%s\nstderr: %s", t.err, missing, t.Screen(), t.Stderr())
			}
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Wait waits for the session to end and returns its exit status (-1 when
// the connection was lost without one).
func (t *Term) Wait(timeout time.Duration) (int, error) {
	select {
	case <-t.done:
	case <-time.After(timeout):
		return 0, errors.New("the session did not end")
	}
	var ee *ssh.ExitError
	switch {
	case t.err == nil:
		return 0, nil
	case errors.As(t.err, &ee):
		return ee.ExitStatus(), nil
	}
	return -1, nil
}

// Ended reports whether the session has ended.
func (t *Term) Ended() bool {
	select {
	case <-t.done:
		return true
	default:
		return false
	}
}

// Drop loses the connection without a word, as a pulled cable or a closed
// laptop does (the server sees the TCP connection end).
func (t *Term) Drop() { _ = t.conn.Close() }

// Close ends the session and the connection.
func (t *Term) Close() { _ = t.client.Close() }
