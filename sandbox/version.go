package sandbox

import (
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"kasse/sandbox/internal/apierr"
)

// The Stripe-Version header. The sandbox speaks one API version,
// APIVersion (2023-10-16, stripe-go v76's): every object is rendered in
// its shapes, whatever version a request names.
//
// Stripe refuses a version it does not know with HTTP 400
// invalid_request_error "Invalid Stripe API version: <value>" (no code;
// seen in stripe-java#682, stripity-stripe#613, stripe-samples/link#58),
// also for a well-formed date that is no release. The sandbox cannot know
// every release, so (decision):
//   - a malformed value — not YYYY-MM-DD with a real calendar date,
//     optionally followed by a release name (".acacia"), and nothing
//     else (Stripe's "; feature=v1" beta suffixes are refused too: the
//     sandbox grants no betas) — is refused as Stripe refuses it;
//   - a well-formed version other than APIVersion is answered in
//     APIVersion's shapes, with a warning in the sandbox's log;
//   - no header: the account's default version, APIVersion.
//
// The response's Stripe-Version header always names APIVersion: the
// version the answer is in.

var versionShape = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(\.[a-z]+)?$`)

// checkVersion judges the request's Stripe-Version (nil: answer it).
func (s *Server) checkVersion(r *http.Request) *apierr.Error {
	vals := r.Header.Values("Stripe-Version")
	if len(vals) == 0 {
		return nil
	}
	v := vals[0]
	if len(vals) > 1 { // two headers: Stripe reads them joined
		for _, x := range vals[1:] {
			v += ", " + x
		}
	}
	if v == APIVersion { // the one version the sandbox speaks: nothing to check
		return nil
	}
	m := versionShape.FindStringSubmatch(v)
	if m == nil {
		return errVersion(v)
	}
	if _, err := time.Parse("2006-01-02", m[1]); err != nil {
		return errVersion(v)
	}
	if v != APIVersion && s.log.Enabled(r.Context(), slog.LevelWarn) {
		s.log.Warn("Stripe-Version names another API version; answered in the only one the sandbox speaks",
			"requested", v, "answered", APIVersion, "method", r.Method, "path", r.URL.Path)
	}
	return nil
}

func errVersion(v string) *apierr.Error {
	return &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeInvalidRequest, Validation: true,
		Message: "Invalid Stripe API version: " + v}
}
