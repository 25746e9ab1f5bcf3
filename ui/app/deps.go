package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"kasse/config"
	"kasse/i18n"
	"kasse/pos"
	"kasse/readers"
	"kasse/supervisor"
)

// QuickKey is a preset sale line on the register. Letters are pressed alone;
// every quick key (digits included, since digits type amounts) also answers
// to alt+Key.
type QuickKey struct {
	Key         string // one character: 1-9 or a-z
	Description string
	// Prices maps a lower-case currency code to the price in its minor
	// units. A seller whose currency has no entry cannot use the key: the
	// register shows it unavailable and refuses it.
	Prices map[string]int64
}

// Remembered is what the console remembers between runs: the last seller,
// the last location per seller and the last reader per location.
type Remembered struct {
	Seller    pos.Account
	Locations map[pos.Account]string // seller → location id
	Readers   map[string]string      // location id → reader id
}

// Clone returns a deep copy, safe to hand to a tea.Cmd.
func (r Remembered) Clone() Remembered {
	c := Remembered{Seller: r.Seller,
		Locations: make(map[pos.Account]string, len(r.Locations)),
		Readers:   make(map[string]string, len(r.Readers))}
	for k, v := range r.Locations {
		c.Locations[k] = v
	}
	for k, v := range r.Readers {
		c.Readers[k] = v
	}
	return c
}

// Prefs persists Remembered. The composition root decides where. Load and
// Save are called from tea.Cmds, never from Update.
type Prefs interface {
	Load() (Remembered, error)
	Save(Remembered) error
}

// LogEntry is one line of the reconcile log: Msg in the session's
// language, or (an entry Kasse cannot read back) Text as it was written.
type LogEntry struct {
	At      time.Time
	Who     string // the operator of the Kasse that settled it
	Console string
	Msg     i18n.Message
	Text    string
}

// ReconcileLog is the history of start-up reconciliation, newest first.
type ReconcileLog interface {
	ReconcileLog(ctx context.Context, limit int) ([]LogEntry, error)
}

