package stripeapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kasse/pos"
)

func TestRecentRequestsRecordsAttempts(t *testing.T) {
	fake := newFakeStripe(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/process_payment_intent") {
			jsonReply(400, stripeError("invalid_request_error", "terminal_reader_busy", ""))(w, r)
			return
		}
		if r.URL.Path == "/v1/payment_intents/pi_gone" {
			jsonReply(404, stripeError("invalid_request_error", "", ""))(w, r)
			return
		}
		cannedStripe(w, r)
	})
	c := newClient(t, fake.URL)
	ctx := testCtx(t)
	_, _ = c.GetIntent(ctx, seller, "pi_1")
	_, _ = c.ProcessIntent(ctx, pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "k1")
	_, _ = c.GetIntent(ctx, seller, "pi_gone")

	recs := c.RecentRequests()
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3: %+v", len(recs), recs)
	}
	want := []pos.RequestRecord{
		{Method: "GET", Path: "/v1/payment_intents/pi_1", Account: string(seller), RequestID: "req_fake", Status: 200},
		{Method: "POST", Path: "/v1/terminal/readers/tmr_1/process_payment_intent", RequestID: "req_fake", Status: 400, ErrorCode: "terminal_reader_busy"},
		{Method: "GET", Path: "/v1/payment_intents/pi_gone", Account: string(seller), RequestID: "req_fake", Status: 404, ErrorCode: "invalid_request_error"},
	}
	for i, r := range recs {
		if r.Time.IsZero() || r.Duration <= 0 {
			t.Errorf("record %d has no time or duration: %+v", i, r)
		}
		r.Time, r.Duration = want[i].Time, want[i].Duration
		if r != want[i] {
			t.Errorf("record %d = %+v\nwant        %+v", i, r, want[i])
		}
	}
	// The error body was put back for stripe-go: the code reached the caller.
	_, err := c.ProcessIntent(ctx, pos.Platform, "tmr_1", "pi_1", pos.ProcessConfig{}, "k2")
	if !pos.IsKind(err, pos.KindReaderBusy) {
		t.Errorf("err = %v, want reader busy", err)
	}
}

func TestRecentRequestsTransportError(t *testing.T) {
	fake := newFakeStripe(t, hangUp)
	c := newClient(t, fake.URL)
	_ = c.DeleteReader(testCtx(t), pos.Platform, "tmr_1")
	recs := c.RecentRequests()
	if len(recs) != 1 || recs[0].Status != 0 || recs[0].Error == "" || recs[0].Method != "DELETE" {
		t.Fatalf("records = %+v, want one DELETE with a transport error and no status", recs)
	}
}

func TestRequestLogRing(t *testing.T) {
	l := newRequestLog(3)
	if got := l.snapshot(); len(got) != 0 {
		t.Fatalf("empty log snapshot = %v", got)
	}
	for i := 1; i <= 5; i++ {
		l.add(pos.RequestRecord{Path: fmt.Sprint(i)})
		got := l.snapshot()
		var paths []string
		for _, r := range got {
			paths = append(paths, r.Path)
		}
		wantN := min(i, 3)
		var want []string
		for j := i - wantN + 1; j <= i; j++ {
			want = append(want, fmt.Sprint(j))
		}
		if strings.Join(paths, ",") != strings.Join(want, ",") {
			t.Errorf("after %d adds: %v, want %v (oldest first, last 3)", i, paths, want)
		}
	}
	off := newRequestLog(0)
	off.add(pos.RequestRecord{Path: "x"})
	if got := off.snapshot(); len(got) != 0 {
		t.Errorf("disabled log kept %v", got)
	}
}

func TestRequestLogSizeConfig(t *testing.T) {
	fake := newFakeStripe(t, cannedStripe)
	c, err := New(Config{APIKey: testKey, BaseURL: fake.URL, RequestLogSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"tmr_1", "tmr_2", "tmr_3"} {
		_, _ = c.GetReader(testCtx(t), pos.Platform, id)
	}
	recs := c.RecentRequests()
	if len(recs) != 2 || recs[0].Path != "/v1/terminal/readers/tmr_2" || recs[1].Path != "/v1/terminal/readers/tmr_3" {
		t.Fatalf("records = %+v, want the last two GETs", recs)
	}
}
