package form

import (
	"reflect"
	"testing"

	"github.com/stripe/stripe-go/v76"
	stripeform "github.com/stripe/stripe-go/v76/form"
)

func mustParse(t *testing.T, raw string) *Params {
	t.Helper()
	p, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%q): %v", raw, err)
	}
	return p
}

func TestFormArrays(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want []string
	}{
		{"expand[1]=b&expand[0]=a", []string{"a", "b"}},
		{"expand[10]=k&expand[9]=j&expand[2]=c", []string{"c", "j", "k"}},
		{"expand[]=a&expand[]=b&expand[]=c", []string{"a", "b", "c"}},
		{"expand=solo", []string{"solo"}},
		{"expand%5B0%5D=escaped&expand%5B1%5D=brackets", []string{"escaped", "brackets"}},
		{"expand[0]=first&expand[0]=last", []string{"last"}},
	} {
		got := mustParse(t, c.raw).Child("expand").Strings()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %v, want %v", c.raw, got, c.want)
		}
	}
}

func TestFormNested(t *testing.T) {
	p := mustParse(t, "metadata[order_id]=42&metadata[note]=two+words%21&cart[line_items][1][amount]=200"+
		"&cart[line_items][0][amount]=100&cart[line_items][0][description]=Flat%20white&metadata[empty]=")
	if m := p.Child("metadata").Map(); !reflect.DeepEqual(m, map[string]string{"order_id": "42", "note": "two words!", "empty": ""}) {
		t.Errorf("metadata %v", m)
	}
	items := p.Child("cart").Child("line_items").List()
	if len(items) != 2 || items[0].Child("amount").Value() != "100" || items[0].Child("description").Value() != "Flat white" ||
		items[1].Child("amount").Value() != "200" {
		t.Errorf("line items: %d", len(items))
	}
	if !reflect.DeepEqual(p.Keys(), []string{"metadata", "cart"}) {
		t.Errorf("keys %v", p.Keys())
	}
	if p.Has("nope") || p.Child("nope").Value() != "" || p.Child("nope").List() != nil {
		t.Error("absent child")
	}
}

func TestFormErrors(t *testing.T) {
	for _, raw := range []string{
		"a=1&a[b]=2",       // value, then object
		"a[b]=2&a=1",       // object, then value
		"a[b]=1&a[b][c]=2", // nested conflict
		"a[b=1",            // unbalanced
		"a[b]x[c]=1",       // junk between brackets
		"[a]=1",            // no name
		"%zz=1",            // bad escape in key
		"a=%zz",            // bad escape in value
		"a[1][2][3][4][5][6][7][8]=deep",
	} {
		if _, err := Parse(raw); err == nil {
			t.Errorf("Parse(%q) accepted", raw)
		}
	}
}

func TestFormCanonical(t *testing.T) {
	a := mustParse(t, "b=2&a[y]=1&a[x]=0")
	b := mustParse(t, "a[x]=0&b=2&a[y]=1")
	if a.Canonical() != b.Canonical() {
		t.Errorf("order matters: %q vs %q", a.Canonical(), b.Canonical())
	}
	// Escaped separators must not make two forms look alike.
	for _, pair := range [][2]string{
		{"a=1%262", "a=1&2="},
		{"a=x%3Db", "a=x&b="},
		{"a%3D1=2", "a=1=2"},
	} {
		if mustParse(t, pair[0]).Canonical() == mustParse(t, pair[1]).Canonical() {
			t.Errorf("%q and %q share a canonical form", pair[0], pair[1])
		}
	}
}

// What stripe-go actually sends parses back to the values it encoded.
func TestFormStripeGoEncoding(t *testing.T) {
	p := &stripe.PaymentIntentParams{Amount: stripe.Int64(1099), Currency: stripe.String("usd"),
		PaymentMethodTypes: stripe.StringSlice([]string{"card_present", "interac_present"}),
		CaptureMethod:      stripe.String("manual"),
		TransferData:       &stripe.PaymentIntentTransferDataParams{Destination: stripe.String("acct_1Seller000000001")}}
	p.AddMetadata("order", "A&B=C [1]")
	p.AddExpand("latest_charge")
	values := &stripeform.Values{}
	stripeform.AppendTo(values, p)
	parsed := mustParse(t, values.Encode())
	if parsed.Child("amount").Value() != "1099" || parsed.Child("transfer_data").Child("destination").Value() != "acct_1Seller000000001" ||
		!reflect.DeepEqual(parsed.Child("payment_method_types").Strings(), []string{"card_present", "interac_present"}) ||
		parsed.Child("metadata").Child("order").Value() != "A&B=C [1]" ||
		!reflect.DeepEqual(parsed.Child("expand").Strings(), []string{"latest_charge"}) {
		t.Errorf("stripe-go body %q parsed to %q", values.Encode(), parsed.Canonical())
	}
}
