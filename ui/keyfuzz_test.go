package ui_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/checkout"
	"kasse/config"
	"kasse/journal"
	"kasse/pos"
	"kasse/readers"
	"kasse/reports"
	"kasse/sandbox"
	"kasse/stripeapi"
	"kasse/supervisor"
	"kasse/ui"
	"kasse/ui/internal/uitest"
)

// The key fuzz (issue 10, finding 3): the whole console — the root model
// with every real service, the Stripe sandbox in-process behind the real
// adapter, a real journal — is driven to every screen, and there every key
// a terminal can send is pressed, its commands run (timers fired a bounded
// number of rounds) and the view drawn. No key may panic. A key that leaves
// the screen (or changes what it shows too much to go on) is followed by a
// fresh console driven back there.

// fuzzPINs are the demo operators' PINs (hashed cheaply: hashes carry
// their parameters).
var fuzzPINs = map[string]string{"bea": "2468", "tom": "1357", "anna": "1111"}

var fuzzCheap = supervisor.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var fuzzSaleNo atomic.Int64

// fuzzEnv is one sandbox, journal and set of services, with the seller and
// reader the register uses and the payments the back office finds: paid,
// authorized (manual capture, this console's), declined and a reader test.
type fuzzEnv struct {
	t       testing.TB
	client  *stripeapi.Client
	journal *journal.Journal
	runner  *checkout.Runner
	svc     *supervisor.Service
	fleet   *readers.Fleet
	seller  pos.Seller
	reader  pos.Reader

	paid, authorized string // intent ids
}

