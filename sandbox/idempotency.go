package sandbox

import (
	"net/http"
	"time"

	"kasse/sandbox/internal/apierr"
)

// idemTTL is how long keys are kept; Stripe prunes keys at least 24 h old.
const idemTTL = 24 * time.Hour

// idemEntry is one idempotency key's record. Keys are scoped per account
// (the Stripe-Account of the call, "" for the platform).
type idemEntry struct {
	fingerprint string // method, path and canonical params of the first call
	inFlight    bool
	status      int
	body        []byte
	created     time.Time
}

func idemScope(rq *request) string { return rq.Account + "\x00" + rq.IdemKey }

func fingerprint(rq *request) string { return rq.Method + " " + rq.Path + "?" + rq.Params.Canonical() }

// idemBegin reserves the key, or returns the entry to replay, or the error
// Stripe gives for a concurrent use (409) or different parameters (400).
func (s *Server) idemBegin(rq *request) (mine, replay *idemEntry, e *apierr.Error) {
	s.idemMu.Lock()
	defer s.idemMu.Unlock()
	now := s.opts.Now()
	scope := idemScope(rq)
	if old, ok := s.idem[scope]; ok && now.Sub(old.created) < idemTTL {
		switch {
		case old.inFlight:
			return nil, nil, &apierr.Error{Status: http.StatusConflict, Type: apierr.TypeInvalidRequest, Code: "idempotency_key_in_use",
				Message: "The idempotency key provided is currently being used in another request. This occurs if your integration is making duplicate requests simultaneously."}
		case old.fingerprint != fingerprint(rq):
			return nil, nil, &apierr.Error{Status: http.StatusBadRequest, Type: apierr.TypeIdempotency,
				Message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '" +
					rq.IdemKey + "' if you meant to execute a different request."}
		default:
			return nil, old, nil
		}
	}
	mine = &idemEntry{fingerprint: fingerprint(rq), inFlight: true, created: now}
	s.idem[scope] = mine
	return mine, nil, nil
}

// idemFinish stores the result, or forgets the key when Stripe would not
// have stored it (validation errors, rate limits, auth failures).
func (s *Server) idemFinish(rq *request, mine *idemEntry, status int, body []byte, validation bool) {
	s.idemMu.Lock()
	defer s.idemMu.Unlock()
	scope := idemScope(rq)
	if validation || status == http.StatusTooManyRequests || status == http.StatusUnauthorized || status == http.StatusConflict {
		if s.idem[scope] == mine {
			delete(s.idem, scope)
		}
		return
	}
	mine.inFlight, mine.status, mine.body = false, status, body
}
