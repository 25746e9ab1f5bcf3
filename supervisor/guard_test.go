package supervisor_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kasse/journal"
	"kasse/supervisor"
)

func newGuard(e *env, j *journal.Journal) *supervisor.Guard {
	return &supervisor.Guard{Journal: j, Operators: operators, Lockout: 5 * time.Minute, Now: e.clock.Now, Log: e.log}
}

func refusal(t *testing.T, err error, kind supervisor.RefusalKind) *supervisor.Refusal {
	t.Helper()
	r, ok := supervisor.AsRefusal(err)
	if !ok || r.Kind != kind {
		t.Fatalf("got %v, want a %s refusal", err, kind)
	}
	return r
}

func TestWrongPINFiveTimesLocksAndPersists(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	g := newGuard(e, e.journal)
	wrong := supervisor.Attempt{Operator: "ann", Action: supervisor.ActionRefund, Subject: "pi_x", PIN: "111111"}
	for left := 4; left >= 2; left-- {
		r := refusal(t, g.Authorize(ctx, wrong), supervisor.RefusedWrongPIN)
		if r.TriesLeft != left || r.Msg != "wrong PIN, "+string(rune('0'+left))+" tries left" {
			t.Fatalf("refusal %q (tries left %d), want %d left", r.Msg, r.TriesLeft, left)
		}
	}
	r := refusal(t, g.Authorize(ctx, wrong), supervisor.RefusedWrongPIN)
	if r.TriesLeft != 1 || !strings.Contains(r.Msg, "1 try left before a lockout of 5m") {
		t.Fatalf("fourth: %q", r.Msg)
	}
	e.clock.Add(30 * time.Second)
	r = refusal(t, g.Authorize(ctx, wrong), supervisor.RefusedLocked)
	until := e.clock.Now().Add(5 * time.Minute).Format("15:04")
	if r.LockedUntil.Format("15:04") != until || r.Msg != "wrong PIN; ann is locked until "+until+" after 5 wrong PINs in a row" {
		t.Fatalf("fifth: %q", r.Msg)
	}
	// Locked: even the right PIN is refused, and not verified.
	right := wrong
	right.PIN = thePIN
	r = refusal(t, g.Authorize(ctx, right), supervisor.RefusedLocked)
	if r.Msg != "ann is locked until "+until+" after 5 wrong PINs in a row" {
		t.Fatalf("locked: %q", r.Msg)
	}
	// The lock is in the journal: a new Guard on the reopened file sees it,
	// for every PIN action (one count per operator).
	e.journal.Close()
	j2, err := journal.Open(e.jpath)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	g2 := newGuard(e, j2)
	void := right
	void.Action = supervisor.ActionVoid
	refusal(t, g2.Authorize(ctx, void), supervisor.RefusedLocked)
	if st, err := g2.Status(ctx, "ann"); err != nil || st.TriesLeft != 0 || st.LockedUntil.IsZero() || !st.HasPIN {
		t.Fatalf("status while locked: %+v, %v", st, err)
	}
	// Other operators are not affected.
	if err := g2.Authorize(ctx, supervisor.Attempt{Operator: "sam", Action: supervisor.ActionRefund, PIN: "5802"}); err != nil {
		t.Fatalf("sam: %v", err)
	}
	// After the lockout the right PIN works and the count starts again.
	e.clock.Add(5 * time.Minute)
	if err := g2.Authorize(ctx, right); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if st, _ := g2.Status(ctx, "ann"); st.TriesLeft != 5 || !st.LockedUntil.IsZero() {
		t.Fatalf("status after success: %+v", st)
	}
	got := map[string]int{}
	list, _ := j2.ListAudit(ctx, journal.AuditFilter{})
	for _, a := range list {
		if a.Who == "ann" {
			got[a.Action]++
		}
		if strings.Contains(a.Detail+a.Reason+a.Subject, "739184") || strings.Contains(a.Detail, "111111") {
			t.Fatalf("audit holds a PIN: %+v", a)
		}
	}
	if got["auth.fail"] != 5 || got["auth.locked"] != 2 || got["auth.ok"] != 1 {
		t.Fatalf("audit counts = %v", got)
	}
}

