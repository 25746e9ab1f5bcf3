package sandbox

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"time"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Webhook endpoints: POST/GET /v1/webhook_endpoints, GET/POST/DELETE
// /v1/webhook_endpoints/{id} (stripe-api.md §10). Each endpoint has its
// own signing secret (whsec_…), returned by the create call only. Events
// are delivered by webhook_delivery.go.
//
// Decisions (Stripe documents no answer for these):
//   - An endpoint belongs to the account of the request that created it.
//     connect=true (connected accounts' events) is for the platform's own
//     endpoints: with a Stripe-Account header it is 400 on connect.
//   - url must be an absolute http or https URL. Stripe requires https in
//     live mode; the sandbox, which serves loopback, takes http too (its
//     tests and `kasse webhooks serve` behind no proxy).
//   - api_version, when given, must be 2023-10-16: the sandbox renders
//     events in that version only. Any other version of the spec's list
//     is 400 on api_version (an unknown one too).
//   - enabled_events are checked against the 2023-10-16 list
//     (knownEventTypes); "*" may not be combined with other types.
//   - Deleting answers the deleted stub; the endpoint's deliveries in
//     flight are dropped (the events keep counting them as pending, as a
//     failed delivery does).

// webhookEndpoint is a webhook_endpoint in its 2023-10-16 shape. Secret is
// set only in the create response (a copy); the stored object keeps it in
// extra with connect, which the API object does not show.
type webhookEndpoint struct {
	store.Meta
	Object        string            `json:"object"`
	APIVersion    *string           `json:"api_version"`
	Application   *string           `json:"application"`
	Created       int64             `json:"created"`
	Description   *string           `json:"description"`
	EnabledEvents []string          `json:"enabled_events"`
	Livemode      bool              `json:"livemode"`
	Metadata      map[string]string `json:"metadata"`
	Secret        string            `json:"secret,omitempty"`
	Status        string            `json:"status"` // enabled | disabled
	URL           string            `json:"url"`

	hook webhookExtra
}

// webhookExtra is the endpoint's state that is not part of its API object.
type webhookExtra struct {
	Secret  string `json:"secret"`
	Connect bool   `json:"connect,omitempty"`
	// Previous are secrets rolled (RollWebhookSecret) that still sign
	// until their expiry: Stripe signs with every active secret while a
	// rolled one winds down.
	Previous []rolledSecret `json:"previous,omitempty"`
}

type rolledSecret struct {
	Secret  string `json:"secret"`
	Expires int64  `json:"expires"` // unix seconds
}

func (*webhookEndpoint) objectType() string { return "webhook_endpoint" }

func (w *webhookEndpoint) saveExtra() []byte {
	b, err := json.Marshal(w.hook)
	if err != nil {
		panic(err)
	}
	return b
}

func (w *webhookEndpoint) loadExtra(b json.RawMessage) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, &w.hook)
}

// wants reports whether the endpoint subscribes to typ.
func (w *webhookEndpoint) wants(typ string) bool {
	for _, e := range w.EnabledEvents {
		if e == "*" || e == typ {
			return true
		}
	}
	return false
}

// secrets are the secrets that sign a delivery at now: the current one
// first, then rolled ones not yet expired.
func (w *webhookEndpoint) secrets(now time.Time) []string {
	out := []string{w.hook.Secret}
	for _, p := range w.hook.Previous {
		if now.Unix() < p.Expires {
			out = append(out, p.Secret)
		}
	}
	return out
}

// renderWebhook renders an endpoint (the deleted stub once deleted).
func renderWebhook(w *webhookEndpoint) any {
	if w.Deleted {
		return deletedJSON{ID: w.ID, Object: "webhook_endpoint", Deleted: true}
	}
	return w
}

func (s *Server) findWebhook(rq *request, id string) (*webhookEndpoint, *apierr.Error) {
	w, ok := s.st.webhooks.Get(id)
	if !ok || !owned(w, rq) || w.Deleted {
		return nil, apierr.NoSuch("webhook_endpoint", id).WithParam("webhook_endpoint")
	}
	return w, nil
}

// webhookURL validates url.
func webhookURL(p *form.Params, required bool) (string, bool, *apierr.Error) {
	if required {
		v, err := form.Required(p, "url", "url")
		if err != nil {
			return "", false, err
		}
		return v, true, checkWebhookURL(v)
	}
	v, ok, err := form.String(p, "url", "url", 5000)
	if err != nil || !ok {
		return "", ok, err
	}
	if v == "" {
		return "", true, form.Empty("url")
	}
	return v, true, checkWebhookURL(v)
}

func checkWebhookURL(v string) *apierr.Error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return apierr.InvalidParam("url", "Invalid URL: %s. URLs must be absolute and use the http or https scheme.", v)
	}
	return nil
}

