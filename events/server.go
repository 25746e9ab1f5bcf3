package events

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"kasse/journal"
	"kasse/pos"
)

// Server is the webhook endpoint of `kasse webhooks serve`: it takes
// Stripe's signed deliveries by POST on Path, verifies each signature
// (Verify: stripe-go's, with a tolerance and several secrets during a
// rotation), records the event once in the journal and answers 200 — then
// applies it in the background (Run), so the answer never waits for the
// work.
// Anything unsigned, stale, signed with another secret or tampered with is
// refused with 400 and one log line naming why (never a secret or the
// signature). A platform puts it behind its own TLS proxy.
type Server struct {
	// Verify checks a delivery's Stripe-Signature and decodes the event
	// (stripeapi.WebhookVerifier.Verify); a refusal wraps one of pos's
	// ErrWebhook… errors.
	Verify  func(payload []byte, header string) (pos.Event, error)
	Handler *Handler
	// Path is where deliveries are taken ("/" when empty).
	Path string
	Log  *slog.Logger

	once  sync.Once
	queue chan string // recorded events to apply (Run)
}

// q is the queue of recorded events to apply.
func (s *Server) q() chan string {
	s.once.Do(func() { s.queue = make(chan string, queueSize) })
	return s.queue
}

// maxBody bounds a delivery (Stripe's events are far smaller).
const maxBody = 1 << 20

// queueSize bounds the events recorded and not yet applied in memory; a
// full queue is no loss (the next drain applies what waits).
const queueSize = 1024

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Server) path() string {
	if s.Path == "" {
		return "/"
	}
	return s.Path
}

// Refusal reasons, as the log and the 400's body name them.
func refusal(err error) string {
	switch {
	case errors.Is(err, pos.ErrWebhookUnsigned):
		return "unsigned"
	case errors.Is(err, pos.ErrWebhookStale):
		return "stale"
	case errors.Is(err, pos.ErrWebhookSignature):
		return "bad_signature"
	case errors.Is(err, pos.ErrWebhookAPIVersion):
		return "api_version"
	}
	return "bad_payload"
}

// ServeHTTP takes one delivery.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != s.path() {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST Stripe events here", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	if len(body) > maxBody {
		s.log().Warn("webhook refused", "reason", "too_large", "remote", r.RemoteAddr, "bytes", len(body))
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	ev, err := s.Verify(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		why := refusal(err)
		s.log().Warn("webhook refused", "reason", why, "detail", err.Error(), "remote", r.RemoteAddr, "bytes", len(body))
		http.Error(w, "webhook refused: "+why, http.StatusBadRequest)
		return
	}
	inserted, err := s.Handler.Record(r.Context(), ev, journal.SourceWebhook)
	if err != nil { // not recorded: Stripe sends it again
		s.log().Error("webhook not recorded", "event", ev.ID, "err", err)
		http.Error(w, "could not record the event", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"received":true}`) // i18n:ok Stripe reads the answer: JSON
	s.log().Info("webhook received", "event", ev.ID, "type", ev.Type, "account", ev.Account.String(), "duplicate", !inserted)
	if inserted {
		select {
		case s.q() <- ev.ID:
		default: // the drain applies it
		}
	}
}

// Run applies the recorded events in the background until ctx ends: each
// one as it arrives, and every drainEvery whatever still waits (events
// that waited for their sale, or that a full queue left). Start Run
// before serving.
func (s *Server) Run(ctx context.Context, drainEvery time.Duration) {
	queue := s.q()
	if drainEvery <= 0 {
		drainEvery = 30 * time.Second
	}
	tick := time.NewTicker(drainEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-queue:
			if _, err := s.Handler.Apply(ctx, id); err != nil && ctx.Err() == nil {
				s.log().Error("event not applied; it stays recorded", "event", id, "err", err)
			}
		case <-tick.C:
			if _, _, err := s.Handler.Drain(ctx); err != nil && ctx.Err() == nil {
				s.log().Error("waiting events not applied", "err", err)
			}
		}
	}
}
