package stripeapi

import (
	"strings"
	"testing"

	"kasse/pos"
)

// TestWireFormat checks, for every adapter method, the request it puts on
// the wire: method and path, Stripe-Account exactly on calls in a connected
// account's context, Idempotency-Key equal to the caller's key on POSTs and
// absent otherwise, and the form fields that matter.
func TestWireFormat(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	for _, tc := range allCalls {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.do(testCtx(t), c, tc.idem); err != nil {
				t.Fatalf("call failed: %v", err)
			}
			reqs := fake.take()
			if len(reqs) != 1 {
				t.Fatalf("sent %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tc.method || r.Path != tc.path {
				t.Errorf("sent %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
			}
			checkHeader(t, r, "Stripe-Account", tc.account)
			checkHeader(t, r, "Idempotency-Key", tc.idem)
			if got := r.Header.Get("Stripe-Version"); got != "2023-10-16" {
				t.Errorf("Stripe-Version = %q, want 2023-10-16", got)
			}
			for k, want := range tc.form {
				if got, ok := r.Form[k]; !ok || len(got) != 1 || got[0] != want {
					t.Errorf("form %s = %q, want %q", k, got, want)
				}
			}
			for _, k := range tc.absent {
				if _, ok := r.Form[k]; ok {
					t.Errorf("form %s = %q, want it absent", k, r.Form[k])
				}
			}
		})
	}
}

// checkHeader asserts that header name is absent when want is "" and equals
// want otherwise.
func checkHeader(t *testing.T, r seen, name, want string) {
	t.Helper()
	vals, present := r.Header[name]
	switch {
	case want == "" && present:
		t.Errorf("%s: %q, want it absent", name, vals)
	case want != "" && (len(vals) != 1 || vals[0] != want):
		t.Errorf("%s: %q, want %q", name, vals, want)
	}
}

// TestPostsNeedIdempotencyKey: a mutating call without a key is a
// programming error, refused before anything is sent.
func TestPostsNeedIdempotencyKey(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c := newClient(t, fake.URL)
	for _, tc := range allCalls {
		if tc.method != "POST" {
			continue
		}
		keys := map[string]string{"empty": "", "blank": "   ", "too-long": strings.Repeat("k", 256)}
		for label, key := range keys {
			t.Run(tc.name+"/"+label, func(t *testing.T) {
				err := tc.do(testCtx(t), c, key)
				if !pos.IsKind(err, pos.KindInvalidRequest) || !strings.Contains(err.Error(), "idempotency key") {
					t.Fatalf("key %.10q: err = %v, want an invalid-request error about the idempotency key", key, err)
				}
			})
		}
	}
	if n := len(fake.take()); n != 0 {
		t.Fatalf("%d requests were sent without a usable key", n)
	}
}
