package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, "127.0.0.1:0", Options{Seed: "demo"}, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("ListenAndServe: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("never ready")
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("url %q", base)
	}
	sc := newClient(base, wrapTransport(t, http.DefaultTransport), 0)
	a, err := sc.Accounts.Get()
	if err != nil || !strings.HasPrefix(a.ID, "acct_") {
		t.Fatalf("GET /v1/account: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown")
	}
	if _, err := sc.Accounts.Get(); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestListenAndServeLocalhostAndIPv6(t *testing.T) {
	for _, addr := range []string{"localhost:0", "[::1]:0"} {
		ctx, cancel := context.WithCancel(context.Background())
		urls := make(chan string, 1)
		done := make(chan error, 1)
		go func() { done <- ListenAndServe(ctx, addr, Options{Seed: "none"}, func(u string) { urls <- u }) }()
		select {
		case u := <-urls:
			if addr == "localhost:0" && !strings.HasPrefix(u, "http://127.0.0.1:") {
				t.Errorf("%s: url %q", addr, u)
			}
			if addr == "[::1]:0" && !strings.HasPrefix(u, "http://[::1]:") {
				t.Errorf("%s: url %q", addr, u)
			}
		case err := <-done:
			if addr == "[::1]:0" && strings.Contains(err.Error(), "listen") {
				t.Logf("no IPv6 loopback here: %v", err) // some containers lack ::1
				cancel()
				continue
			}
			t.Fatalf("%s: %v", addr, err)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: never ready", addr)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

func TestListenAndServeRefusals(t *testing.T) {
	for addr, want := range map[string]string{
		":12111":         "refusing to listen on (all interfaces)",
		"0.0.0.0:0":      "refusing to listen on 0.0.0.0",
		"[::]:0":         "refusing to listen on ::",
		"192.0.2.10:0":   "refusing to listen on 192.0.2.10",
		"example.com:80": "refusing to listen on example.com",
		"127.0.0.1":      "want HOST:PORT",
		"127.0.0.1:nope": "bad port",
	} {
		called := false
		err := ListenAndServe(context.Background(), addr, Options{}, func(string) { called = true })
		if err == nil || !strings.Contains(err.Error(), want) || called {
			t.Errorf("%s: %v (ready called: %v)", addr, err, called)
		}
	}
	err := ListenAndServe(context.Background(), "127.0.0.1:0", Options{Seed: "bogus"}, nil)
	if err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Errorf("bad seed: %v", err)
	}
}
