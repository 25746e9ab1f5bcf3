package i18n

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/template/parse"
	"unicode"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// catalog is one language's messages by key.
type catalog struct {
	tag  language.Tag
	file string
	msgs map[string]*goi18n.Message
}

func loadCatalogs(t *testing.T) []catalog {
	t.Helper()
	var cs []catalog
	for _, name := range CatalogFiles() {
		msgs, err := CatalogMessages(name)
		if err != nil {
			t.Fatal(err)
		}
		c := catalog{tag: language.MustParse(strings.TrimSuffix(path.Base(name), ".toml")), file: name, msgs: map[string]*goi18n.Message{}}
		for _, m := range msgs {
			if _, dup := c.msgs[m.ID]; dup {
				t.Errorf("%s: %s twice", name, m.ID)
			}
			c.msgs[m.ID] = m
		}
		cs = append(cs, c)
	}
	if len(cs) != 2 || cs[0].tag != English || cs[1].tag != German {
		t.Fatalf("catalogs %v: want English then German", CatalogFiles())
	}
	return cs
}

// forms are a message's texts by CLDR plural form.
func forms(m *goi18n.Message) map[plural.Form]string {
	out := map[plural.Form]string{}
	for f, s := range map[plural.Form]string{plural.Zero: m.Zero, plural.One: m.One, plural.Two: m.Two,
		plural.Few: m.Few, plural.Many: m.Many, plural.Other: m.Other} {
		if s != "" {
			out[f] = s
		}
	}
	return out
}

func formNames(fs map[plural.Form]bool) []string {
	names := map[plural.Form]string{plural.Zero: "zero", plural.One: "one", plural.Two: "two",
		plural.Few: "few", plural.Many: "many", plural.Other: "other"}
	var out []string
	for _, f := range slices.Sorted(maps.Keys(fs)) {
		out = append(out, names[f])
	}
	return out
}

// cldrForms are the plural forms a language's integer counts use, by
// x/text's CLDR rules (independent of go-i18n's copy of them).
func cldrForms(tag language.Tag) map[plural.Form]bool {
	out := map[plural.Form]bool{}
	for n := range 1000 {
		out[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)] = true
	}
	return out
}

// placeholders parses one text and returns its {{.Name}} placeholders. Only
// plain named fields are allowed: nothing a translator could break by
// reordering, no functions or pipelines.
func placeholders(text string) (map[string]bool, error) {
	trees, err := parse.Parse("m", text, "{{", "}}")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range trees["m"].Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
		case *parse.ActionNode:
			cmds := n.Pipe.Cmds
			if len(n.Pipe.Decl) > 0 || len(cmds) != 1 || len(cmds[0].Args) != 1 {
				return nil, fmt.Errorf("%s: only {{.Name}} placeholders", n)
			}
			f, ok := cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil, fmt.Errorf("%s: only {{.Name}} placeholders", n)
			}
			out[f.Ident[0]] = true
		default:
			return nil, fmt.Errorf("%s: only text and {{.Name}} placeholders", n)
		}
	}
	return out, nil
}

