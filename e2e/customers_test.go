package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"kasse/pos"
)

// Customers with the real binary (issue 13): a regular's card is saved in
// the platform's wallet on the platform reader at seller A (Bäckerei
// Sonnenkorn, `kasse customers save-card`); at seller B (Lumen Coffee) the
// cashier attaches her on the register in the console, chooses her saved
// card and charges it — no card presented; then a supervisor removes the
// card on the customers screen (f6), and it is gone from the wallet and
// from seller B.

// customers runs `kasse customers ARGS --json` with the world's shared
// flags and wants exit 0; it decodes stdout into out.
func (w *world) customers(t *testing.T, out any, args ...string) {
	t.Helper()
	cmd := exec.Command(kasseBin, append(append([]string{"customers"}, w.flags()...), args...)...)
	cmd.Env = w.env()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := runWithin(cmd, 60*time.Second); err != nil {
		t.Fatalf("kasse customers %v: %v\nstdout: %s\nstderr: %s\nlog:\n%s", args, err, stdout.String(), stderr.String(), w.logTail())
	}
	if err := json.Unmarshal([]byte(stdout.String()), out); err != nil {
		t.Fatalf("kasse customers %v: %v\n%s", args, err, stdout.String())
	}
}

// sandboxLogSize is how far the sandbox's request log is written (its
// later lines are the requests since).
func (w *world) sandboxLogSize(t *testing.T) int64 {
	t.Helper()
	fi, err := os.Stat(w.sandboxLog)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

var logRequestRE = regexp.MustCompile(`method=(\w+) path=(\S+) account=(\S*)`)

// requestsSince are the requests ("POST /v1/customers acct_…") the sandbox
// served after offset of its log, ids of objects replaced by {id}.
func (w *world) requestsSince(t *testing.T, offset int64, method string) []string {
	t.Helper()
	b, err := os.ReadFile(w.sandboxLog)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b[offset:]), "\n") {
		m := logRequestRE.FindStringSubmatch(line)
		if m == nil || m[1] != method {
			continue
		}
		out = append(out, m[1]+" "+idRE.ReplaceAllString(m[2], "{id}")+" "+strings.Trim(m[3], `"`))
	}
	return out
}

var idRE = regexp.MustCompile(`(cus|pm|pi|tmr|seti)_[A-Za-z0-9]+`)

type apiCard struct {
	ID       string            `json:"id"`
	Customer *string           `json:"customer"`
	Metadata map[string]string `json:"metadata"`
	Card     struct {
		Brand string `json:"brand"`
		Last4 string `json:"last4"`
	} `json:"card"`
}

