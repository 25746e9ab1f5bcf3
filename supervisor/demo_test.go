package supervisor_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"kasse/config"
	"kasse/journal"
	"kasse/supervisor"
)

// The demo operators get their demo PINs once; a demo PIN changed since is
// a real PIN and is reported as changed, never as digits.
func TestSeedDemoPINs(t *testing.T) {
	ctx := context.Background()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal-sandbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	demo := supervisor.DemoOperators()
	roles := map[config.Role]bool{}
	var ops []config.Operator
	for _, d := range demo {
		roles[d.Role] = true
		ops = append(ops, d.Operator)
		if err := supervisor.CheckPIN(supervisor.PIN(d.PIN)); err != nil {
			t.Errorf("demo PIN of %s: %v", d.Name, err)
		}
	}
	if len(demo) != 3 || !roles[config.RoleCashier] || !roles[config.RoleSupervisor] || !roles[config.RoleTech] {
		t.Fatalf("demo operators %+v: want one per role", demo)
	}
	g := &supervisor.Guard{Journal: j, Operators: ops}
	if _, err := g.SeedDemoPINs(ctx, demo, false); err != nil {
		t.Fatal(err)
	}
	for _, d := range demo {
		if err := g.Authorize(ctx, supervisor.Attempt{Operator: d.Name, Action: supervisor.ActionPinChange, PIN: supervisor.PIN(d.PIN)}); err != nil {
			t.Errorf("%s with the demo PIN: %v", d.Name, err)
		}
	}
	bea := demo[1]
	if bea.Role != config.RoleSupervisor || bea.PIN.String() != "2718" || fmt.Sprint(bea.PIN) != "2718" {
		t.Fatalf("the demo supervisor is %+v (the README names bea, 2718)", bea)
	}
	if err := g.SetPIN(ctx, supervisor.SetPINRequest{Operator: "bea", Current: "2718", New: "482916"}); err != nil {
		t.Fatal(err)
	}
	got, err := g.SeedDemoPINs(ctx, demo, true) // seeds nothing again
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		want := supervisor.DemoPIN("")
		if d.Name != "bea" {
			want = map[string]supervisor.DemoPIN{"anna": "3141", "tom": "1618"}[d.Name]
		}
		if d.PIN != want {
			t.Errorf("%s reported with %q, want %q", d.Name, d.PIN, want)
		}
	}
	if err := g.Authorize(ctx, supervisor.Attempt{Operator: "bea", Action: supervisor.ActionRefund, PIN: "482916"}); err != nil {
		t.Errorf("bea's own PIN after a second seeding: %v", err)
	}
	list, _ := j.ListAudit(ctx, journal.AuditFilter{Limit: 100})
	n := 0
	for _, a := range list {
		if a.Action == "pin.set" && strings.Contains(a.Detail, "demo PIN (sandbox)") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d demo PIN audit entries, want 3", n)
	}
	// Not configured as a demo operator: an error, nothing stored.
	g.Operators = ops[:1]
	if _, err := g.SeedDemoPINs(ctx, demo, false); err == nil || !strings.Contains(err.Error(), "not configured") {
		t.Errorf("unconfigured demo operator: %v", err)
	}
}
