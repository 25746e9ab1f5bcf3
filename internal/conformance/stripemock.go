package conformance

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"

	"github.com/stripe/stripe-mock/embedded"
	"github.com/stripe/stripe-mock/server"
)

// NewStripeMockHandler builds stripe-mock's StubServer in process from the
// spec and fixtures embedded in the pinned module, with the strict version
// check on: a request whose Stripe-Version header differs from the spec's
// info.version (2023-10-16) is rejected, which guards against a drifted pin.
//
// stripe-mock prints "Request: …" / "Response: …" lines to stdout with
// fmt.Printf for every request, unconditionally. That cannot be silenced
// without swapping os.Stdout process-wide (racy), so it is left alone;
// `go test` shows it only with -v or for failing packages.
func NewStripeMockHandler() (http.Handler, error) {
	spec, err := server.LoadSpec(embedded.OpenAPISpec, "")
	if err != nil {
		return nil, fmt.Errorf("conformance: stripe-mock spec: %w", err)
	}
	fixtures, err := server.LoadFixtures(embedded.OpenAPIFixtures, "")
	if err != nil {
		return nil, fmt.Errorf("conformance: stripe-mock fixtures: %w", err)
	}
	stub, err := server.NewStubServer(fixtures, spec, true /* strict version */, false /* verbose */)
	if err != nil {
		return nil, fmt.Errorf("conformance: stripe-mock server: %w", err)
	}
	return &server.DoubleSlashFixHandler{Mux: http.HandlerFunc(stub.HandleRequest)}, nil
}

// NewStripeMock starts an in-process stripe-mock on a loopback port. The
// caller closes it.
func NewStripeMock() (*httptest.Server, error) {
	h, err := NewStripeMockHandler()
	if err != nil {
		return nil, err
	}
	return httptest.NewServer(h), nil
}

var sharedMock struct {
	once sync.Once
	url  *url.URL
	err  error
}

// SharedStripeMock returns the base URL (no /v1 suffix) of a process-wide
// in-process stripe-mock, started on first use and left running until the
// process exits. Startup takes about a second.
//
// The returned URL is a fresh copy each call, so callers may modify it.
func SharedStripeMock() (*url.URL, error) {
	sharedMock.once.Do(func() {
		srv, err := NewStripeMock()
		if err != nil {
			sharedMock.err = err
			return
		}
		sharedMock.url, sharedMock.err = url.Parse(srv.URL)
	})
	if sharedMock.err != nil {
		return nil, sharedMock.err
	}
	u := *sharedMock.url
	return &u, nil
}
