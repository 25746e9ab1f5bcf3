package sandbox

import (
	"strings"
	"testing"
)

// A form the decoder refuses is a 400 invalid_request_error over HTTP (the
// decoder itself is tested in internal/form).
func TestFrameworkFormErrorOverHTTP(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.raw("GET", "/v1/events", "type=a&type[x]=b", nil)
	r.want(t, 400, "invalid_request_error", "")
	if !strings.Contains(r.errField("message"), "both a value and an object") {
		t.Errorf("message %q", r.errField("message"))
	}
}