// enabledEvents reads enabled_events[].
func enabledEvents(p *form.Params, required bool) ([]string, bool, *apierr.Error) {
	c := p.Child("enabled_events")
	if c == nil {
		if required {
			return nil, false, apierr.MissingParam("enabled_events")
		}
		return nil, false, nil
	}
	items := c.List()
	if c.IsLeaf() || len(items) == 0 {
		return nil, true, apierr.InvalidParam("enabled_events", "Invalid array")
	}
	seen := map[string]bool{}
	var out []string
	for i, it := range items {
		t := it.Value()
		if !it.IsLeaf() || !knownEventTypes[t] {
			return nil, true, apierr.InvalidParam("enabled_events["+itoa(i)+"]",
				"Invalid enabled_events[%d]: must be one of the event types of API version %s, or *", i, APIVersion)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	if seen["*"] && len(out) > 1 {
		return nil, true, apierr.InvalidParam("enabled_events", "You cannot combine '*' with other event types.")
	}
	return out, true, nil
}

func itoa(i int) string { return string(appendInt(nil, int64(i))) }

// createWebhook: POST /v1/webhook_endpoints.
func (s *Server) createWebhook(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	u, _, err := webhookURL(p, true)
	if err != nil {
		return nil, err
	}
	events, _, err := enabledEvents(p, true)
	if err != nil {
		return nil, err
	}
	w := &webhookEndpoint{Object: "webhook_endpoint", URL: u, EnabledEvents: events, Status: "enabled"}
	if p.Has("api_version") {
		v := p.Child("api_version").Value()
		if v != APIVersion {
			return nil, apierr.InvalidParam("api_version", "Invalid api_version: %s. The sandbox renders events in API version %s only.", v, APIVersion)
		}
		w.APIVersion = nullString(v)
	}
	connect, err := form.Bool(p, "connect", "connect")
	if err != nil {
		return nil, err
	}
	if connect != nil && *connect {
		if rq.Account != "" {
			return nil, apierr.InvalidParam("connect", "connect=true is only available on the platform's own endpoints (no Stripe-Account header).")
		}
		w.hook.Connect = true
	}
	if v, ok, err := form.String(p, "description", "description", 5000); err != nil {
		return nil, err
	} else if ok {
		w.Description = nullString(v)
	}
	if w.Metadata, err = form.Metadata(p, nil); err != nil {
		return nil, err
	}
	w.Meta = s.newMeta("we", rq.Account)
	w.Created = rq.Now.Unix()
	w.hook.Secret = "whsec_" + randomString(32)
	put(s, s.st.webhooks, w)
	shown := *w // the secret is in the answer to the create call only
	shown.Secret = w.hook.Secret
	return &shown, nil
}

// getWebhook: GET /v1/webhook_endpoints/{id}.
func (s *Server) getWebhook(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	w, err := s.findWebhook(rq, rq.ID)
	if err != nil {
		return nil, err.WithParam("id")
	}
	return w, nil
}

// updateWebhook: POST /v1/webhook_endpoints/{id} (url, enabled_events,
// disabled, description, metadata).
func (s *Server) updateWebhook(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	w, err := s.findWebhook(rq, rq.ID)
	if err != nil {
		return nil, err.WithParam("id")
	}
	next := *w // validate everything before changing anything
	if u, ok, err := webhookURL(p, false); err != nil {
		return nil, err
	} else if ok {
		next.URL = u
	}
	if ev, ok, err := enabledEvents(p, false); err != nil {
		return nil, err
	} else if ok {
		next.EnabledEvents = ev
	}
	if d, err := form.Bool(p, "disabled", "disabled"); err != nil {
		return nil, err
	} else if d != nil {
		next.Status = "enabled"
		if *d {
			next.Status = "disabled"
		}
	}
	if v, ok, err := form.String(p, "description", "description", 5000); err != nil {
		return nil, err
	} else if ok {
		next.Description = nullString(v)
	}
	if next.Metadata, err = form.Metadata(p, w.Metadata); err != nil {
		return nil, err
	}
	s.touch(w)
	*w = next
	return w, nil
}

// deleteWebhook: DELETE /v1/webhook_endpoints/{id}.
func (s *Server) deleteWebhook(rq *request) (any, *apierr.Error) {
	w, err := s.findWebhook(rq, rq.ID)
	if err != nil {
		return nil, err.WithParam("id")
	}
	s.touch(w)
	w.Deleted = true
	return renderWebhook(w), nil
}

// listWebhooks: GET /v1/webhook_endpoints, newest first.
func (s *Server) listWebhooks(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, nil); err != nil {
		return nil, err
	}
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, err
	}
	return listTable(s, rq, s.st.webhooks, pg, func(w *webhookEndpoint) bool { return !w.Deleted }, "/v1/webhook_endpoints", unexpanded)
}

// endpointsFor lists the enabled endpoints an event of account and typ
// goes to, oldest first: the account's own endpoints, and for a
// connected account's event the platform's connect endpoints. Called
// with mu held.
func (s *Server) endpointsFor(account, typ string) []*webhookEndpoint {
	var out []*webhookEndpoint
	for w := range s.st.webhooks.All() {
		if w.Deleted || w.Status != "enabled" || !w.wants(typ) {
			continue
		}
		switch {
		case w.Account == account && !w.hook.Connect:
		case account != "" && w.Account == "" && w.hook.Connect:
		default:
			continue
		}
		out = append(out, w)
	}
	sortBySeq(out)
	return out
}

// RollWebhookSecret gives endpoint id a new signing secret and returns it,
// as the Dashboard's "Roll secret" does (the API has no call for it): for
// keepOld the old secret still signs too, so every delivery carries two
// v1 signatures until a receiver has the new secret. keepOld 0 expires the
// old one at once. A Go-level control for tests and demos.
func (s *Server) RollWebhookSecret(id string, keepOld time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.st.webhooks.Get(id)
	if !ok || w.Deleted {
		return "", errNoWebhook(id)
	}
	secret := "whsec_" + randomString(32)
	s.change(func() {
		s.touch(w)
		now := s.opts.Now()
		var keep []rolledSecret
		for _, p := range w.hook.Previous {
			if now.Unix() < p.Expires {
				keep = append(keep, p)
			}
		}
		if keepOld > 0 {
			keep = append(keep, rolledSecret{Secret: w.hook.Secret, Expires: now.Add(keepOld).Unix()})
		}
		sort.Slice(keep, func(i, j int) bool { return keep[i].Expires > keep[j].Expires })
		w.hook.Secret, w.hook.Previous = secret, keep
	})
	return secret, nil
}

type errNoWebhook string

func (e errNoWebhook) Error() string {
	return "sandbox: no such webhook endpoint " + strings.TrimSpace(string(e))
}
