package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/readers"
	"kasse/supervisor"
)

// Modes as the header shows them.
const (
	ModeSandbox = "sandbox"
	ModeTest    = "test"
	ModeLive    = "live"
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

// clone returns a deep copy, safe to hand to a tea.Cmd.
func (r Remembered) clone() Remembered {
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

// LogEntry is one line of the reconcile log.
type LogEntry struct {
	At      time.Time
	Who     string // the operator of the Kasse that settled it
	Console string
	Text    string
}

// ReconcileLog is the history of start-up reconciliation, newest first.
type ReconcileLog interface {
	ReconcileLog(ctx context.Context, limit int) ([]LogEntry, error)
}

// Deps is everything the console needs from the outside.
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

	Mode      string // ModeSandbox, ModeTest or ModeLive
	ConsoleID string
	Operator  string
	// Role is the signed-in operator's role: RoleCashier (also when
	// empty), RoleSupervisor or RoleTech. It only shapes the PIN prompt;
	// Guard decides who may open what.
	Role string

	// Reconciled are the sales reconciliation settled at start; the seller
	// list names them until dismissed.
	Reconciled []pos.Sale
	// ReconciledRefunds are the refunds reconciliation settled at start.
	ReconciledRefunds []pos.RefundFlow
	// Offers are this console's sales that reconciliation found open at
	// start and brought up to date with Stripe: each is offered to the
	// cashier, who resumes its live view or cancels it.
	Offers []pos.Sale
	// Unsettled names, one line each, the sales reconciliation could not
	// settle at start (Stripe unreachable, or another running Kasse holds
	// them); the start notice shows them.
	Unsettled []string
	// ReconcileLog reads what reconciliation settled on every start (nil:
	// no log screen). Called from a tea.Cmd.
	ReconcileLog ReconcileLog
	// Warnings are configuration warnings (config.Config.Warnings), shown
	// on the sellers screen until dismissed. They never hold a secret.
	Warnings []string
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
	Supervisor Supervisor // refunds, voids, captures (Transactions)
	Reports    Reports    // Transactions and End of day
	Fleet      Fleet      // Readers
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
	// random). Keys are built as "<console>-<purpose>-<token>".
	NewKey func() string
	// Timeout bounds every request (default 15s).
	Timeout time.Duration
}

// Validate reports configuration mistakes the console cannot work around.
func (d Deps) Validate() error {
	var errs []error
	if d.Sellers == nil || d.Terminal == nil || d.Payments == nil || d.Runner == nil {
		errs = append(errs, errors.New("ui: Sellers, Terminal, Payments and Runner are required"))
	}
	switch d.Mode {
	case ModeSandbox, ModeTest:
	case ModeLive:
		if d.Presenter != nil {
			errs = append(errs, errors.New("ui: a Presenter must not be given in live mode"))
		}
	default:
		errs = append(errs, fmt.Errorf("ui: mode %q is not one of sandbox, test, live", d.Mode))
	}
	if d.TaxRate < 0 || d.TaxRate > pos.TaxRateScale {
		errs = append(errs, fmt.Errorf("ui: tax rate %s is outside 0%%..100%%", pos.FormatTaxRate(d.TaxRate)))
	}
	switch d.Role {
	case "", RoleCashier, RoleSupervisor, RoleTech:
	default:
		errs = append(errs, fmt.Errorf("ui: role %q is not one of cashier, supervisor, tech", d.Role))
	}
	if len(d.DemoOperators) > 0 && d.Mode != ModeSandbox {
		errs = append(errs, fmt.Errorf("ui: demo operators exist in sandbox mode only, not in %s mode", d.Mode))
	}
	if d.Guard == nil && (d.Reports != nil || d.Fleet != nil || d.Supervisor != nil) {
		errs = append(errs, errors.New("ui: the back office (Reports, Fleet, Supervisor) needs a Guard"))
	}
	switch d.CaptureMethod {
	case "", "automatic", "manual":
	default:
		errs = append(errs, fmt.Errorf("ui: capture method %q is not automatic or manual", d.CaptureMethod))
	}
	seen := map[string]bool{}
	for _, q := range d.QuickKeys {
		if !validQuickKey(q.Key) {
			errs = append(errs, fmt.Errorf("ui: quick key %q must be one of 1-9 or a-z", q.Key))
			continue
		}
		if seen[q.Key] {
			errs = append(errs, fmt.Errorf("ui: quick key %q is bound twice", q.Key))
		}
		seen[q.Key] = true
		for cur, p := range q.Prices {
			if c, err := pos.LookupCurrency(cur); err != nil || c.Code != cur || p <= 0 || p > pos.MaxAmount {
				errs = append(errs, fmt.Errorf("ui: quick key %q: price %d %q is not a price in a lower-case ISO currency", q.Key, p, cur))
			}
		}
	}
	return errors.Join(errs...)
}

func validQuickKey(k string) bool {
	return len(k) == 1 && (k[0] >= '1' && k[0] <= '9' || k[0] >= 'a' && k[0] <= 'z')
}

// withDefaults fills in the optional fields.
func (d Deps) withDefaults() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.NewKey == nil {
		d.NewKey = randomToken
	}
	if d.Timeout <= 0 {
		d.Timeout = 15 * time.Second
	}
	if d.Mode == ModeLive {
		d.Presenter = nil
	}
	if d.ConsoleID == "" {
		d.ConsoleID = "kasse"
	}
	d.Mode = strings.ToLower(d.Mode)
	return d
}

// New builds the console's root model. Call Validate first (Run does).
func New(d Deps) tea.Model { return newModel(d) }

// Run validates d and runs the console full-screen until the operator quits.
func Run(d Deps) error {
	if err := d.Validate(); err != nil {
		return err
	}
	_, err := tea.NewProgram(New(d), tea.WithAltScreen()).Run()
	return err
}
