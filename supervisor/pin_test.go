package supervisor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kasse/supervisor"
)

func TestHashAndVerify(t *testing.T) {
	start := time.Now()
	h, err := supervisor.HashPIN(thePIN)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hash with DefaultParams took %v", took)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") || strings.Count(h, "$") != 5 {
		t.Fatalf("PHC string = %q", h)
	}
	if strings.Contains(h, thePIN.Reveal()) {
		t.Fatal("the hash contains the PIN")
	}
	if ok, err := supervisor.VerifyPIN(thePIN, h); !ok || err != nil {
		t.Fatalf("right PIN: %v, %v", ok, err)
	}
	for _, wrong := range []supervisor.PIN{"739185", "73918", "7391840", "", "739184 "} {
		if ok, err := supervisor.VerifyPIN(wrong, h); ok || err != nil {
			t.Errorf("VerifyPIN(%q) = %v, %v", wrong.Reveal(), ok, err)
		}
	}
	h2, _ := supervisor.HashPIN(thePIN)
	if h2 == h {
		t.Fatal("two hashes of one PIN are equal: no random salt")
	}
	if took > 3*time.Second {
		t.Errorf("one hash took %v; DefaultParams are meant for ~100 ms", took)
	}
	if _, err := supervisor.HashPIN("1234"); !errors.Is(err, supervisor.ErrPINWeak) {
		t.Errorf("HashPIN of a weak PIN: %v", err)
	}
}

func TestParams(t *testing.T) {
	h, err := supervisor.HashPIN(thePIN)
	if err != nil {
		t.Fatal(err)
	}
	p, salt, key, err := supervisor.ParsePHC(h)
	if err != nil || p != supervisor.DefaultParams || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("ParsePHC = %+v salt %d key %d, %v", p, len(salt), len(key), err)
	}
	custom := supervisor.Params{Memory: 1024, Time: 3, Threads: 1, SaltLen: 24, KeyLen: 48}
	h, err = supervisor.HashPINWith(thePIN, custom)
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _, err := supervisor.ParsePHC(h); err != nil || p != custom {
		t.Fatalf("custom params round trip: %+v, %v", p, err)
	}
	if ok, _ := supervisor.VerifyPIN(thePIN, h); !ok {
		t.Fatal("custom params: right PIN refused")
	}
	for _, bad := range []supervisor.Params{
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 17, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 7, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 2 << 20, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	} {
		if _, err := supervisor.HashPINWith(thePIN, bad); !errors.Is(err, supervisor.ErrHash) {
			t.Errorf("HashPINWith(%+v): %v", bad, err)
		}
	}
}

func TestPHCParsingErrors(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
	ok := "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key
	if _, _, _, err := supervisor.ParsePHC(ok); err != nil {
		t.Fatalf("valid PHC refused: %v", err)
	}
	cases := map[string]string{
		"":     "fields",
		"1234": "fields",
		"$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key:        "algorithm",
		"$bcrypt$v=19$m=64,t=1,p=1$" + salt + "$" + key:         "algorithm",
		"$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key:       "version",
		"$argon2id$m=64,t=1,p=1$" + salt + "$" + key:            "fields",
		"$argon2id$v=19$m=64,t=1$" + salt + "$" + key:           "required",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + key:   "unknown parameter",
		"$argon2id$v=19$m=64,t=1,t=2$" + salt + "$" + key:       "parameter",
		"$argon2id$v=19$m=sixty,t=1,p=1$" + salt + "$" + key:    "parameter",
		"$argon2id$v=19$m=-1,t=1,p=1$" + salt + "$" + key:       "parameter",
		"$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key:       "time",
		"$argon2id$v=19$m=64,t=1,p=300$" + salt + "$" + key:     "parallelism",
		"$argon2id$v=19$m=9999999,t=1,p=1$" + salt + "$" + key:  "memory",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key:     "salt",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "!": "hash is not",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key:             "salt of 4 bytes",
		"$argon2id$v=19$m=64,t=1,p=1$" + salt + "$aGFzaA":       "hash of 4 bytes",
		"x$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key:      "fields",
	}
	for in, want := range cases {
		_, _, _, err := supervisor.ParsePHC(in)
		if !errors.Is(err, supervisor.ErrHash) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePHC(%.40q) = %v, want ErrHash mentioning %q", in, err, want)
			continue
		}
		if strings.Contains(err.Error(), salt) || strings.Contains(err.Error(), key[:20]) {
			t.Errorf("error quotes the salt or hash: %v", err)
		}
		if ok, verr := supervisor.VerifyPIN(thePIN, in); ok || !errors.Is(verr, supervisor.ErrHash) {
			t.Errorf("VerifyPIN on %.40q = %v, %v", in, ok, verr)
		}
	}
}

