package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stripe/stripe-go/v76"
)

func TestReaderRegisterSimulated(t *testing.T) {
	e := newEnv(t, Options{})
	l := e.tLocation("", "Store")
	p := &stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-wpe"), Location: stripe.String(l.ID)}
	p.AddMetadata("lane", "1")
	r, err := e.sc.TerminalReaders.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Object != "terminal.reader" || !strings.HasPrefix(r.ID, "tmr_") || r.DeviceType != "simulated_wisepos_e" ||
		r.Label != "simulated-wpe" || r.Status != "online" || r.IPAddress != "0.0.0.0" || r.Location == nil ||
		r.Location.ID != l.ID || r.Action != nil || r.Metadata["lane"] != "1" || r.SerialNumber == "" {
		t.Fatalf("registered reader: %+v", r)
	}

	// simulated-s700 has no 2023-10-16 device type of its own.
	r2, err := e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-s700"),
		Location: stripe.String(l.ID), Label: stripe.String("Lane 2")})
	if err != nil {
		t.Fatal(err)
	}
	if r2.DeviceType != "simulated_wisepos_e" || r2.Label != "Lane 2" || !strings.HasPrefix(r2.SerialNumber, "S700") ||
		r2.SerialNumber == r.SerialNumber {
		t.Fatalf("s700 reader: %+v", r2)
	}
}

func TestReaderRegisterErrors(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerRegErr001")
	l := e.tLocation("", "Store")
	sellerLoc := e.tLocation(seller, "Seller store")

	_, err := e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("apple-banana-cherry"), Location: stripe.String(l.ID)})
	termWantErr(t, err, 400, "", "registration_code", "The registration code is invalid.")
	if !strings.Contains(stripeErr(t, err).Msg, "cannot pair physical readers") {
		t.Fatalf("message should explain the sandbox pairs only simulated readers: %q", stripeErr(t, err).Msg)
	}
	_, err = e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-xyz"), Location: stripe.String(l.ID)})
	termWantErr(t, err, 400, "", "registration_code", "simulated-wpe or simulated-s700")

	_, err = e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-wpe")})
	termWantErr(t, err, 400, "parameter_missing", "location", "Missing required param: location.")

	// A location of another account cannot be used.
	_, err = e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-wpe"), Location: stripe.String(sellerLoc.ID)})
	termWantErr(t, err, 404, "resource_missing", "location", "No such terminal.location: '"+sellerLoc.ID+"'")

	p := &stripe.TerminalReaderParams{Location: stripe.String(l.ID)}
	termSkipMock(&p.Params)
	_, err = e.sc.TerminalReaders.New(p)
	termWantErr(t, err, 400, "parameter_missing", "registration_code", "")
}

func TestReaderAccountScoping(t *testing.T) {
	e := newEnv(t, Options{})
	seller := e.tSeller("acct_1SellerScope0001")
	sr := e.tReader(seller)
	pr := e.tReader("")

	_, err := e.sc.TerminalReaders.Get(sr.ID, nil)
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader: '"+sr.ID+"'")
	gp := &stripe.TerminalReaderParams{}
	gp.SetStripeAccount(seller)
	_, err = e.sc.TerminalReaders.Get(pr.ID, gp)
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader: '"+pr.ID+"'")
	if got := e.tGetReader(seller, sr.ID); got.ID != sr.ID {
		t.Fatalf("seller reads its reader: %+v", got)
	}
	_, err = e.sc.TerminalReaders.Del(sr.ID, &stripe.TerminalReaderParams{})
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader")
}

