package widgets

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
	"kasse/supervisor"
)

// posDir is the pos package's source, which these tests read.
const posDir = "../../pos"

// Every notice of the table is one pos writes (word for word), and its
// English message says the same: the table cannot drift from pos's
// sentences unnoticed. German says it in German.
func TestNoticesAreThoseOfPos(t *testing.T) {
	var src strings.Builder
	files, _ := filepath.Glob(filepath.Join(posDir, "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	en, de := i18n.New(i18n.English), i18n.New(i18n.German)
	for text, id := range i18n.Notices() {
		if !strings.Contains(src.String(), strconv.Quote(text)) {
			t.Errorf("pos no longer writes the notice %q", text)
		}
		if got := Notice(en, text); got != text {
			t.Errorf("%s in English: %q, pos writes %q", id, got, text)
		}
		if got := Notice(de, text); got == text || strings.HasPrefix(got, "[") {
			t.Errorf("%s in German: %q", id, got)
		}
	}
	if got := Notice(de, "Not sent: the journal is full"); got != "Nicht gesendet: the journal is full" {
		t.Errorf("a Not sent notice: %q", got)
	}
	if got := Notice(de, "Something new."); got != "Something new." {
		t.Errorf("an unknown notice: %q", got)
	}
}

// declineCodes are the keys of pos's decline table, read from its source.
func declineCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(posDir, "decline.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "declineTexts" || len(vs.Values) != 1 {
			return true
		}
		for _, e := range vs.Values[0].(*ast.CompositeLit).Elts {
			k := e.(*ast.KeyValueExpr).Key.(*ast.BasicLit)
			code, _ := strconv.Unquote(k.Value)
			codes = append(codes, code)
		}
		return false
	})
	if len(codes) < 20 {
		t.Fatalf("found %d decline codes in pos/decline.go", len(codes))
	}
	return codes
}

// Every decline code pos words has its words here, the same in English
// (what to tell the customer, what the cashier does), its own in German;
// an unknown code gets the generic text, as in pos.
func TestDeclinesAreThoseOfPos(t *testing.T) {
	en, de := i18n.New(i18n.English), i18n.New(i18n.German)
	for _, code := range append(declineCodes(t), "no_such_code") {
		if _, ok := i18n.Declines()[code]; !ok && code != "no_such_code" {
			t.Errorf("%s: no words here", code)
		}
		wm, wh := pos.DeclineReason("card_declined", code)
		if m, h := Decline(en, "card_declined", code); m != wm || h != wh {
			t.Errorf("%s in English: %q %q, pos: %q %q", code, m, h, wm, wh)
		}
		if m, h := Decline(de, "card_declined", code); m == wm || h == wh || strings.HasPrefix(m, "[") || strings.HasPrefix(h, "[") {
			t.Errorf("%s in German: %q %q", code, m, h)
		}
	}
	if len(i18n.Declines()) != len(declineCodes(t)) {
		t.Errorf("%d codes here, %d in pos", len(i18n.Declines()), len(declineCodes(t)))
	}
}

func TestCartProblemsByKind(t *testing.T) {
	de := i18n.New(i18n.German)
	c, _ := pos.NewCart("eur")
	_, err := c.Add(pos.Line{Description: "x", Quantity: 0, UnitPrice: 100})
	if got, want := CartProblem(de, err, "eur"), "Eine Menge ist eine ganze Zahl von 1 bis "+fmt.Sprint(pos.MaxQuantity)+"."; got != want {
		t.Errorf("quantity 0: %q, want %q", got, want)
	}
	c, _ = c.Add(pos.Line{Description: "x", Quantity: 1, UnitPrice: 10})
	if got := CartProblem(de, c.ValidateForCharge(), "eur"); got != "Die Summe liegt unter Stripes Mindestbetrag von 0,50\u00a0€." {
		t.Errorf("below the minimum: %q", got)
	}
	if got := CartProblem(de, errors.New("plain"), "eur"); got != "plain" {
		t.Errorf("another error: %q", got)
	}
	if got, want := Percent(de, 8875), "8,875\u00a0%"; got != want {
		t.Errorf("Percent = %q, want %q", got, want)
	}
	if got, want := Percent(i18n.New(i18n.English), 19000), "19%"; got != want {
		t.Errorf("Percent = %q, want %q", got, want)
	}
}

// A PIN refusal is worded from its fields, never from its English text.
func TestRefusalInWords(t *testing.T) {
	de := i18n.New(i18n.German)
	now := time.Date(2026, 3, 14, 15, 9, 0, 0, time.UTC)
	for _, c := range []struct {
		r    supervisor.Refusal
		want string
	}{
		{supervisor.Refusal{Kind: supervisor.RefusedWrongPIN, Operator: "bea", TriesLeft: 2}, "falsche PIN, noch 2 Versuche"},
		{supervisor.Refusal{Kind: supervisor.RefusedWrongPIN, Operator: "bea", TriesLeft: 1}, "falsche PIN, noch 1 Versuch bis zur Sperre"},
		{supervisor.Refusal{Kind: supervisor.RefusedLocked, Operator: "bea", LockedUntil: now.Add(15 * time.Minute)},
			"bea ist bis 15:24 gesperrt, nach zu vielen falschen PINs"},
		{supervisor.Refusal{Kind: supervisor.RefusedLocked, Operator: "bea", LockedUntil: now.Add(20 * time.Hour)},
			"bea ist bis 15. März 11:09 gesperrt, nach zu vielen falschen PINs"},
		{supervisor.Refusal{Kind: supervisor.RefusedRole, Operator: "anna", Role: config.RoleCashier,
			Need: []config.Role{config.RoleSupervisor, config.RoleTech}}, "anna ist Kasse; dafür braucht es Aufsicht oder Technik."},
	} {
		if got := Refusal(de, &c.r, now); got != c.want {
			t.Errorf("%s: %q, want %q", c.r.Kind, got, c.want)
		}
	}
}