func TestCheckPIN(t *testing.T) {
	for _, good := range []supervisor.PIN{"739184", "2580", "1357", "5802", "12345679", "000100", "908172635401"} {
		if err := supervisor.CheckPIN(good); err != nil {
			t.Errorf("CheckPIN(%s) = %v", good.Reveal(), err)
		}
	}
	bad := map[supervisor.PIN]error{
		"":              supervisor.ErrPINFormat,
		"123":           supervisor.ErrPINFormat,
		"1234567890123": supervisor.ErrPINFormat,
		"12a4":          supervisor.ErrPINFormat,
		"73 84":         supervisor.ErrPINFormat,
		"７３９１":          supervisor.ErrPINFormat, // full-width digits
		"0000":          supervisor.ErrPINWeak,
		"999999999999":  supervisor.ErrPINWeak,
		"1234":          supervisor.ErrPINWeak,
		"0123456789":    supervisor.ErrPINWeak,
		"9876":          supervisor.ErrPINWeak,
		"7890":          supervisor.ErrPINWeak,
		"3210":          supervisor.ErrPINWeak,
		"0987":          supervisor.ErrPINWeak,
	}
	for pin, want := range bad {
		err := supervisor.CheckPIN(pin)
		if !errors.Is(err, want) {
			t.Errorf("CheckPIN(%q) = %v, want %v", pin.Reveal(), err, want)
			continue
		}
		if len(pin) >= 4 && strings.Contains(err.Error(), pin.Reveal()) {
			t.Errorf("the message quotes the PIN: %v", err)
		}
	}
}

// A PIN never prints, whatever the verb, the nesting or the encoder.
func TestPINNeverPrints(t *testing.T) {
	req := supervisor.RefundRequest{Operator: "ann", PIN: thePIN, Why: "test"}
	att := supervisor.Attempt{Operator: "ann", PIN: thePIN}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s", "%T %v"} {
		for _, v := range []any{thePIN, &req, req, att, []supervisor.PIN{thePIN}, map[string]supervisor.PIN{"p": thePIN}} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
	}
	j, _ := json.Marshal(req)
	outs = append(outs, string(j))
	var lb bytes.Buffer
	slog.New(slog.NewJSONHandler(&lb, nil)).Info("x", "pin", thePIN, "req", req)
	slog.New(slog.NewTextHandler(&lb, nil)).Info("x", "pin", thePIN, "att", att)
	outs = append(outs, lb.String())
	for _, out := range outs {
		if strings.Contains(out, "739184") || strings.Contains(out, "373339313834") {
			t.Fatalf("the PIN leaks: %s", out)
		}
	}
	if thePIN.String() != "(PIN)" || thePIN.Reveal() != "739184" {
		t.Fatal("String/Reveal")
	}
}

func TestReadPIN(t *testing.T) {
	r := strings.NewReader(" 739184 \r\n2580\n\n4711")
	for _, want := range []string{"739184", "2580", "", "4711"} {
		got, err := supervisor.ReadPIN(r)
		if err != nil || got.Reveal() != want {
			t.Fatalf("ReadPIN = %q, %v; want %q", got.Reveal(), err, want)
		}
	}
	if _, err := supervisor.ReadPIN(r); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
	if _, err := supervisor.ReadPIN(strings.NewReader(strings.Repeat("1", 300) + "\n")); err == nil {
		t.Fatal("a 300-byte line was accepted")
	}
	// ReadPIN never reads past the line end: the rest stays for the next reader.
	rest := strings.NewReader("1111\nnext")
	supervisor.ReadPIN(rest)
	if b, _ := io.ReadAll(rest); string(b) != "next" {
		t.Fatalf("read past the line: left %q", b)
	}
}