// Deps is everything the console needs from the outside, and the keys and
// styles it draws with: what every session of a process shares. Nothing in
// it changes once the console runs (Prepared fills in the defaults once), so
// any number of sessions may use one Deps at the same time; a session's own
// state is its Session. Every service in it must be safe for concurrent use
// when sessions share it (the application packages' services are).
type Deps struct {
	Sellers  pos.Sellers
	Terminal pos.Terminal
	Payments pos.Payments
	// Presenter simulates card presentment (sandbox and test keys). Nil in
	// live mode; nil also hides the test-card picker.
	Presenter pos.Presenter
	// Runner executes the sale machine's effects (required): the shared
	// executor, *checkout.Runner, which journals before it sends.
	Runner SaleRunner
	// Prefs remembers the last choices. Nil: nothing is remembered.
	Prefs Prefs

	Mode      string // config.ModeSandbox, config.ModeTest or config.ModeLive
	ConsoleID string

	// Operator and Role sign in the session New opens: the local console's
	// operator (config's operator) and role (config.Role: cashier, also
	// when empty, supervisor or tech; it only shapes the PIN prompt, Guard
	// decides who may open what). A process serving many sessions gives
	// each its own SignIn; screens read them from the Session only.
	Operator string
	Role     string
	// Locale is the language of the session New opens: the local
	// operator's (config.Config.LanguageFor, else LC_ALL / LC_MESSAGES /
	// LANG: i18n.NewFor). Nil: English. A process serving many sessions
	// gives each its own in its SignIn.
	Locale *i18n.Locale

	// Reconciled are the sales reconciliation settled at start; the seller
	// list names them until dismissed.
	Reconciled []pos.Sale
	// ReconciledRefunds are the refunds reconciliation settled at start.
	ReconciledRefunds []pos.RefundFlow
	// Offers are this console's sales that reconciliation found open at
	// start and brought up to date with Stripe: each is offered to the
	// cashier of the session New opens, who resumes its live view or
	// cancels it.
	Offers []pos.Sale
	// Unsettled names, one line each, the sales reconciliation could not
	// settle at start (Stripe unreachable, or another running Kasse holds
	// them); the start notice shows them.
	Unsettled []i18n.Message
	// ReconcileLog reads what reconciliation settled on every start (nil:
	// no log screen). Called from a tea.Cmd.
	ReconcileLog ReconcileLog
	// Warnings are configuration warnings (config.Config.Warnings), shown
	// in the session's language on the sellers screen until dismissed.
	// They never hold a secret.
	Warnings []i18n.Message
	// DemoOperators are the sandbox demo's operators with their demo PINs
	// (published demo data, not secrets: supervisor.DemoPIN), shown on the
	// first screen and at the PIN prompt. Sandbox mode only: Validate
	// refuses them in any other mode.
	DemoOperators []supervisor.DemoOperator
	// Receipts saves the plain-text receipt of every approved sale (nil:
	// not saved).
	Receipts Saver
	// Exports saves end-of-day exports and reader diagnostics (nil: no
	// exports).
	Exports Saver

	// The back office. Guard checks PINs before any area opens; an area
	// whose service is nil is not offered.
	Guard      Guard
	Supervisor Supervisor  // refunds, voids, captures (Transactions)
	Reports    Reports     // Transactions and End of day
	Fleet      Fleet       // Readers
	Disputes   DisputeDesk // the disputes desk (services_disputes.go)
	// Customers finds and creates customers, their saved cards, and what
	// a sale for one needs (nil: the console offers no customers).
	Customers Customers
	// Notices are what Stripe's events changed (a refund elsewhere, a
	// dispute, …): the status line says so, every NoticeEvery (nil: not
	// shown).
	Notices     NoticeFeed
	NoticeEvery time.Duration
	// NoticesFrom is the notice the console starts after (nil: the newest
	// when it starts): the composition root takes it before the start's
	// catch-up, so that what the console missed while off is told too.
	NoticesFrom *int64
	// RecentRequests returns the recent Stripe requests for a reader's
	// diagnostics bundle (nil: the bundle has none). Called from a tea.Cmd.
	RecentRequests func() []readers.RequestRecord

	QuickKeys []QuickKey
	// TaxRate is the exclusive tax added on top of the cart, in
	// thousandths of a percent as pos.Cart keeps it (8875 = 8.875%); 0 means
	// no tax (and no tax toggle on the register).
	TaxRate int64

	// Sale settings, copied into every sale (see pos.SaleConfig).
	CaptureMethod string            // "automatic" (default) or "manual"
	Process       pos.ProcessConfig // tipping, customer cancellation
	IdleTimeout   time.Duration     // clear a primed reader after this; 0 = never

	// Now is the clock (default time.Now).
	Now func() time.Time
	// NewKey returns a fresh unique token for idempotency keys (default:
	// random). Keys are built as "<console>-<purpose>-<token>". It must be
	// safe for concurrent use when sessions share the Deps.
	NewKey func() string
	// Timeout bounds every request (default 15s).
	Timeout time.Duration
	// After schedules msg after d (default: tea.Tick). Tests fire timers
	// by hand.
	After func(d time.Duration, msg tea.Msg) tea.Cmd

	// Keys and Styles are the console's one KeyMap and one Styles
	// (default: DefaultKeyMap, and DefaultStyles of DefaultPalette).
	Keys   KeyMap
	Styles Styles
	// Renderer is the lipgloss renderer Styles were built for: its colour
	// profile and background are the session's terminal's. Nil: lipgloss's
	// default renderer (the process's terminal). A process serving other
	// terminals (`kasse serve`) gives each session a copy of the shared
	// Deps with its own Renderer and StylesFor it.
	Renderer *lipgloss.Renderer

	// Counter is the host's side of a session served at a counter of
	// `kasse serve` (nil at a local console): which readers other counters
	// hold, and what this session is doing. Like Renderer, it is set in
	// the session's copy of the shared Deps.
	Counter Counter
}

// renderer is d's lipgloss renderer (Renderer, else the default).
func (d *Deps) renderer() *lipgloss.Renderer {
	if d.Renderer != nil {
		return d.Renderer
	}
	return lipgloss.DefaultRenderer()
}

// SignIn is who a session is: the operator, their role and their
// language (nil: English).
type SignIn struct {
	Operator string
	Role     config.Role
	Locale   *i18n.Locale
}

// SignIn is the sign-in of the session New opens (Operator, Role and
// Locale).
func (d *Deps) SignIn() SignIn {
	return SignIn{Operator: d.Operator, Role: config.Role(d.Role), Locale: d.Locale}
}

