package faults

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Syntax is the grammar of Parse, for command-line help.
//
//		KIND[=DURATION][@[METHOD:]ROUTE][~RATE][xTIMES]
//
//	  - KIND: latency, 500, 503, lock_timeout, rate_limit, drop,
//	    reader_offline, reader_timeout, reader_timeout_applied (see Kind).
//	  - =DURATION: a Go duration ("300ms", "2s"). Required for latency (the
//	    delay); for other kinds, a delay added before the fault.
//	  - @METHOD:ROUTE, @ROUTE or @METHOD selects requests. ROUTE is one of
//	    the sandbox's route patterns, with "{id}" for the object id, e.g.
//	    /v1/terminal/readers/{id}/process_payment_intent. METHOD is GET, POST
//	    or DELETE. Without "@" the fault applies to every request. The
//	    reader_* kinds need a reader-action route.
//	  - ~RATE: probability of firing per matching request, in (0, 1]
//	    (default 1).
//	  - xTIMES: fire at most this many times (default: no limit).
//
// Examples: "latency=300ms", "drop@POST:/v1/payment_intents~0.1",
// "reader_timeout_applied@POST:/v1/terminal/readers/{id}/process_payment_intent x1",
// "503@GET x2". Blanks are allowed only before "~" and "x".
const Syntax = "KIND[=DURATION][@[METHOD:]ROUTE][~RATE][xTIMES]"

var faultSpecRE = regexp.MustCompile(`^([a-z0-9_]+?)(?:=([^@~\s]+?))?(?:@([^~\s]+?))?(?:\s*~([^x\s]+))?(?:\s*x([0-9]+))?$`)

// faultKinds lists the kinds Parse accepts, in documentation order.
var faultKinds = []Kind{Latency, Status500, Status503, LockTimeout, RateLimit, Drop,
	ReaderOffline, ReaderTimeout, ReaderTimeoutApplied}

// Routes is what Parse needs to know of the API's routes.
type Routes interface {
	// Methods lists the methods of a route pattern (none: no such pattern).
	Methods(pattern string) []string
	// Match returns the pattern a concrete path matches with method ("":
	// none).
	Match(method, path string) string
}

// Parse reads one fault in Syntax, for the `kasse sandbox` command's
// flags; routes checks the route it names. Errors name the part that is
// wrong.
func Parse(spec string, routes Routes) (Fault, error) {
	spec = strings.TrimSpace(spec)
	m := faultSpecRE.FindStringSubmatch(spec)
	if m == nil {
		return Fault{}, fmt.Errorf("fault %q: want %s", spec, Syntax)
	}
	f := Fault{Kind: Kind(m[1])}
	if !knownKind(f.Kind) {
		return Fault{}, fmt.Errorf("fault %q: unknown kind %q (want one of %s)", spec, m[1], kindList())
	}
	if m[2] != "" {
		d, err := time.ParseDuration(m[2])
		if err != nil || d <= 0 {
			return Fault{}, fmt.Errorf("fault %q: duration %q: want a positive Go duration such as 300ms", spec, m[2])
		}
		f.Latency = d
	} else if f.Kind == Latency {
		return Fault{}, fmt.Errorf("fault %q: latency needs a duration, e.g. latency=300ms", spec)
	}
	if m[3] != "" {
		if err := parseTarget(&f, m[3], routes); err != nil {
			return Fault{}, fmt.Errorf("fault %q: %v", spec, err)
		}
	}
	if isReaderFault(f.Kind) && !isReaderActionRoute(f.Route) {
		return Fault{}, fmt.Errorf("fault %q: %s applies to reader commands only: add @POST:/v1/terminal/readers/{id}/<action>", spec, f.Kind)
	}
	if m[4] != "" {
		r, err := strconv.ParseFloat(m[4], 64)
		if err != nil || !(r > 0 && r <= 1) {
			return Fault{}, fmt.Errorf("fault %q: rate %q: want a number in (0, 1]", spec, m[4])
		}
		if r < 1 { // 1 is the default, stored as 0
			f.Rate = r
		}
	}
	if m[5] != "" {
		n, err := strconv.Atoi(m[5])
		if err != nil || n < 1 {
			return Fault{}, fmt.Errorf("fault %q: times %q: want a positive integer", spec, m[5])
		}
		f.Times = n
	}
	return f, nil
}

// parseTarget reads METHOD:ROUTE, ROUTE or METHOD.
func parseTarget(f *Fault, target string, routes Routes) error {
	method, route := "", target
	if !strings.HasPrefix(target, "/") {
		var found bool
		method, route, found = strings.Cut(target, ":")
		if !found {
			route = ""
		}
		switch method {
		case http.MethodGet, http.MethodPost, http.MethodDelete:
		default:
			return fmt.Errorf("method %q: want GET, POST or DELETE", method)
		}
		if found && route == "" {
			return fmt.Errorf("missing route after %q", method+":")
		}
	}
	f.Method, f.Route = method, route
	if route == "" {
		return nil
	}
	methods := routes.Methods(route)
	if len(methods) == 0 {
		// A concrete path ("/v1/payment_intents/pi_123") names the pattern
		// it matches; say which.
		for _, m := range []string{method, http.MethodPost, http.MethodGet, http.MethodDelete} {
			if m == "" {
				continue
			}
			if p := routes.Match(m, route); p != "" {
				return fmt.Errorf("route %q is a path, not a route pattern: use %q", route, p)
			}
		}
		return fmt.Errorf("unknown route %q (want a sandbox route pattern such as /v1/payment_intents/{id}/capture)", route)
	}
	if method != "" && !contains(methods, method) {
		methods = slices.Sorted(slices.Values(methods))
		return fmt.Errorf("route %s has no %s (it has %s)", route, method, strings.Join(methods, ", "))
	}
	return nil
}

func knownKind(k Kind) bool {
	for _, x := range faultKinds {
		if x == k {
			return true
		}
	}
	return false
}

func kindList() string {
	var b strings.Builder
	for i, k := range faultKinds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	return b.String()
}

func isReaderFault(k Kind) bool {
	return k == ReaderOffline || k == ReaderTimeout || k == ReaderTimeoutApplied
}

// isReaderActionRoute: a command sent to a reader (its id route's
// sub-resources, including the test helpers').
func isReaderActionRoute(route string) bool {
	return strings.HasPrefix(route, "/v1/terminal/readers/{id}/") ||
		strings.HasPrefix(route, "/v1/test_helpers/terminal/readers/{id}/")
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// String renders f in Syntax; Parse(f.String()) gives f back for every
// fault Parse accepts.
func (f Fault) String() string {
	var b strings.Builder
	b.WriteString(string(f.Kind))
	if f.Latency > 0 {
		b.WriteString("=" + f.Latency.String())
	}
	switch {
	case f.Method != "" && f.Route != "":
		b.WriteString("@" + f.Method + ":" + f.Route)
	case f.Method != "":
		b.WriteString("@" + f.Method)
	case f.Route != "":
		b.WriteString("@" + f.Route)
	}
	if f.Rate > 0 && f.Rate < 1 {
		b.WriteString("~" + strconv.FormatFloat(f.Rate, 'g', -1, 64))
	}
	if f.Times > 0 {
		b.WriteString("x" + strconv.Itoa(f.Times))
	}
	return b.String()
}
