package headless_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kasse/headless"
	"kasse/pos"
)

func TestInterruptCancelsTheIntent(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["eur"], e.readers["eur"]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := e.deps(headless.ModeSandbox)
	d.Sleep = func(c context.Context, dur time.Duration) error { cancel(); return c.Err() } // Ctrl-C while waiting
	var out, errOut bytes.Buffer
	code := headless.Charge(ctx, d, []string{"--seller", string(seller.ID), "--reader", reader.ID, "--amount", "2.50", "--json"}, &out, &errOut)
	var r headless.Result
	json.Unmarshal(out.Bytes(), &r)
	if code != headless.ExitCanceled || r.Status != "canceled" || !strings.Contains(r.Message, "Interrupted") {
		t.Fatalf("exit %d %+v %s", code, r, errOut.String())
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
}

func TestOfflineReaderIsAnError(t *testing.T) {
	e := newEnv(t, nil)
	seller, reader := e.sellers["usd"], e.readers["usd"]
	if err := e.srv.SetReaderOnline(reader.ID, false); err != nil {
		t.Fatal(err)
	}
	code, r, _ := e.chargeJSON(t, e.deps(headless.ModeSandbox), "--seller", string(seller.ID), "--reader", reader.ID,
		"--amount", "3.00", "--simulate-card", "")
	if code != headless.ExitError || r.Status != "failed" || !strings.Contains(r.Message, "offline") {
		t.Fatalf("exit %d %+v", code, r)
	}
	if ins := e.intents(t, seller.ID); len(ins) != 1 || ins[0].Status != pos.IntentCanceled {
		t.Fatalf("intents = %+v", ins)
	}
}