// Validate reports configuration mistakes the console cannot work around.
// They are the composition root's mistakes (config has refused a user's
// already, in the user's language), reported in English like a log line:
// the strings below are marked i18n:ok.
func (d Deps) Validate() error {
	var errs []error
	if d.Sellers == nil || d.Terminal == nil || d.Payments == nil || d.Runner == nil {
		errs = append(errs, errors.New("ui: Sellers, Terminal, Payments and Runner are required")) // i18n:ok a composition error, not a cashier's
	}
	switch d.Mode {
	case config.ModeSandbox, config.ModeTest:
	case config.ModeLive:
		if d.Presenter != nil {
			errs = append(errs, errors.New("ui: a Presenter must not be given in live mode")) // i18n:ok a composition error, not a cashier's
		}
	default:
		errs = append(errs, fmt.Errorf("ui: mode %q is not one of sandbox, test, live", d.Mode)) // i18n:ok a composition error, not a cashier's
	}
	if d.TaxRate < 0 || d.TaxRate > pos.TaxRateScale {
		errs = append(errs, fmt.Errorf("ui: tax rate %s is outside 0%%..100%%", pos.FormatTaxRate(d.TaxRate))) // i18n:ok a composition error, not a cashier's
	}
	switch config.Role(d.Role) {
	case "", config.RoleCashier, config.RoleSupervisor, config.RoleTech:
	default:
		errs = append(errs, fmt.Errorf("ui: role %q is not one of cashier, supervisor, tech", d.Role)) // i18n:ok a composition error, not a cashier's
	}
	if len(d.DemoOperators) > 0 && d.Mode != config.ModeSandbox {
		errs = append(errs, fmt.Errorf("ui: demo operators exist in sandbox mode only, not in %s mode", d.Mode)) // i18n:ok a composition error, not a cashier's
	}
	if d.Guard == nil && (d.Reports != nil || d.Fleet != nil || d.Supervisor != nil || d.Disputes != nil) {
		errs = append(errs, errors.New("ui: the back office (Reports, Fleet, Supervisor, Disputes) needs a Guard")) // i18n:ok a composition error, not a cashier's
	}
	switch d.CaptureMethod {
	case "", "automatic", "manual":
	default:
		errs = append(errs, fmt.Errorf("ui: capture method %q is not automatic or manual", d.CaptureMethod)) // i18n:ok a composition error, not a cashier's
	}
	seen := map[string]bool{}
	for _, q := range d.QuickKeys {
		if !validQuickKey(q.Key) {
			errs = append(errs, fmt.Errorf("ui: quick key %q must be one of 1-9 or a-z", q.Key)) // i18n:ok a composition error, not a cashier's
			continue
		}
		if seen[q.Key] {
			errs = append(errs, fmt.Errorf("ui: quick key %q is bound twice", q.Key)) // i18n:ok a composition error, not a cashier's
		}
		seen[q.Key] = true
		for cur, p := range q.Prices {
			if c, err := pos.LookupCurrency(cur); err != nil || c.Code != cur || p <= 0 || p > pos.MaxAmount {
				errs = append(errs, fmt.Errorf("ui: quick key %q: price %d %q is not a price in a lower-case ISO currency", q.Key, p, cur)) // i18n:ok a composition error, not a cashier's
			}
		}
	}
	return errors.Join(errs...)
}

func validQuickKey(k string) bool {
	return len(k) == 1 && (k[0] >= '1' && k[0] <= '9' || k[0] >= 'a' && k[0] <= 'z')
}

// Prepared returns a copy of d with the optional fields filled in, ready
// to be shared by the sessions of a process. Call Validate first.
func (d Deps) Prepared() *Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.NewKey == nil {
		d.NewKey = randomToken
	}
	if d.Timeout <= 0 {
		d.Timeout = 15 * time.Second
	}
	d.Mode = strings.ToLower(d.Mode)
	if d.Mode == config.ModeLive {
		d.Presenter = nil
	}
	if d.ConsoleID == "" {
		d.ConsoleID = "kasse" // i18n:ok an id
	}
	if d.After == nil {
		d.After = tick
	}
	if d.NoticeEvery <= 0 {
		d.NoticeEvery = DefaultNoticeEvery
	}
	if len(d.Keys.Quit.Keys()) == 0 {
		d.Keys = DefaultKeyMap()
	}
	if d.Styles.Mode == nil {
		d.Styles = StylesFor(DefaultPalette(), d.renderer())
	}
	return &d
}

func tick(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

func randomToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// IdemKey builds an idempotency key "<console>-<purpose>-<token>".
func (d *Deps) IdemKey(purpose string) string {
	return d.ConsoleID + "-" + purpose + "-" + d.NewKey()
}

// TestKeys reports whether the console runs on test keys (sandbox or test
// mode): simulated readers and test cards exist.
func (d *Deps) TestKeys() bool { return d.Mode != config.ModeLive }

// TestMode reports whether simulated card presentment is available.
func (d *Deps) TestMode() bool {
	return d.Presenter != nil && d.Mode != config.ModeLive
}

// DemoOperatorsShown are the demo operators to show: none outside sandbox
// mode. Their PINs are supervisor.DemoPIN values: published demo data,
// not secrets (Validate refuses them in any other mode). A real PIN is a
// supervisor.PIN: typed masked, cleared at once, never shown.
func (d *Deps) DemoOperatorsShown() []supervisor.DemoOperator {
	if d.Mode != config.ModeSandbox {
		return nil
	}
	return d.DemoOperators
}

// spinnerFrames are the spinner's frames, one per animation tick.
var spinnerFrames = [...]string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Spinner renders the spinner at s's frame (Session.Frame).
func (d *Deps) Spinner(s *Session) string {
	return d.Ink(s).Spinner.Render(spinnerFrames[s.Frame%len(spinnerFrames)])
}
