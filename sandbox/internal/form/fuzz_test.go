package form

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"kasse/sandbox/internal/expand"
)

// FuzzParse: no input panics the decoder or the accessors built on it,
// and a parsed form's Canonical() is itself a form that parses back to the
// same Canonical() (idempotency fingerprints depend on that: two forms
// share a fingerprint only if they decode to the same tree). The seeds run
// in every `go test`; `go test -fuzz=FuzzParse ./sandbox/internal/form/` explores.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"amount=1099&currency=usd&payment_method_types[0]=card_present&capture_method=manual",
		"amount=2000&currency=eur&payment_method_types[0]=card_present&payment_method_types[1]=interac_present&metadata[order_id]=42",
		"transfer_data[destination]=acct_1OPouMJN5vQBdWEx&application_fee_amount=123&on_behalf_of=acct_1OPouMJN5vQBdWEx",
		"payment_intent=pi_3OPouMJN5vQBdWEx0abcdefg&process_config[skip_tipping]=false&process_config[tipping][amount_eligible]=1500",
		"type=cart&cart[currency]=usd&cart[line_items][0][amount]=450&cart[line_items][0][description]=Flat%20white&cart[line_items][0][quantity]=1&cart[tax]=36&cart[total]=486",
		"expand[0]=action.process_payment_intent.payment_intent&expand[1]=location",
		"expand[]=latest_charge&expand[]=payment_method",
		"expand[1]=b&expand[0]=a&expand[10]=k",
		"display_name=B%C3%A4ckerei+Sonnenkorn&address[line1]=Bergmannstra%C3%9Fe+12&address[city]=Berlin&address[postal_code]=10961&address[country]=DE",
		"created[gt]=1700000000&created[lte]=1800000000&type=payment_intent.%2A&limit=100",
		"types[0]=charge.refunded&types[1]=charge.refund.updated",
		"metadata[note]=A%26B%3DC+%5B1%5D&metadata[empty]=",
		"metadata%5Bk%5D=escaped+brackets",
		"a=1&a[b]=2",
		"a[b]=1&a=2",
		"a[b=1",
		"a]b=1",
		"[x]=1",
		"a[]=1&a[]=2&a[0]=3",
		"%zz=1",
		"a=%zz",
		"a=%",
		"&&&=&=",
		"a[][][]=1",
		"a[1][2][3][4][5][6][7]=7",
		"a[1][2][3][4][5][6][7][8]=8",
		"k=%00&%00=v&a[%00]=x",
		"a%5B%5D=1&a%5B%5D=2",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := Parse(raw)
		if want, werr := parseReference(raw); fmt.Sprint(werr) != fmt.Sprint(err) || (werr == nil) != (err == nil) || !reflect.DeepEqual(p, want) {
			t.Fatalf("Parse(%q) = %#v, %v; the first implementation gave %#v, %v", raw, p, err, want, werr)
		}
		if err != nil {
			if p != nil {
				t.Fatalf("error with a result: %v", err)
			}
			return
		}
		walkParams(t, p, 0)
		expand.Parse(p.Child("expand").Strings()).Depth()
		c := p.Canonical()
		if want := canonicalReference(p); c != want {
			t.Fatalf("Canonical %q of %q, want %q (the fingerprints of stored idempotency keys depend on it)", c, raw, want)
		}
		p2, err := Parse(c)
		if err != nil {
			t.Fatalf("Canonical %q of %q does not parse: %v", c, raw, err)
		}
		if c2 := p2.Canonical(); c2 != c {
			t.Fatalf("Canonical not stable for %q:\n%q\n%q", raw, c, c2)
		}
		if raw != "" && !strings.Contains(raw, "=") && c != "" && utf8.ValidString(raw) && !strings.ContainsAny(raw, "%+&[") {
			// A lone key without "=" is a key with an empty value.
			if v := p.Child(raw).Value(); v != "" {
				t.Fatalf("key without value got %q", v)
			}
		}
	})
}

// walkParams touches every accessor on every node.
func walkParams(t *testing.T, p *Params, depth int) {
	if depth > maxFormDepth+1 {
		t.Fatalf("tree deeper than maxFormDepth")
	}
	if p.IsLeaf() && len(p.Keys()) > 0 {
		t.Fatalf("node is both a value and an object")
	}
	_ = p.Value()
	_ = p.Map()
	_ = p.Strings()
	for _, k := range p.Keys() {
		if !p.Has(k) {
			t.Fatalf("Keys lists %q but Has denies it", k)
		}
		walkParams(t, p.Child(k), depth+1)
	}
	if n := len(p.List()); !p.IsLeaf() && n != len(p.Keys()) {
		t.Fatalf("List has %d elements for %d keys", n, len(p.Keys()))
	}
}

// canonicalReference is Canonical as first written (what the idempotency
// fingerprints in existing state files were computed from): the faster
// rendering must match it byte for byte.
func canonicalReference(p *Params) string {
	var b strings.Builder
	canonRef(p, &b, "")
	return b.String()
}

func canonRef(p *Params, b *strings.Builder, prefix string) {
	if p == nil {
		return
	}
	if p.val != nil {
		b.WriteString(prefix)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(*p.val))
		b.WriteByte('&')
		return
	}
	keys := make([]string, 0, len(p.kids))
	for k := range p.kids {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := url.QueryEscape(k)
		if prefix != "" {
			name = prefix + "[" + name + "]"
		}
		canonRef(p.kids[k], b, name)
	}
}

// parseReference is Parse as first written: the faster Parse must decode
// every form to the same tree, with the same errors.
func parseReference(raw string) (*Params, error) {
	root := &Params{}
	if raw == "" {
		return root, nil
	}
	appendSeq := 0
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("invalid form key %q", k)
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, fmt.Errorf("invalid form value for %q", key)
		}
		path, err := splitKeyReference(key)
		if err != nil {
			return nil, err
		}
		n := root
		for i, seg := range path {
			if seg == "" { // `name[]`: append
				appendSeq++
				seg = "\x00" + strconv.Itoa(appendSeq)
			}
			if n.val != nil {
				return nil, fmt.Errorf("invalid form: %q is both a value and an object", strings.Join(path[:i], "."))
			}
			if n.kids == nil {
				n.kids = map[string]*Params{}
			}
			c, ok := n.kids[seg]
			if !ok {
				c = &Params{}
				n.kids[seg] = c
				n.order = append(n.order, seg)
			}
			n = c
		}
		if n.kids != nil {
			return nil, fmt.Errorf("invalid form: %q is both a value and an object", key)
		}
		v2 := val
		n.val = &v2 // last one wins, as in Stripe
	}
	return root, nil
}

// splitKeyReference turns `a[b][0]` into [a b 0].
func splitKeyReference(key string) ([]string, error) {
	name, rest, found := strings.Cut(key, "[")
	if name == "" {
		return nil, fmt.Errorf("invalid form key %q", key)
	}
	path := []string{name}
	if !found {
		return path, nil
	}
	rest = "[" + rest
	for rest != "" {
		if rest[0] != '[' {
			return nil, fmt.Errorf("invalid form key %q", key)
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, fmt.Errorf("invalid form key %q: unbalanced bracket", key)
		}
		path = append(path, rest[1:end])
		rest = rest[end+1:]
		if len(path) > maxFormDepth {
			return nil, fmt.Errorf("invalid form key %q: nested too deeply", key)
		}
	}
	return path, nil
}
