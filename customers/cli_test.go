package customers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	kcli "kasse/internal/cli"
	"kasse/pos"
)

// run runs `kasse customers args…` and returns the exit code, stdout and
// stderr.
func (e *env) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunCustomers(context.Background(), CLIDeps{Service: e.svc, Terminal: e.client, Operator: "anna", Mode: "sandbox"},
		args, kcli.IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestCLIListShowCreate(t *testing.T) {
	e := newEnv(t)
	code, out, _ := e.run("list", "--search", "mara", "--json")
	var list []CustomerJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].Account != "platform" {
		t.Fatalf("list: %d %s", code, out)
	}
	mara := list[0].ID
	code, out, _ = e.run("show", "--customer", mara, "--json")
	var show ShowJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &show) != nil || len(show.Cards) != 1 || show.Cards[0].Last4 != "4242" ||
		len(show.Copies) != 1 {
		t.Fatalf("show: %d %s", code, out)
	}
	code, out, _ = e.run("show", "--customer", mara)
	if code != ExitOK || !strings.Contains(out, "visa ending 4242") || !strings.Contains(out, "copy at") {
		t.Fatalf("show text: %d\n%s", code, out)
	}
	// Theo's card shows as expired.
	code, out, _ = e.run("list", "--search", "theo", "--json")
	json.Unmarshal([]byte(out), &list)
	code, out, _ = e.run("show", "--customer", list[0].ID, "--json")
	json.Unmarshal([]byte(out), &show)
	if code != ExitOK || !show.Cards[0].Expired {
		t.Fatalf("Theo's card: %s", out)
	}
	lumen := string(e.sellers["Lumen Coffee"].ID)
	code, out, _ = e.run("create", "--seller", lumen, "--name", "Kim Park", "--email", "kim@example.com", "--json")
	var created CustomerJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &created) != nil || created.Account != lumen || !strings.HasPrefix(created.ID, "cus_") {
		t.Fatalf("create: %d %s", code, out)
	}
	if c, _ := e.client.GetCustomer(context.Background(), pos.Account(lumen), created.ID); c.Email != "kim@example.com" {
		t.Fatalf("created %+v", c)
	}
}

func TestCLIBadInput(t *testing.T) {
	e := newEnv(t)
	n := len(e.client.RecentRequests())
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"create", "--name", "X", "--email", "nope"}, "not an email address"},
		{[]string{"create", "--email", "a@example.com"}, "a customer needs a name"},
		{[]string{"show"}, "--customer is required"},
		{[]string{"list", "--seller", "bob"}, "a connected account id"},
		{[]string{"save-card", "--customer", "cus_x", "--reader", "tmr_x"}, "--consent is required"},
		{[]string{"frobnicate"}, "unknown command"},
	} {
		code, _, errOut := e.run(tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%v: %d %q", tc.args, code, errOut)
		}
	}
	if reqs := e.requestsSince(n); len(reqs) != 0 {
		t.Errorf("bad input sent %v", reqs)
	}
	code, _, errOut := e.run("show", "--customer", "cus_nobody")
	if code != ExitUsage || !strings.Contains(errOut, "no such customer") {
		t.Errorf("unknown customer: %d %q", code, errOut)
	}
}

func TestCLISaveCard(t *testing.T) {
	e := newEnv(t)
	code, out, _ := e.run("list", "--search", "priya", "--json")
	var list []CustomerJSON
	json.Unmarshal([]byte(out), &list)
	priya, rd := list[0].ID, e.readers["Sakura Ramen"].ID
	code, out, _ = e.run("save-card", "--customer", priya, "--reader", rd, "--consent", "--simulate-card", "378282246310005", "--json")
	var res SaveJSON
	if code != ExitOK || json.Unmarshal([]byte(out), &res) != nil || res.Status != "saved" || res.Card == nil || res.Card.Last4 != "0005" {
		t.Fatalf("save: %d %s", code, out)
	}
	code, out, _ = e.run("save-card", "--customer", priya, "--reader", rd, "--consent", "--simulate-card", "4242420000000000", "--json")
	if code != ExitDeclined || json.Unmarshal([]byte(out), &res) != nil || res.Status != "not_saved" || !strings.Contains(res.Message, "phone wallet") {
		t.Fatalf("wallet: %d %s", code, out)
	}
	code, out, _ = e.run("save-card", "--customer", priya, "--reader", rd, "--consent", "--timeout", "1ms", "--json")
	if code != ExitCanceled || json.Unmarshal([]byte(out), &res) != nil || res.Status != "timed_out" {
		t.Fatalf("timeout: %d %s", code, out)
	}
}