// cards lists a customer's card PaymentMethods at the sandbox.
func (a *sandboxAPI) cards(t *testing.T, account, customer string) []apiCard {
	t.Helper()
	cs, err := list[apiCard](a, "/v1/customers/"+customer+"/payment_methods", account, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestConsoleRegularPaysAtAnotherSellerWithoutTheCard is the run.
func TestConsoleRegularPaysAtAnotherSellerWithoutTheCard(t *testing.T) {
	requireTmux(t)
	w := newWorld(t)
	w.withOperators(t, map[string]string{"bea": beaPIN})

	// Seller A: Rita becomes a regular in the wallet, her card saved on
	// Sonnenkorn's (platform) reader after she agreed; no payment.
	var rita struct {
		ID      string `json:"id"`
		Account string `json:"account"`
	}
	w.customers(t, &rita, "create", "--name", "Rita Regular", "--email", "rita@example.com", "--json")
	if !strings.HasPrefix(rita.ID, "cus_") || rita.Account != "platform" {
		t.Fatalf("created %+v, want a wallet customer", rita)
	}
	var saved struct {
		Status string `json:"status"`
		Card   struct {
			ID    string `json:"id"`
			Last4 string `json:"last4"`
		} `json:"card"`
	}
	w.customers(t, &saved, "save-card", "--customer", rita.ID, "--reader", w.sonnenkorn.Reader, "--consent",
		"--simulate-card", visa, "--json")
	if saved.Status != "saved" || saved.Card.Last4 != "4242" {
		t.Fatalf("save-card: %+v", saved)
	}
	if cs := w.api.cards(t, "", rita.ID); len(cs) != 1 || cs[0].ID != saved.Card.ID {
		t.Fatalf("Rita's wallet cards %+v, want %s", cs, saved.Card.ID)
	}

	// Seller B: the console at Lumen Coffee. Rita is attached on the
	// register and pays with her saved card.
	c := w.startConsole(t)
	c.requireBackOffice()
	c.toRegister()
	c.typeText("1250")
	c.waitFor(5*time.Second, "Amount  $12.50")
	c.send("C-k")
	c.waitFor(10*time.Second, "Customer for this sale", "Lumen Coffee and the platform wallet")
	c.typeText("rita")
	c.send("Enter")
	c.waitFor(10*time.Second, "1 customer", "Rita Regular", "Platform wallet")
	c.send("Enter")
	c.waitFor(10*time.Second, "Pay with", "a card on the reader", "visa •••• 4242")
	c.send("Down", "Enter")
	c.waitFor(10*time.Second, "Register · Lumen Coffee", "Rita Regular · visa ••4242", "rita@example.com")

	mark := w.sandboxLogSize(t)
	c.send("Enter")
	screen := c.waitFor(30*time.Second, "APPROVED", "VISA", "4242")
	pi := intentOnScreen(t, screen)

	// No card presented: Lumen's reader was never asked.
	if r := w.api.reader(t, w.lumen.Reader); r.Action != nil {
		t.Fatalf("Lumen's reader has an action: %s", r)
	}
	// From Enter: clone, the seller's copy of Rita with the clone, the
	// charge (3 sequential requests to approval); then the link on Rita.
	want := []string{
		"POST /v1/payment_methods " + w.lumen.Seller,
		"POST /v1/customers " + w.lumen.Seller,
		"POST /v1/payment_intents " + w.lumen.Seller,
		"POST /v1/customers/{id} ",
	}
	var posts []string
	if !eventually(10*time.Second, 100*time.Millisecond, func() bool {
		posts = w.requestsSince(t, mark, http.MethodPost)
		return len(posts) >= len(want)
	}) || strings.Join(posts, "\n") != strings.Join(want, "\n") {
		t.Fatalf("POSTs from Enter:\n%s\nwant:\n%s", strings.Join(posts, "\n"), strings.Join(want, "\n"))
	}
	var in struct {
		apiIntent
		Customer      string `json:"customer"`
		PaymentMethod string `json:"payment_method"`
	}
	if err := w.api.do(http.MethodGet, "/v1/payment_intents/"+pi, w.lumen.Seller, nil, &in); err != nil {
		t.Fatal(err)
	}
	if in.Status != pos.IntentSucceeded || in.Amount != 1250 || in.Customer == "" || in.Metadata[pos.MetaWallet] != rita.ID {
		t.Fatalf("intent %+v", in)
	}
	clones := w.api.cards(t, w.lumen.Seller, in.Customer)
	if len(clones) != 1 || clones[0].ID != in.PaymentMethod || clones[0].Metadata[pos.MetaSharedFrom] != saved.Card.ID {
		t.Fatalf("Lumen's copy of Rita has %+v, want the clone %s of %s", clones, in.PaymentMethod, saved.Card.ID)
	}
	var ritaNow struct {
		Metadata map[string]string `json:"metadata"`
	}
	if err := w.api.do(http.MethodGet, "/v1/customers/"+rita.ID, "", nil, &ritaNow); err != nil {
		t.Fatal(err)
	}
	if ritaNow.Metadata[pos.MetaCopyPrefix+w.lumen.Seller] != in.Customer {
		t.Fatalf("Rita's metadata %v does not name Lumen's copy %s", ritaNow.Metadata, in.Customer)
	}
	var sale pos.Sale
	for _, r := range w.sales(t) {
		if r.Sale.IntentID == pi {
			sale = r.Sale
		}
	}
	if sale.State != pos.SaleApproved || sale.Customer == nil || sale.Customer.Wallet != rita.ID ||
		sale.Request.SavedCard != in.PaymentMethod {
		t.Fatalf("journal: %s customer %+v request %+v", sale.State, sale.Customer, sale.Request)
	}

	// The next sale at Lumen: Rita is found twice, as Lumen's copy of her
	// (first) and in the wallet; the copy pays with the clone: one request.
	c.send("Enter") // a new sale
	c.waitFor(5*time.Second, "Register · Lumen Coffee")
	c.typeText("800")
	c.waitFor(5*time.Second, "Amount  $8.00")
	c.send("C-k")
	c.waitFor(10*time.Second, "Customer for this sale")
	c.typeText("rita")
	c.send("Enter")
	c.waitFor(10*time.Second, "2 customers", "at Lumen Coffee, copied from the wallet", "Platform wallet")
	c.send("Enter")
	c.waitFor(10*time.Second, "Pay with", "visa •••• 4242")
	c.send("Down", "Enter")
	c.waitFor(10*time.Second, "Rita Regular · visa ••4242")
	mark = w.sandboxLogSize(t)
	c.send("Enter")
	c.waitFor(30*time.Second, "APPROVED", "$8.00")
	time.Sleep(300 * time.Millisecond) // a link, if one were sent, would follow the outcome
	if again := w.requestsSince(t, mark, http.MethodPost); strings.Join(again, ",") != "POST /v1/payment_intents "+w.lumen.Seller {
		t.Fatalf("POSTs from Enter at a seller that has the clone: %q, want the one create", again)
	}

	// The card is removed on the customers screen: a supervisor's PIN.
	c.toSellers()
	c.send("F6")
	c.waitFor(10*time.Second, "Customers", "Platform wallet")
	c.typeText("rita")
	c.send("Enter")
	c.waitFor(10*time.Second, "1 customer", "Rita Regular")
	c.send("Enter")
	c.waitFor(10*time.Second, "Saved cards", "visa •••• 4242", "Recent sales", "Lumen Coffee", "$12.50", "$8.00")
	c.send("DC") // delete
	c.waitFor(5*time.Second, "Remove saved card", "from Rita Regular's saved cards?")
	c.send("C-u")
	c.typeText("bea")
	c.send("Tab")
	c.typeText(beaPIN)
	c.send("Enter")
	screen = c.waitFor(15*time.Second, "was removed from Rita Regular's saved cards")
	t.Logf("POSTs from Enter to the approved saved-card sale (then the link): %q", posts)
	if strings.Contains(screen, beaPIN) {
		t.Fatal("the PIN is on screen")
	}
	if cs := w.api.cards(t, "", rita.ID); len(cs) != 0 {
		t.Fatalf("Rita's wallet still has %+v", cs)
	}
	if cs := w.api.cards(t, w.lumen.Seller, in.Customer); len(cs) != 0 {
		t.Fatalf("Lumen's copy of Rita still has %+v: the clone would keep paying", cs)
	}
}