func TestReaderListFilters(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.tReader("")
	l2 := e.tLocation("", "Second")
	b, err := e.sc.TerminalReaders.New(&stripe.TerminalReaderParams{RegistrationCode: stripe.String("simulated-s700"), Location: stripe.String(l2.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetReaderOnline(b.ID, false); err != nil {
		t.Fatal(err)
	}
	list := func(f func(*stripe.TerminalReaderListParams)) []*stripe.TerminalReader {
		t.Helper()
		lp := &stripe.TerminalReaderListParams{}
		f(lp)
		var out []*stripe.TerminalReader
		it := e.sc.TerminalReaders.List(lp)
		for it.Next() {
			out = append(out, it.TerminalReader())
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
		return out
	}
	ids := func(rs []*stripe.TerminalReader) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID)
		}
		return strings.Join(s, ",")
	}
	if got := ids(list(func(*stripe.TerminalReaderListParams) {})); got != b.ID+","+a.ID {
		t.Fatalf("all, newest first: %s", got)
	}
	if got := ids(list(func(p *stripe.TerminalReaderListParams) { p.Location = stripe.String(a.Location.ID) })); got != a.ID {
		t.Fatalf("by location: %s", got)
	}
	off := list(func(p *stripe.TerminalReaderListParams) { p.Status = stripe.String("offline") })
	if ids(off) != b.ID || off[0].Status != "offline" {
		t.Fatalf("offline: %s", ids(off))
	}
	if got := ids(list(func(p *stripe.TerminalReaderListParams) { p.Status = stripe.String("online") })); got != a.ID {
		t.Fatalf("online: %s", got)
	}
	if got := ids(list(func(p *stripe.TerminalReaderListParams) { p.SerialNumber = stripe.String(b.SerialNumber) })); got != b.ID {
		t.Fatalf("by serial: %s", got)
	}
	if got := list(func(p *stripe.TerminalReaderListParams) { p.DeviceType = stripe.String("bbpos_wisepos_e") }); len(got) != 0 {
		t.Fatalf("by device type: %s", ids(got))
	}
	if got := list(func(p *stripe.TerminalReaderListParams) { p.DeviceType = stripe.String("simulated_wisepos_e") }); len(got) != 2 {
		t.Fatalf("by device type: %s", ids(got))
	}
	exp := list(func(p *stripe.TerminalReaderListParams) {
		p.AddExpand("data.location")
		p.Limit = stripe.Int64(1)
		p.Single = true
	})
	if len(exp) != 1 || exp[0].Location == nil || exp[0].Location.DisplayName != "Second" {
		t.Fatalf("expanded data.location: %+v", exp)
	}
}

func TestReaderUpdateDeleteExpand(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.tReader("")
	up := &stripe.TerminalReaderParams{Label: stripe.String("Front desk")}
	up.AddMetadata("lane", "3")
	got, err := e.sc.TerminalReaders.Update(r.ID, up)
	if err != nil || got.Label != "Front desk" || got.Metadata["lane"] != "3" {
		t.Fatalf("update: %v %+v", err, got)
	}
	got, err = e.sc.TerminalReaders.Update(r.ID, &stripe.TerminalReaderParams{Label: stripe.String("")})
	if err != nil || got.Label != "simulated-wpe" {
		t.Fatalf("label reset to the registration code: %v %+v", err, got)
	}

	// The location of a reader cannot change: the parameter is unknown.
	mv := &stripe.TerminalReaderParams{Location: stripe.String(r.Location.ID)}
	termSkipMock(&mv.Params)
	_, err = e.sc.TerminalReaders.Update(r.ID, mv)
	termWantErr(t, err, 400, "parameter_unknown", "location", "Received unknown parameter: location")

	exp := e.tGetReader("", r.ID, "location")
	if exp.Location == nil || exp.Location.DisplayName != "Store" || exp.Location.Address.Country != "US" {
		t.Fatalf("expanded location: %+v", exp.Location)
	}
	bad := &stripe.TerminalReaderParams{}
	bad.AddExpand("label")
	_, err = e.sc.TerminalReaders.Get(r.ID, bad)
	termWantErr(t, err, 400, "parameter_invalid", "expand", "cannot be expanded")

	del, err := e.sc.TerminalReaders.Del(r.ID, &stripe.TerminalReaderParams{})
	if err != nil || !del.Deleted || del.ID != r.ID {
		t.Fatalf("delete: %v %+v", err, del)
	}
	if g := e.tGetReader("", r.ID); !g.Deleted {
		t.Fatalf("get after delete: want the deleted stub, got %+v", g)
	}
	_, err = e.sc.TerminalReaders.Del(r.ID, &stripe.TerminalReaderParams{})
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader")
	_, err = e.tProcess("", r.ID, "pi_whatever")
	termWantErr(t, err, 404, "resource_missing", "reader", "No such terminal.reader")
	if err := e.srv.SetReaderOnline(r.ID, true); err == nil {
		t.Fatal("SetReaderOnline on a deleted reader should fail")
	}
}

// TestReaderExtraEncodesAsEncodingJSON: the reader writes its state-file
// extra by hand; it must be what encoding/json writes for readerExtra,
// and load back.
func TestReaderExtraEncodesAsEncodingJSON(t *testing.T) {
	for _, r := range []*reader{
		{regCode: "simulated-wpe"},
		{regCode: `a "quoted" <code> & ü`, Action: &readerAction{tippingOffered: true}},
		{regCode: "x", Action: &readerAction{}},
	} {
		x := readerExtra{RegistrationCode: r.regCode, TippingOffered: r.Action != nil && r.Action.tippingOffered}
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		got := r.saveExtra()
		if !bytes.Equal(got, want) {
			t.Errorf("saveExtra %s, want %s", got, want)
		}
		back := &reader{}
		if err := back.loadExtra(got); err != nil || back.regCode != r.regCode {
			t.Errorf("loadExtra(%s): %q, %v", got, back.regCode, err)
		}
	}
}
