package sandbox

import (
	"bytes"
	"container/heap"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Webhook delivery (stripe-api.md §10.2, §15.9). Every event is POSTed to
// each enabled endpoint that subscribes to its type (endpointsFor): the
// body is the event's JSON, signed in Stripe-Signature as
// "t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>" — one v1 per
// active secret, so that a rolled secret (RollWebhookSecret) keeps
// verifying — with a new timestamp and signature on every attempt.
//
// A 2xx answer is a delivery: the event's pending_webhooks counts down.
// Anything else (another status, a redirect, a connection error, no answer
// within Options.WebhookTimeout) is retried after each wait of
// Options.WebhookRetries in turn; after the last the endpoint is given up
// for that event, which keeps counting it in pending_webhooks (so
// delivery_success=false lists it, as in Stripe).
//
// Delivery never blocks an API call: emit only notes the event in the
// running change, and once the change is committed its deliveries go to a
// queue served by its own goroutines (started with the first delivery;
// Close stops them). Deliveries run on the wall clock (a signature's
// timestamp must be current for the receiver's tolerance), whatever
// Options.Now says. Order across events is not guaranteed, as in Stripe:
// the attempts run concurrently (at most webhookParallel at a time).
//
// Decisions (Stripe documents the shape, not these numbers): Stripe
// retries for up to three days in live mode and three times over a few
// hours in test mode; the sandbox compresses that to three retries after
// 1 s, 5 s and 30 s by default; the attempt timeout is 10 s; the
// User-Agent is Stripe's ("Stripe/1.0 (+https://stripe.com/docs/webhooks)").
// A restarted sandbox (state file) sends again, as a first attempt, what it
// still owed.

// Defaults of Options.WebhookRetries and WebhookTimeout.
var defaultWebhookRetries = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}

const (
	defaultWebhookTimeout = 10 * time.Second
	webhookParallel       = 8
	webhookUserAgent      = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
)

// SignatureHeader is the Stripe-Signature value for payload signed at t
// with secrets (one v1 each), as Stripe builds it: what stripe-go's
// webhook.ConstructEvent verifies.
func SignatureHeader(payload []byte, t time.Time, secrets ...string) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=")
	b.WriteString(ts)
	for _, sec := range secrets {
		mac := hmac.New(sha256.New, []byte(sec))
		mac.Write([]byte(ts))
		mac.Write([]byte{'.'})
		mac.Write(payload)
		b.WriteString(",v1=")
		b.WriteString(hex.EncodeToString(mac.Sum(nil)))
	}
	return b.String()
}

// delivery is one attempt to send an event to an endpoint.
type delivery struct {
	event, endpoint string
	attempt         int // 0 = the first attempt, n = the n-th retry
	due             time.Time
}

// deliveryQueue holds the attempts not yet made, soonest first.
type deliveryQueue []delivery

func (q deliveryQueue) Len() int           { return len(q) }
func (q deliveryQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q deliveryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *deliveryQueue) Push(x any)        { *q = append(*q, x.(delivery)) }
func (q *deliveryQueue) Pop() any {
	old := *q
	d := old[len(old)-1]
	*q = old[:len(old)-1]
	return d
}

// dispatcher runs the queue: one goroutine waits for the next attempt
// that is due and hands it to a worker (webhookParallel at most).
type dispatcher struct {
	mu      sync.Mutex
	queue   deliveryQueue
	started bool
	closed  bool
	wake    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	slots   chan struct{}
	client  *http.Client
}

// deliver queues the first attempt of each event's deliveries (commit
// calls it with the change's, mu held). It only appends to the queue.
func (s *Server) deliver(events []*event) {
	if len(events) == 0 {
		return
	}
	now := time.Now()
	var ds []delivery
	for _, ev := range events {
		for _, w := range ev.owed {
			ds = append(ds, delivery{event: ev.ID, endpoint: w, due: now})
		}
	}
	s.hooks.push(s, ds...)
}

// resumeDeliveries queues what a loaded state file still owed. Called by
// New.
func (s *Server) resumeDeliveries() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var owing []*event
	for ev := range s.st.events.All() {
		if len(ev.owed) > 0 {
			owing = append(owing, ev)
		}
	}
	sortBySeq(owing)
	s.deliver(owing)
}

