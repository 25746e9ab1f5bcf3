package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// shutdownGrace bounds how long ListenAndServe waits for in-flight
// requests once its context is done.
const shutdownGrace = 5 * time.Second

// ListenAndServe runs a sandbox built from opts on addr ("HOST:PORT"; port
// 0 picks a free port) until ctx is done, then shuts down gracefully and
// returns nil. ready, when non-nil, is called once the socket listens,
// with the base URL to give stripe-go ("http://127.0.0.1:PORT", the real
// port). On return the server is closed (Server.Close: the state file, if
// any, is synced and unlocked).
//
// Only loopback hosts are accepted (127.0.0.0/8, ::1, "localhost", which
// means 127.0.0.1): the sandbox accepts any test key, so it must not be
// reachable from other machines. An empty host (":12111"), 0.0.0.0, "::"
// or any other address is refused with an error; there is no override —
// put an authenticating proxy in front if a sandbox must be shared.
func ListenAndServe(ctx context.Context, addr string, opts Options, ready func(url string)) (err error) {
	host, err := loopbackHost(addr)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(addr)
	s, err := New(opts)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("sandbox: listen: %w", err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if ready != nil {
		ready("http://" + ln.Addr().String())
	}
	select {
	case err := <-errc: // Serve failed on its own
		return fmt.Errorf("sandbox: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("sandbox: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sandbox: serve: %w", err)
	}
	return nil
}

// loopbackHost validates addr's host and returns the IP literal to bind.
func loopbackHost(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: address %q: %v (want HOST:PORT, e.g. 127.0.0.1:12111)", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "" {
		return "", fmt.Errorf("sandbox: address %q: bad port %q", addr, port)
	}
	if strings.EqualFold(host, "localhost") {
		return "127.0.0.1", nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		shown := host
		if shown == "" {
			shown = "(all interfaces)"
		}
		return "", fmt.Errorf("sandbox: refusing to listen on %s: the sandbox accepts any test API key, so it only serves loopback addresses (127.0.0.1, ::1, localhost)", shown)
	}
	return host, nil
}