func TestSuccessResetsTheCount(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	g := newGuard(e, e.journal)
	for i := 0; i < 4; i++ {
		g.Authorize(ctx, supervisor.Attempt{Operator: "ann", Action: supervisor.ActionRefund, PIN: "000000"})
	}
	if err := g.Authorize(ctx, supervisor.Attempt{Operator: "ann", Action: supervisor.ActionRefund, PIN: thePIN}); err != nil {
		t.Fatal(err)
	}
	r := refusal(t, g.Authorize(ctx, supervisor.Attempt{Operator: "ann", Action: supervisor.ActionRefund, PIN: "000000"}), supervisor.RefusedWrongPIN)
	if r.TriesLeft != 4 {
		t.Fatalf("after a success, tries left = %d", r.TriesLeft)
	}
}

func TestRolesAndMissingPIN(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	g := newGuard(e, e.journal)
	cases := []struct {
		op     string
		action supervisor.Action
		pin    supervisor.PIN
		kind   supervisor.RefusalKind
		msg    string
	}{
		{"bo", supervisor.ActionRefund, "1357", supervisor.RefusedRole, "bo is a cashier; refunds need a supervisor"},
		{"bo", supervisor.ActionVoid, "1357", supervisor.RefusedRole, "bo is a cashier; voids need a supervisor"},
		{"tess", supervisor.ActionRefund, "2468", supervisor.RefusedRole, "tess is a tech; refunds need a supervisor"},
		{"bo", supervisor.ActionReaders, "1357", supervisor.RefusedRole, "bo is a cashier; reader screens and commands need a tech or a supervisor"},
		{"zed", supervisor.ActionRefund, thePIN, supervisor.RefusedUnknownOperator, `there is no operator named "zed"; add an [[operators]] entry to the configuration`},
	}
	for _, c := range cases {
		r := refusal(t, g.Authorize(ctx, supervisor.Attempt{Operator: c.op, Action: c.action, PIN: c.pin}), c.kind)
		if r.Msg != c.msg {
			t.Errorf("%s %s: %q, want %q", c.op, c.action, r.Msg, c.msg)
		}
	}
	if err := g.Authorize(ctx, supervisor.Attempt{Operator: "tess", Action: supervisor.ActionReaders, PIN: "2468"}); err != nil {
		t.Fatalf("tech on reader screens: %v", err)
	}
	if err := g.Authorize(ctx, supervisor.Attempt{Operator: "ann", Action: supervisor.ActionReaders, PIN: thePIN}); err != nil {
		t.Fatalf("supervisor on reader screens: %v", err)
	}
	// A role refusal is not a PIN try.
	if st, _ := g.Status(ctx, "bo"); st.TriesLeft != 5 {
		t.Fatalf("bo tries left = %d", st.TriesLeft)
	}
	// No PIN yet.
	g.Operators = append(g.Operators, operators[0])
	g.Operators[len(g.Operators)-1].Name = "newbie"
	r := refusal(t, g.Authorize(ctx, supervisor.Attempt{Operator: "newbie", Action: supervisor.ActionRefund, PIN: "5555"}), supervisor.RefusedNoPIN)
	if r.Msg != "newbie has no PIN yet: a supervisor sets a first PIN with `kasse pin set --operator newbie --by SUPERVISOR`" {
		t.Fatalf("no PIN: %q", r.Msg)
	}
	if n := len(e.auditOf("auth.denied")); n != 6 {
		t.Fatalf("auth.denied entries = %d, want 6", n)
	}
	if err := g.Allowed("bo", supervisor.ActionRefund); err == nil || !supervisor.Permitted("supervisor", supervisor.ActionRefund) {
		t.Fatal("Allowed/Permitted")
	}
}

// A damaged stored hash is an error (not a wrong PIN, not a lock).
func TestUnusableStoredHash(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if err := e.journal.SetPinHash(ctx, "sam", "$argon2id$v=19$broken", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	err := newGuard(e, e.journal).Authorize(ctx, supervisor.Attempt{Operator: "sam", Action: supervisor.ActionRefund, PIN: "5802"})
	if _, refused := supervisor.AsRefusal(err); refused || !errors.Is(err, supervisor.ErrHash) {
		t.Fatalf("broken hash: %v", err)
	}
}