func (d *dispatcher) push(s *Server, ds ...delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	for _, x := range ds {
		heap.Push(&d.queue, x)
	}
	if !d.started {
		d.started = true
		d.wake = make(chan struct{}, 1)
		d.ctx, d.cancel = context.WithCancel(context.Background())
		d.slots = make(chan struct{}, webhookParallel)
		timeout := s.opts.WebhookTimeout
		if timeout <= 0 {
			timeout = defaultWebhookTimeout
		}
		d.client = &http.Client{Timeout: timeout,
			// A redirect is not a delivery (Stripe does not follow them).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		d.wg.Add(1)
		go d.run(s)
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// run hands every due attempt to a worker until the dispatcher stops.
func (d *dispatcher) run(s *Server) {
	defer d.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		d.mu.Lock()
		var due []delivery
		now := time.Now()
		for len(d.queue) > 0 && !d.queue[0].due.After(now) {
			due = append(due, heap.Pop(&d.queue).(delivery))
		}
		wait := time.Hour
		if len(d.queue) > 0 {
			wait = d.queue[0].due.Sub(now)
		}
		d.mu.Unlock()
		for _, x := range due {
			select {
			case d.slots <- struct{}{}:
			case <-d.ctx.Done():
				return
			}
			d.wg.Add(1)
			go func(x delivery) {
				defer d.wg.Done()
				defer func() { <-d.slots }()
				s.attempt(d, x)
			}(x)
		}
		timer.Reset(wait)
		select {
		case <-d.ctx.Done():
			return
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// stopDeliveries ends the dispatcher: attempts in flight are canceled
// (they count as failed, and nothing more is scheduled).
func (s *Server) stopDeliveries() {
	d := &s.hooks
	d.mu.Lock()
	d.closed = true
	started := d.started
	d.mu.Unlock()
	if started {
		d.cancel()
		d.wg.Wait()
	}
}

// attempt makes one delivery attempt and records its outcome.
func (s *Server) attempt(d *dispatcher, x delivery) {
	s.mu.Lock()
	ev, ok := s.st.events.Get(x.event)
	w, wok := s.st.webhooks.Get(x.endpoint)
	if !ok || !ev.owes(x.endpoint) {
		s.mu.Unlock()
		return
	}
	if !wok || w.Deleted || w.Status != "enabled" { // deleted or disabled meanwhile: nothing to send to
		s.change(func() { s.touch(ev); ev.settle(x.endpoint, false) })
		s.mu.Unlock()
		return
	}
	body, url, secrets := s.encode(ev), w.URL, w.secrets(s.opts.Now())
	s.mu.Unlock()

	status, err := sendWebhook(d, url, body, secrets)
	delivered := err == nil && status >= 200 && status < 300
	retries := s.opts.WebhookRetries
	if retries == nil {
		retries = defaultWebhookRetries
	}
	if d.ctx.Err() != nil {
		return // stopping: the event still owes it (a restarted sandbox resends)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok = s.st.events.Get(x.event)
	if !ok || !ev.owes(x.endpoint) {
		return
	}
	lg := s.log.With("event", ev.ID, "type", ev.Type, "endpoint", x.endpoint, "attempt", x.attempt+1)
	switch {
	case delivered:
		s.change(func() { s.touch(ev); ev.settle(x.endpoint, true) })
		lg.Info("webhook delivered", "status", status)
	case x.attempt < len(retries):
		x.due, x.attempt = time.Now().Add(retries[x.attempt]), x.attempt+1
		d.push(s, x)
		lg.Warn("webhook delivery failed; will retry", "status", status, "err", errText(err), "retry_in", retries[x.attempt-1])
	default:
		s.change(func() { s.touch(ev); ev.settle(x.endpoint, false) })
		lg.Warn("webhook delivery failed; giving up", "status", status, "err", errText(err))
	}
}

// sendWebhook sends body to url, signed with secrets, and returns the status.
func sendWebhook(d *dispatcher, url string, body []byte, secrets []string) (int, error) {
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", webhookUserAgent)
	req.Header.Set("Stripe-Signature", SignatureHeader(body, time.Now(), secrets...))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// owes reports whether a delivery to endpoint is still scheduled.
func (ev *event) owes(endpoint string) bool {
	for _, w := range ev.owed {
		if w == endpoint {
			return true
		}
	}
	return false
}

// settle ends the delivery to endpoint: delivered counts it off
// pending_webhooks; a delivery given up on stays pending.
func (ev *event) settle(endpoint string, delivered bool) {
	kept := ev.owed[:0:0]
	for _, w := range ev.owed {
		if w != endpoint {
			kept = append(kept, w)
		}
	}
	ev.owed = kept
	if delivered && ev.PendingWebhooks > 0 {
		ev.PendingWebhooks--
	}
}
