package sandbox

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

// ids of a raw list answer's data, in order.
func listIDs(t testing.TB, r *rawResp) []string {
	t.Helper()
	if r.status != 200 || r.json["object"] != "list" {
		t.Fatalf("not a list: %d %s", r.status, r.body)
	}
	var ids []string
	for _, d := range r.json["data"].([]any) {
		ids = append(ids, d.(map[string]any)["id"].(string))
	}
	return ids
}

func TestFrameworkPagination(t *testing.T) {
	e := newEnv(t, Options{})
	var made []string // oldest first
	for i := 0; i < 12; i++ {
		made = append(made, e.addSeller(fmt.Sprintf("Shop %02d", i), "US", "usd"))
	}
	newest := func(i int) string { return made[len(made)-1-i] }

	r := e.raw("GET", "/v1/accounts", "", nil)
	ids := listIDs(t, r)
	if len(ids) != 10 || r.json["has_more"] != true || r.json["url"] != "/v1/accounts" || ids[0] != newest(0) {
		t.Fatalf("default page: %d ids, has_more %v, url %v", len(ids), r.json["has_more"], r.json["url"])
	}
	r = e.raw("GET", "/v1/accounts", "limit=5&starting_after="+newest(4), nil)
	ids = listIDs(t, r)
	if strings.Join(ids, ",") != strings.Join([]string{newest(5), newest(6), newest(7), newest(8), newest(9)}, ",") || r.json["has_more"] != true {
		t.Errorf("starting_after page: %v has_more %v", ids, r.json["has_more"])
	}
	r = e.raw("GET", "/v1/accounts", "limit=5&starting_after="+newest(9), nil)
	if ids = listIDs(t, r); len(ids) != 2 || r.json["has_more"] != false {
		t.Errorf("last page: %v has_more %v", ids, r.json["has_more"])
	}
	// ending_before: the page just before the cursor (newer objects).
	r = e.raw("GET", "/v1/accounts", "limit=3&ending_before="+newest(5), nil)
	ids = listIDs(t, r)
	if strings.Join(ids, ",") != strings.Join([]string{newest(2), newest(3), newest(4)}, ",") || r.json["has_more"] != true {
		t.Errorf("ending_before page: %v has_more %v", ids, r.json["has_more"])
	}
	r = e.raw("GET", "/v1/accounts", "limit=3&ending_before="+newest(2), nil)
	if ids = listIDs(t, r); len(ids) != 2 || r.json["has_more"] != false {
		t.Errorf("first page backwards: %v has_more %v", ids, r.json["has_more"])
	}
	// limit bounds and types.
	for _, c := range []struct{ q, code string }{
		{"limit=0", "parameter_invalid"}, {"limit=101", "parameter_invalid"}, {"limit=-1", "parameter_invalid"},
		{"limit=ten", "parameter_invalid_integer"}, {"limit=1.5", "parameter_invalid_integer"},
	} {
		r := e.raw("GET", "/v1/accounts", c.q, nil)
		r.want(t, 400, "invalid_request_error", c.code)
		if r.errField("param") != "limit" {
			t.Errorf("%s: param %q", c.q, r.errField("param"))
		}
	}
	if ids := listIDs(t, e.raw("GET", "/v1/accounts", "limit=100", nil)); len(ids) != 12 {
		t.Errorf("limit=100: %d", len(ids))
	}
	if ids := listIDs(t, e.raw("GET", "/v1/accounts", "limit=1", nil)); len(ids) != 1 {
		t.Errorf("limit=1: %d", len(ids))
	}
	// An unknown cursor is a 404 on the cursor parameter.
	r = e.raw("GET", "/v1/accounts", "starting_after=acct_1Missing0000000", nil)
	r.want(t, 404, "invalid_request_error", "resource_missing")
	if r.errField("param") != "starting_after" || r.errField("message") != "No such account: 'acct_1Missing0000000'" {
		t.Errorf("cursor error: %q %q", r.errField("param"), r.errField("message"))
	}

	// stripe-go's auto-pagination walks every page, newest first.
	lp := &stripe.AccountListParams{}
	lp.Limit = stripe.Int64(5)
	it := e.sc.Accounts.List(lp)
	var all []string
	for it.Next() {
		all = append(all, it.Account().ID)
	}
	if it.Err() != nil || len(all) != 12 || all[0] != newest(0) || all[11] != made[0] {
		t.Errorf("iterator: %d accounts, err %v", len(all), it.Err())
	}
}

func TestFrameworkExpandChecks(t *testing.T) {
	e := newEnv(t, Options{})
	for _, c := range []struct{ path, q, msg string }{
		{"/v1/account", "expand[0]=a.b.c.d.e", "You cannot expand more than 4 levels of a property."},
		{"/v1/accounts", "expand[]=data.a.b.c.d", "You cannot expand more than 4 levels of a property."},
		{"/v1/account", "expand[]=settings", "This property cannot be expanded (settings)."},
		{"/v1/events", "expand[]=data.data", "This property cannot be expanded (data)."},
	} {
		r := e.raw("GET", c.path, c.q, nil)
		r.want(t, 400, "invalid_request_error", "parameter_invalid")
		if r.errField("param") != "expand" || r.errField("message") != c.msg {
			t.Errorf("%s?%s: param %q message %q", c.path, c.q, r.errField("param"), r.errField("message"))
		}
	}
}