// Both catalogs have the same keys, each with the same placeholders and
// the plural forms its language needs; plural messages use {{.Count}}.
func TestCatalogsComplete(t *testing.T) {
	cs := loadCatalogs(t)
	en, de := cs[0], cs[1]
	for _, id := range slices.Sorted(maps.Keys(en.msgs)) {
		if _, ok := de.msgs[id]; !ok {
			t.Errorf("%s is in %s but not in %s", id, en.file, de.file)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(de.msgs)) {
		if _, ok := en.msgs[id]; !ok {
			t.Errorf("%s is in %s but not in %s", id, de.file, en.file)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(en.msgs)) {
		if de.msgs[id] == nil {
			continue
		}
		isPlural := forms(en.msgs[id])[plural.One] != ""
		var sets []map[string]bool
		for _, c := range cs {
			fs := forms(c.msgs[id])
			want := map[plural.Form]bool{plural.Other: true}
			if isPlural {
				want = cldrForms(c.tag)
			}
			got := map[plural.Form]bool{}
			for f := range fs {
				got[f] = true
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s in %s: plural forms %v, want %v", id, c.file, formNames(got), formNames(want))
			}
			union := map[string]bool{}
			for f, text := range fs {
				ps, err := placeholders(text)
				if err != nil {
					t.Errorf("%s in %s (%s): %v", id, c.file, formNames(map[plural.Form]bool{f: true})[0], err)
					continue
				}
				if isPlural && f != plural.One && !ps["Count"] && !agreement[id] {
					t.Errorf("%s in %s (%s): a plural text without {{.Count}}", id, c.file, formNames(map[plural.Form]bool{f: true})[0])
				}
				maps.Copy(union, ps)
			}
			sets = append(sets, union)
		}
		if !maps.Equal(sets[0], sets[1]) {
			t.Errorf("%s: placeholders %v in %s, %v in %s", id,
				slices.Sorted(maps.Keys(sets[0])), en.file, slices.Sorted(maps.Keys(sets[1])), de.file)
		}
	}
	if len(en.msgs) < 60 {
		t.Errorf("only %d messages: the seed set is gone", len(en.msgs))
	}
	t.Logf("%d messages in each catalog", len(en.msgs))
}

// English is the source: each message says what it is, unless the key
// says it all (word.*, count.*).
func TestEnglishDescriptions(t *testing.T) {
	cs := loadCatalogs(t)
	for id, m := range cs[0].msgs {
		ps := map[string]bool{}
		for _, text := range forms(m) {
			p, _ := placeholders(text)
			maps.Copy(ps, p)
		}
		delete(ps, "Count")
		if m.Description == "" && len(ps) > 0 && !strings.HasPrefix(id, "amount.") {
			t.Errorf("%s has placeholders %v but no description for the translator", id, slices.Sorted(maps.Keys(ps)))
		}
	}
}

// Every message renders in both languages with its placeholders given,
// and in each language's own words (a German text is not the English one,
// except where the words are the same).
func TestEveryMessageRenders(t *testing.T) {
	cs := loadCatalogs(t)
	// Words German shares with English (Status, PIN, the product's name),
	// and time layouts, which may coincide (15:04).
	same := map[string]bool{"word.status": true, "word.pin": true, "app.name": true, "widgets.pin": true,
		"widgets.list.filter": true, "widgets.demo.pin": true, "sale.drop.cart": true, "sale.quit.what": true,
		"sale.reader.online": true, "sale.reader.offline": true, "office.operator_role": true, "office.tx.status": true,
		"office.period.time_hint": true, "office.period.day": true, "office.pin.title": true, "fleet.pair.code": true,
		"fleet.pair.name": true, "cli.help.usage.config_example": true}
	en, de := New(English), New(German)
	for id, m := range cs[0].msgs {
		args := Args{}
		for _, text := range forms(m) {
			ps, _ := placeholders(text)
			for p := range ps {
				args[p] = "<" + p + ">"
			}
		}
		delete(args, "Count")
		for _, n := range []int{0, 1, 2, 21} {
			msg := M(id, args)
			if forms(m)[plural.One] != "" {
				msg = MN(id, n, args)
			}
			var out [2]string
			for i, l := range []*Locale{en, de} {
				s, err := l.render(msg)
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s in %s: %q, %v", id, l.Tag(), s, err)
				}
				for p := range args {
					if !strings.Contains(s, "<"+p+">") {
						t.Errorf("%s in %s: %q lacks its placeholder %s", id, l.Tag(), s, p)
					}
				}
				out[i] = s
			}
			if out[0] == out[1] && !same[id] && !strings.HasPrefix(id, "format.") && hasWords(m) {
				t.Errorf("%s: the same in English and German: %q", id, out[0])
			}
		}
	}
}

// agreement are the plural messages that do not show their count: the
// count only chooses the grammar ("address.city is required", "address.city
// and address.state are required").
var agreement = map[string]bool{"cli.readers.address_required": true}

// notWords are what a message may hold besides words: {{.Name}}
// placeholders, command-line flags (--json) and the upper-case names of
// their values (TMR).
var notWords = regexp.MustCompile(`\{\{\s*\.[A-Za-z]+\s*\}\}|--[a-z][a-z0-9-]*|\b[A-Z][A-Z0-9_]*\b`)

// hasWords reports whether a message has words of its own besides
// placeholders and flags ("{{.Action}}" and "--reader TMR [--json]" have
// none: they only carry codes through, the same in every language).
func hasWords(m *goi18n.Message) bool {
	for _, text := range forms(m) {
		if strings.IndexFunc(notWords.ReplaceAllString(text, ""), unicode.IsLetter) >= 0 {
			return true
		}
	}
	return false
}

func TestPlurals(t *testing.T) {
	tests := []struct {
		tag  language.Tag
		n    int
		want string
	}{
		{English, 0, "0 readers"},
		{English, 1, "1 reader"},
		{English, 2, "2 readers"},
		{English, 21, "21 readers"},
		{German, 0, "0 Lesegeräte"},
		{German, 1, "1 Lesegerät"},
		{German, 2, "2 Lesegeräte"},
		{German, 101, "101 Lesegeräte"},
	}
	for _, c := range tests {
		if got := New(c.tag).N("count.readers", c.n); got != c.want {
			t.Errorf("%s N(count.readers, %d) = %q, want %q", c.tag, c.n, got, c.want)
		}
	}
	// A region keeps its language's words and plural rules.
	if got := New(language.MustParse("de-AT")).N("count.locations", 1); got != "1 Standort" {
		t.Errorf("de-AT: %q", got)
	}
}

// A missing key or placeholder shows "[key]" (and the tests above keep the
// shipped catalogs free of both); nothing renders "<no value>".
func TestRenderFailuresAreVisible(t *testing.T) {
	l := New(German)
	if got := l.T("no.such_key"); got != "[no.such_key]" {
		t.Errorf("missing key: %q", got)
	}
	if got := l.T("sale.charge_on_reader", Args{"Amount": "x"}); got != "[sale.charge_on_reader]" {
		t.Errorf("missing placeholder: %q", got)
	}
}

// Sessions in different languages share the process: each Locale keeps
// its own language while the others render at the same time.
func TestConcurrentSessionsKeepTheirLanguage(t *testing.T) {
	want := map[string]string{"de": "3 Lesegeräte; 12,50" + nbsp + "€", "en": "3 readers; €12.50", "en-GB": "3 readers; €12.50", "de-AT": "3 Lesegeräte; €" + nbsp + "12,50"}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 8 {
		for tag, w := range want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l := New(language.MustParse(tag))
				for range 50 {
					if got := l.N("count.readers", 3) + "; " + l.Money(1250, "eur"); got != w {
						errs <- fmt.Sprintf("%s: %q, want %q", tag, got, w)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// A Message argument renders in the same language, its Money too; a plain
// error passes through Err.
func TestNestedArgs(t *testing.T) {
	nested := Args{"Amount": Money{Amount: 740, Currency: "gbp"}}
	m := M("sale.charge_on_reader", Args{"Amount": M("sale.approved_amount", nested), "Reader": "R1"})
	if got, want := New(German).Render(m), "7,40"+nbsp+"£ genehmigt auf R1 kassieren"; got != want {
		t.Errorf("nested message: %q, want %q", got, want)
	}
	if got := New(German).Err(fmt.Errorf("plain")); got != "plain" {
		t.Errorf("a plain error: %q", got)
	}
	e := &Error{Msg: M("amount.empty")}
	if got := New(German).T("sale.charge_on_reader", Args{"Amount": e, "Reader": "R1"}); got != "Bitte einen Betrag eingeben auf R1 kassieren" {
		t.Errorf("an error argument: %q", got)
	}
}
