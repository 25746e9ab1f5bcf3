package stripeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"kasse/pos"
)

// RecentRequests returns the recorded requests (pos.RequestRecord: one
// HTTP attempt each, no secret in it), oldest first. Retries made
// by stripe-go appear as separate records.
func (c *Client) RecentRequests() []pos.RequestRecord { return c.requests.snapshot() }

// requestLog is a fixed-size ring buffer of pos.RequestRecords.
type requestLog struct {
	mu   sync.Mutex
	buf  []pos.RequestRecord
	next int  // slot the next record goes to
	full bool // buf has wrapped at least once
}

func newRequestLog(size int) *requestLog {
	return &requestLog{buf: make([]pos.RequestRecord, size)}
}

func (l *requestLog) add(r pos.RequestRecord) {
	if len(l.buf) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf[l.next] = r
	l.next = (l.next + 1) % len(l.buf)
	if l.next == 0 {
		l.full = true
	}
}

func (l *requestLog) snapshot() []pos.RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append([]pos.RequestRecord(nil), l.buf[:l.next]...)
	}
	out := make([]pos.RequestRecord, 0, len(l.buf))
	out = append(out, l.buf[l.next:]...)
	return append(out, l.buf[:l.next]...)
}

// transport wraps the caller's RoundTripper. It
//   - strips Idempotency-Key from anything but POST: stripe-go invents one
//     for DELETE, and keys on GET/DELETE mean nothing to Stripe;
//   - records every attempt in the request log and logs it at Debug.
type transport struct {
	next   http.RoundTripper
	log    *requestLog
	logger *slog.Logger
	scrub  func(string) string
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost && req.Header.Get("Idempotency-Key") != "" {
		req = req.Clone(req.Context()) // a RoundTripper must not modify its request
		req.Header.Del("Idempotency-Key")
	}
	rec := pos.RequestRecord{
		Time:    time.Now(),
		Method:  req.Method,
		Path:    req.URL.Path,
		Account: req.Header.Get("Stripe-Account"),
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		rec.Error = t.scrub(err.Error())
	} else {
		rec.Status = resp.StatusCode
		rec.RequestID = resp.Header.Get("Request-Id")
		if resp.StatusCode >= 400 {
			rec.ErrorCode = peekErrorCode(resp)
		}
	}
	rec.Duration = time.Since(rec.Time)
	t.log.add(rec)
	if t.logger != nil {
		t.logger.Debug("stripe request",
			"method", rec.Method, "path", rec.Path, "account", rec.Account,
			"status", rec.Status, "request_id", rec.RequestID,
			"error_code", rec.ErrorCode, "error", rec.Error, "duration", rec.Duration)
	}
	return resp, err
}

// maxErrorBody bounds how much of an error body is buffered to find its code.
const maxErrorBody = 1 << 20

// peekErrorCode reads an error body, puts it back for stripe-go, and returns
// error.code (or error.type when there is no code).
func peekErrorCode(resp *http.Response) string {
	if resp.Body == nil {
		return ""
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), rest), rest}
	if err != nil {
		return ""
	}
	var e struct {
		Error struct {
			Code string `json:"code"`
			Type string `json:"type"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	if e.Error.Code != "" {
		return e.Error.Code
	}
	return e.Error.Type
}
