package sandbox

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	const ppi = "/v1/terminal/readers/{id}/process_payment_intent"
	for spec, want := range map[string]Fault{
		"latency=300ms":                              {Kind: FaultLatency, Latency: 300 * time.Millisecond},
		"drop@POST:/v1/payment_intents~0.1":          {Kind: FaultDrop, Method: "POST", Route: "/v1/payment_intents", Rate: 0.1},
		"reader_timeout_applied@POST:" + ppi + " x1": {Kind: FaultReaderTimeoutApplied, Method: "POST", Route: ppi, Times: 1},
		"503@GET x2":                                 {Kind: Fault503, Method: "GET", Times: 2},
		"500x3":                                      {Kind: Fault500, Times: 3},
		"lock_timeout@/v1/payment_intents/{id}/capture": {Kind: FaultLockTimeout, Route: "/v1/payment_intents/{id}/capture"},
		"rate_limit~1":                             {Kind: FaultRateLimit},
		"rate_limit ~0.25 x4":                      {Kind: FaultRateLimit, Rate: 0.25, Times: 4},
		"drop=2s@DELETE:/v1/terminal/readers/{id}": {Kind: FaultDrop, Latency: 2 * time.Second, Method: "DELETE", Route: "/v1/terminal/readers/{id}"},
		"reader_offline@/v1/test_helpers/terminal/readers/{id}/present_payment_method": {Kind: FaultReaderOffline,
			Route: "/v1/test_helpers/terminal/readers/{id}/present_payment_method"},
		"  reader_timeout@POST:/v1/terminal/readers/{id}/cancel_action  ": {Kind: FaultReaderTimeout, Method: "POST",
			Route: "/v1/terminal/readers/{id}/cancel_action"},
		"latency=1.5s~0.5": {Kind: FaultLatency, Latency: 1500 * time.Millisecond, Rate: 0.5},
	} {
		got, err := ParseFault(spec)
		if err != nil {
			t.Errorf("ParseFault(%q): %v", spec, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ParseFault(%q) = %+v, want %+v", spec, got, want)
		}
		back, err := ParseFault(got.String())
		if err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("round trip of %q via %q: %+v %v", spec, got.String(), back, err)
		}
	}
}

func TestParseFaultErrors(t *testing.T) {
	for spec, wantMsg := range map[string]string{
		"":                              "want KIND",
		"explode":                       `unknown kind "explode"`,
		"latency":                       "latency needs a duration",
		"latency=fast":                  `duration "fast"`,
		"latency=-1s":                   `duration "-1s"`,
		"500@PATCH:/v1/payment_intents": `method "PATCH"`,
		"500@post:/v1/payment_intents":  `method "post"`,
		"500@POST:":                     "missing route",
		"500@/v1/nope":                  `unknown route "/v1/nope"`,
		"500@POST:/v1/payment_intents/pi_123/capture": `use "/v1/payment_intents/{id}/capture"`,
		"500@DELETE:/v1/payment_intents":              "has no DELETE",
		"drop~0":                                      `rate "0"`,
		"drop~1.5":                                    `rate "1.5"`,
		"drop~x":                                      "want KIND",
		"drop x0":                                     `times "0"`,
		"reader_offline":                              "applies to reader commands only",
		"reader_timeout@POST:/v1/payment_intents": "applies to reader commands only",
		"drop@POST:/v1/payment_intents extra":     "want KIND",
	} {
		_, err := ParseFault(spec)
		if err == nil {
			t.Errorf("ParseFault(%q) accepted", spec)
			continue
		}
		if !strings.Contains(err.Error(), wantMsg) {
			t.Errorf("ParseFault(%q): %v (want %q in it)", spec, err, wantMsg)
		}
	}
}

// Every route pattern of the sandbox is accepted with its method.
func TestParseFaultEveryRoute(t *testing.T) {
	for _, r := range routeTable {
		spec := "500@" + r.method + ":" + r.path
		f, err := ParseFault(spec)
		if err != nil || f.Route != r.path || f.Method != r.method {
			t.Errorf("%s: %+v %v", spec, f, err)
		}
	}
}