func newFuzzEnv(t testing.TB) *fuzzEnv {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	srv, err := sandbox.New(sandbox.Options{Seed: "demo", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e := &fuzzEnv{t: t}
	e.client, err = stripeapi.New(stripeapi.Config{APIKey: "sk_test_kasseFuzzNotASecret", BaseURL: ts.URL,
		MaxNetworkRetries: stripeapi.NoRetries, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if e.journal, err = journal.Open(filepath.Join(t.TempDir(), "journal.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.journal.Close() })
	e.journal.SetOrigin("till-1", "anna")
	e.runner = &checkout.Runner{Payments: e.client, Terminal: e.client, Presenter: e.client, Journal: e.journal, Log: quiet}
	// The supervisor service with its default runner (Payments only), as
	// `kasse` built it when finding 3 was filed.
	ops := []config.Operator{{Name: "bea", Role: config.RoleSupervisor}, {Name: "tom", Role: config.RoleTech},
		{Name: "anna", Role: config.RoleCashier}}
	e.svc, err = supervisor.New(supervisor.Deps{Payments: e.client, Journal: e.journal, Operators: ops, Operator: "anna",
		ConsoleID: "till-1", PinLockout: time.Millisecond, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for op, pin := range fuzzPINs {
		h, err := supervisor.HashPINWith(supervisor.PIN(pin), fuzzCheap)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.journal.SetPinHash(context.Background(), op, h, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	e.fleet = &readers.Fleet{Terminal: e.client, Sellers: e.client, Payments: e.client, Presenter: e.client, Mode: readers.ModeTest,
		PollInterval: time.Millisecond}
	e.findSeller()
	e.seed()
	return e
}

// findSeller picks Lumen Coffee (usd) and its platform reader.
func (e *fuzzEnv) findSeller() {
	ctx := context.Background()
	sellers, err := e.client.ListSellers(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	locs, _ := e.client.ListLocations(ctx, pos.Platform)
	rs, _ := e.client.ListReaders(ctx, pos.Platform, pos.ReaderFilter{})
	for _, s := range sellers {
		if s.DisplayName != "Lumen Coffee" {
			continue
		}
		for _, l := range locs {
			for _, r := range rs {
				if strings.HasPrefix(l.DisplayName, s.DisplayName) && r.LocationID == l.ID {
					e.seller, e.reader = s, r
					return
				}
			}
		}
	}
	e.t.Fatal("the demo sandbox has no Lumen Coffee reader")
}

// seed makes the back office's payments: paid and authorized through the
// checkout runner (so this console's journal has them), a declined sale
// given up, and a reader test payment (voided).
func (e *fuzzEnv) seed() {
	e.paid = e.sale(1250, "", "4242424242424242", pos.SaleApproved).IntentID
	e.authorized = e.sale(2600, "manual", "4242424242424242", pos.SaleRequiresCapture).IntentID
	declined := e.sale(990, "", "4000000000000002", pos.SaleDeclined)
	ctx := context.Background()
	if s, err := e.runner.Drive(ctx, declined, pos.CancelRequested{At: time.Now()}, nil); err != nil || s.State != pos.SaleCanceled {
		e.t.Fatalf("cancel after the decline: %s, %v", s.State, err)
	}
	if _, err := e.fleet.TestTransaction(ctx, readers.TestParams{Owner: e.reader.Owner, ReaderID: e.reader.ID, Seller: e.seller.ID}); err != nil {
		e.t.Fatalf("reader test: %v", err)
	}
}

// sale rings up amount through the runner and presents card.
func (e *fuzzEnv) sale(amount int64, capture, card string, want pos.SaleState) pos.Sale {
	e.t.Helper()
	ctx := context.Background()
	s, err := pos.NewSale(pos.SaleConfig{ID: fmt.Sprintf("till-1-fuzz%d", fuzzSaleNo.Add(1)), Seller: e.seller.ID,
		ReaderOwner: e.reader.Owner, ReaderID: e.reader.ID, LocationID: e.reader.LocationID, Currency: e.seller.Currency,
		CaptureMethod: capture, Process: pos.ProcessConfig{SkipTipping: true}, ConsoleID: "till-1", Operator: "anna"}, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if s.Cart, err = s.Cart.Add(pos.Line{Description: "Item", Quantity: 1, UnitPrice: amount}); err != nil {
		e.t.Fatal(err)
	}
	r := &checkout.Runner{Payments: e.client, Terminal: e.client, Presenter: e.client, Journal: e.journal,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }}
	s, err = r.Drive(ctx, s, pos.ChargeRequested{At: time.Now()}, func(s pos.Sale) bool {
		return s.State == pos.SaleWaitingForCard && !s.Pending.Active()
	})
	if err != nil || s.State != pos.SaleWaitingForCard {
		e.t.Fatalf("to the reader: %s, %v", s.State, err)
	}
	if err := r.PresentCard(ctx, s, card, 0); err != nil {
		e.t.Fatal(err)
	}
	if s, err = r.Drive(ctx, s, pos.Tick{At: time.Now()}, nil); err != nil || s.State != want {
		e.t.Fatalf("seeded sale is %s, want %s (%v)", s.State, want, err)
	}
	return s
}

// deps is the console on this env, cashier anna signed in.
func (e *fuzzEnv) deps(capture string) ui.Deps {
	return ui.Deps{
		Sellers: e.client, Terminal: e.client, Payments: e.client, Presenter: e.client, Runner: e.runner,
		Mode: config.ModeSandbox, ConsoleID: "till-1", Operator: "anna", Role: string(config.RoleCashier),
		Guard: e.svc.Guard, Supervisor: e.svc, Fleet: e.fleet,
		Reports:  &reports.Searcher{Journal: e.journal, Sellers: e.client, Payments: e.client, ConsoleID: "till-1"},
		Receipts: &uitest.FakeSaver{Dir: "/srv/kasse/receipts"}, Exports: &uitest.FakeSaver{Dir: "/srv/kasse/exports"},
		RecentRequests: func() []readers.RequestRecord {
			var out []readers.RequestRecord
			for _, r := range e.client.RecentRequests() {
				out = append(out, readers.RequestRecord(r))
			}
			return out
		},
		CaptureMethod: capture, Process: pos.ProcessConfig{SkipTipping: true},
		Now: time.Now, Timeout: 5 * time.Second,
	}
}

// fuzzKeys is every key a terminal can send Bubble Tea: every control
// code (ctrl+a … ctrl+_, tab, enter, esc, backspace), every named key
// (arrows with shift and ctrl, home, end, page up and down, insert,
// delete, f1–f20), each also with alt; every printable ASCII rune, some
// wider ones, alt with every letter and digit, a burst of runes typed
// fast and a paste.
func fuzzKeys() []tea.KeyMsg {
	var out []tea.KeyMsg
	var special []tea.KeyType
	for k := tea.KeyType(0); k <= 31; k++ {
		special = append(special, k)
	}
	special = append(special, tea.KeyBackspace)
	for k := tea.KeyUp; k >= tea.KeyF20; k-- { // the named keys: KeyUp … KeyF20 count down from -2
		special = append(special, k)
	}
	for _, k := range special {
		out = append(out, tea.KeyMsg{Type: k}, tea.KeyMsg{Type: k, Alt: true})
	}
	for r := rune(0x20); r < 0x7f; r++ {
		if r == ' ' {
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	for _, r := range "äß€日🙂" {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: true})
	}
	out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("12.5+x")},
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4242 4242\n,;"), Paste: true})
	return out
}

// keyName names a key for failure messages.
func keyName(k tea.KeyMsg) string {
	s := k.String()
	if k.Paste {
		s = "paste " + s
	}
	return fmt.Sprintf("%q", s)
}

// A route step drives a console; it returns an error when the screen
// cannot be reached (the env may have been used up: a new one is made).
type routeStep func(h *uitest.Harness, e *fuzzEnv) error

func press(names ...string) routeStep {
	return func(h *uitest.Harness, _ *fuzzEnv) error { h.Keys(names...); return nil }
}

// pin signs operator in on the PIN prompt on top.
func pin(operator string) routeStep {
	return press("ctrl+u", "text:"+operator, "tab", "text:"+fuzzPINs[operator], "enter")
}

// A place is where a console is: the screen on top and what it shows
// (the fuzz sees the console as a cashier does).
type place func(h *uitest.Harness) bool

// await fires timers (a bounded number of rounds) until the console is at.
func await(what string, at place) routeStep {
	return func(h *uitest.Harness, _ *fuzzEnv) error {
		for i := 0; i < 40 && !at(h); i++ {
			if h.Fire(nil) == 0 {
				break
			}
		}
		if !at(h) {
			return fmt.Errorf("not %s:\n%s", what, h.View())
		}
		return nil
	}
}

// selectedLine is the list row under the cursor ("▸ …").
func selectedLine(view string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "▸") {
			return l
		}
	}
	return ""
}

// row moves the transactions' cursor to the payment pick names.
func row(pick func(e *fuzzEnv) string) routeStep {
	return func(h *uitest.Harness, e *fuzzEnv) error {
		if !h.On("Transactions") {
			return fmt.Errorf("not on the transactions:\n%s", h.View())
		}
		id := pick(e)
		for range 50 {
			if strings.Contains(selectedLine(h.View()), id) {
				return nil
			}
			before := selectedLine(h.View())
			h.Keys("down")
			if selectedLine(h.View()) == before {
				break // the last row
			}
		}
		return fmt.Errorf("no transaction %s:\n%s", id, h.View())
	}
}

// on is the screen titled title on top (see Harness.On), the help closed,
// its view holding every one of shows and none of hides. A dialog open
// above it hides the view: the screen is still there, and the keys go to
// the dialog.
func on(title string, shows []string, hides ...string) place {
	return func(h *uitest.Harness) bool {
		if !h.On(title) || h.M.HelpOpen() {
			return false
		}
		if h.M.Asking() != "" {
			return true
		}
		v := h.View()
		for _, s := range shows {
			if !strings.Contains(v, s) {
				return false
			}
		}
		for _, s := range hides {
			if strings.Contains(v, s) {
				return false
			}
		}
		return true
	}
}

func show(s ...string) []string { return s }

// paymentIn is the live view in state st (what its state line says), with
// neither the test cards nor the cancel question open.
func paymentIn(st pos.SaleState) place {
	says := map[pos.SaleState][]string{
		pos.SaleWaitingForCard:  {"Waiting for the customer's card", "Card presented"},
		pos.SaleDeclined:        {"✗ Declined"},
		pos.SaleCanceled:        {"Canceled — nothing was charged."},
		pos.SaleRequiresCapture: {"— enter captures"},
	}[st]
	return func(h *uitest.Harness) bool {
		if !on("Payment", nil, "Present a test card", "Cancel this payment?")(h) {
			return false
		}
		if h.M.Asking() != "" {
			return true
		}
		v := h.View()
		for _, s := range says {
			if strings.Contains(v, s) {
				return true
			}
		}
		return false
	}
}

type fuzzTarget struct {
	name    string
	capture string // the console's capture method
	route   []routeStep
	at      place
}

func fuzzTargets() []fuzzTarget {
	noEditor := []string{"Edit line", "Receipt email"}
	register := []routeStep{press("text:lumen", "enter"), await("at the locations", on("Choose a location…", nil)),
		press("enter"), await("at the readers", on("Choose a reader…", nil)), press("enter"), await("at the register", on("Register", nil))}
	then := func(base []routeStep, more ...routeStep) []routeStep {
		return append(append([]routeStep(nil), base...), more...)
	}
	charging := then(register, press("text:1250", "enter"), await("waiting for the card", paymentIn(pos.SaleWaitingForCard)))
	present := func(down int) []routeStep {
		keys := []string{"t"}
		for range down {
			keys = append(keys, "down")
		}
		return then(charging, press(append(keys, "enter")...))
	}
	presented := func(down int, want pos.SaleState) []routeStep {
		return then(present(down), await("a presented card's outcome", paymentIn(want)))
	}
	office := func(fkey, operator string, at place) []routeStep {
		return []routeStep{press(fkey), await("at the PIN prompt", on("… — PIN", nil)), pin(operator), await("in the area", at)}
	}
	txList := on("Transactions", show("/ filters", " transaction"))
	tx := office("f2", "bea", txList)
	detail := func(pick func(e *fuzzEnv) string) []routeStep {
		return then(tx, row(pick), press("enter"), await("at the detail", on("Payment …", show("Refunds ("))))
	}
	paidDetail := detail(func(e *fuzzEnv) string { return e.paid })
	authDetail := detail(func(e *fuzzEnv) string { return e.authorized })
	const backToPayment = "enter or esc goes back to the payment."
	money := func(verb string) place { return on(verb+" pi_…", nil, backToPayment) }
	voidReady := then(authDetail, press("v"), await("at the void", money("Void")), press("tab", "tab", "tab", "text:"+fuzzPINs["bea"]))
	fleet := office("f4", "tom", on("Readers", show("every 5s")))
	const clearQuestion = "y clears, n keeps it"
	readerAt := func(h *uitest.Harness) bool { // a reader's detail is titled by the reader's name
		v := h.View()
		return !h.M.HelpOpen() && strings.Contains(v, "Health") && !strings.Contains(v, clearQuestion)
	}
	readerDetail := then(fleet, press("enter"), await("at a reader", readerAt))
	eodView := on("End of day", nil, "enter runs the report")
	return []fuzzTarget{
		{name: "seller picker", at: on("Choose a seller", nil)},
		{name: "help", route: []routeStep{press("?")}, at: func(h *uitest.Harness) bool { return h.M.HelpOpen() }},
		{name: "location picker", route: register[:2], at: on("Choose a location…", nil)},
		{name: "reader picker", route: register[:4], at: on("Choose a reader…", nil)},
		{name: "register", route: register, at: on("Register", nil, noEditor...)},
		{name: "register with a cart", route: then(register, press("text:450", "+", "text:125", "+", "*")),
			at: on("Register", nil, append(noEditor, "no items yet")...)},
		{name: "register line editor", route: then(register, press("text:450", "+", "ctrl+e")),
			at: on("Register", show("Edit line"))},
		{name: "register receipt email", route: then(register, press("@")),
			at: on("Register", show("Receipt email"))},
		{name: "payment waiting for the card", route: charging, at: paymentIn(pos.SaleWaitingForCard)},
		{name: "payment test cards", route: then(charging, press("t")),
			at: on("Payment", show("Present a test card"))},
		{name: "payment cancel confirmation", route: then(charging, press("c")),
			at: on("Payment", show("Cancel this payment?"))},
		{name: "payment declined", route: presented(1, pos.SaleDeclined), at: paymentIn(pos.SaleDeclined)},
		{name: "payment canceled", route: then(charging, press("c", "y"), await("canceled", paymentIn(pos.SaleCanceled))),
			at: paymentIn(pos.SaleCanceled)},
		{name: "payment on another reader", route: then(presented(1, pos.SaleDeclined), press("o")),
			at: on("Move the payment to another reader at …", nil)},
		{name: "payment authorized (manual capture)", capture: "manual", route: presented(0, pos.SaleRequiresCapture),
			at: paymentIn(pos.SaleRequiresCapture)},
		{name: "receipt", route: then(present(0), await("at the receipt", on("Receipt", nil))),
			at: on("Receipt", nil)},
		{name: "back office menu", route: []routeStep{press("f9")}, at: on("Back office", nil)},
		{name: "PIN prompt", route: []routeStep{press("f2")}, at: on("… — PIN", nil)},
		{name: "transactions", route: tx, at: txList},
		{name: "transaction filters", route: then(tx, press("/")), at: on("Transactions", show("enter applies"))},
		{name: "detail of a paid sale", route: paidDetail, at: on("Payment …", nil)},
		{name: "detail of an authorized sale", route: authDetail, at: on("Payment …", nil)},
		{name: "refund", route: then(paidDetail, press("r")), at: money("Refund")},
		{name: "capture", route: then(authDetail, press("c")), at: money("Capture")},
		{name: "refund with the PIN typed", route: then(paidDetail, press("r"), await("at the refund", money("Refund")),
			press("tab", "tab", "tab", "tab", "text:"+fuzzPINs["bea"])), at: money("Refund")},
		{name: "capture with the PIN typed", route: then(authDetail, press("c"), await("at the capture", money("Capture")),
			press("tab", "tab", "tab", "text:"+fuzzPINs["bea"])), at: money("Capture")},
		{name: "void", route: then(authDetail, press("v")), at: money("Void")},
		{name: "void with the PIN typed", route: voidReady, at: money("Void")},
		{name: "void done", route: then(voidReady, press("enter"), await("voided", on("Void pi_…", show(backToPayment)))),
			at: on("Void pi_…", show(backToPayment))},
		{name: "end of day", route: office("f3", "bea", eodView), at: eodView},
		{name: "end of day period", route: then(office("f3", "bea", eodView), press("/")),
			at: on("End of day", show("enter runs the report"))},
		{name: "readers", route: fleet, at: on("Readers", nil)},
		{name: "reader", route: readerDetail, at: readerAt},
		{name: "reader clear confirmation", route: then(readerDetail, press("c")),
			at: func(h *uitest.Harness) bool {
				v := h.View()
				return strings.Contains(v, "Health") && strings.Contains(v, clearQuestion)
			}},
		{name: "pair a reader", route: then(fleet, press("p")), at: on("Pair a reader", nil)},
		{name: "rename a reader", route: then(readerDetail, press("n")), at: on("Rename …", nil)},
		{name: "reader metadata", route: then(readerDetail, press("m")), at: on("Metadata of …", nil)},
		{name: "deregister a reader", route: then(readerDetail, press("d")), at: on("Deregister …", nil)},
		{name: "reader test payment", route: then(readerDetail, press("t")), at: on("Test payment on …", nil)},
	}
}

// fuzzRun is one target's run: the env, the console and where it is.
type fuzzRun struct {
	t   *testing.T
	tg  fuzzTarget
	env *fuzzEnv
	h   *uitest.Harness
}

// reach builds a console on the env and drives it to the target; a route
// that fails on a used env (a voided payment, a deregistered reader, a
// locked operator) is tried once more on a new env.
func (r *fuzzRun) reach() {
	r.t.Helper()
	var last error
	for attempt := 0; attempt < 2; attempt++ {
		if r.env == nil || attempt > 0 {
			r.env = newFuzzEnv(r.t)
		}
		last = r.guard("reaching it", func() error {
			r.h = uitest.Start(r.t, r.env.deps(r.tg.capture))
			r.h.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
			r.h.Run(r.h.M.Init())
			for _, step := range r.tg.route {
				if err := step(r.h, r.env); err != nil {
					return err
				}
			}
			if !r.tg.at(r.h) {
				return fmt.Errorf("the route did not end there:\n%s", r.h.View())
			}
			return nil
		})
		if last == nil {
			return
		}
		if strings.Contains(last.Error(), "panic") {
			break
		}
	}
	r.t.Fatalf("%s: %v", r.tg.name, last)
}

// guard runs fn, turning a panic into an error with its stack.
func (r *fuzzRun) guard(doing string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic %s: %v\n%s", doing, p, debug.Stack())
		}
	}()
	return fn()
}

func TestEveryKeyOnEveryScreenAgainstTheSandbox(t *testing.T) {
	keys := fuzzKeys()
	for _, tg := range fuzzTargets() {
		t.Run(tg.name, func(t *testing.T) {
			r := &fuzzRun{t: t, tg: tg}
			r.reach()
			back := 0
			for _, k := range keys {
				if !tg.at(r.h) {
					r.reach()
					back++
				}
				err := r.guard("on key "+keyName(k), func() error {
					r.h.Send(k)
					for i := 0; i < 2; i++ {
						r.h.Fire(nil)
					}
					_ = r.h.M.View()
					return nil
				})
				if err != nil {
					t.Fatalf("%s: %v", tg.name, err)
				}
			}
			t.Logf("%d keys pressed; driven back %d times", len(keys), back)
		})
	}
}
