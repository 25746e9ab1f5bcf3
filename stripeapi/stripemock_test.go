package stripeapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stripe/stripe-mock/embedded"
	"github.com/stripe/stripe-mock/server"
)

// newStripeMock runs stripe-mock v0.183.0 (API 2023-10-16, the version
// stripe-go v76 pins) in-process with the strict version check on.
func newStripeMock(t testing.TB) *httptest.Server {
	t.Helper()
	spec, err := server.LoadSpec(embedded.OpenAPISpec, "")
	if err != nil {
		t.Fatal(err)
	}
	fx, err := server.LoadFixtures(embedded.OpenAPIFixtures, "")
	if err != nil {
		t.Fatal(err)
	}
	stub, err := server.NewStubServer(fx, spec, true /* strictVersionCheck */, false /* verbose */)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(&server.DoubleSlashFixHandler{Mux: http.HandlerFunc(stub.HandleRequest)})
	t.Cleanup(ts.Close)
	return ts
}

// TestStripeMockAcceptsEveryCall proves that each request the adapter sends
// is one the 2023-10-16 API accepts: stripe-mock validates parameters
// against the spec and rejects a mismatched Stripe-Version.
func TestStripeMockAcceptsEveryCall(t *testing.T) {
	mock := newStripeMock(t)
	c := newClient(t, mock.URL)
	for _, tc := range allCalls {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(testCtx(t), c, tc.idem); err != nil {
				t.Fatalf("stripe-mock rejected %s: %v", tc.name, err)
			}
		})
	}
	recs := c.RecentRequests()
	if len(recs) != len(allCalls) {
		t.Fatalf("request log has %d records, want one per call (%d)", len(recs), len(allCalls))
	}
	for i, r := range recs {
		if r.Status != http.StatusOK || r.Method != allCalls[i].method || r.Path != allCalls[i].path {
			t.Errorf("record %d = %s %s → %d, want %s %s → 200",
				i, r.Method, r.Path, r.Status, allCalls[i].method, allCalls[i].path)
		}
	}
}
