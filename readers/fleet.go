package readers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"kasse/i18n"
	"kasse/internal/wait"
	"kasse/pos"
)

// Mode is the mode of the API key the ports use.
type Mode string

// Modes. The zero Mode is treated as ModeLive.
const (
	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// Test reports whether m is test mode (only ModeTest is).
func (m Mode) Test() bool { return m == ModeTest }

// String is "test" or "live".
func (m Mode) String() string {
	if m.Test() {
		return string(ModeTest)
	}
	return string(ModeLive)
}

// Defaults for Fleet's zero fields.
const (
	DefaultConcurrency  = 4
	DefaultPollInterval = 500 * time.Millisecond
	// DefaultSimulatedTimeout bounds a test transaction whose card is
	// presented by the test helper: the result is normally immediate.
	DefaultSimulatedTimeout = 30 * time.Second
	// DefaultCardTimeout bounds a test transaction that waits for a person
	// to tap a physical test card.
	DefaultCardTimeout = 2 * time.Minute
)

// Fleet is the reader-fleet service. Terminal and Sellers are required;
// Payments is needed by TestTransaction, Presenter by simulated
// presentment. The function fields are injectable for tests; nil means the
// real thing.
type Fleet struct {
	Terminal  pos.Terminal
	Sellers   pos.Sellers
	Payments  pos.Payments
	Presenter pos.Presenter
	Mode      Mode

	// Concurrency bounds the per-seller listings of Inventory and the
	// account searches (0 = DefaultConcurrency).
	Concurrency int
	// PollInterval is the GetReader cadence of TestTransaction
	// (0 = DefaultPollInterval).
	PollInterval time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Sleep waits d or until ctx ends (a timer when nil).
	Sleep func(ctx context.Context, d time.Duration) error
	// NewID returns a fresh random identifier for idempotency keys
	// (16 random hex digits when nil).
	NewID func() string
}

func (f *Fleet) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fleet) sleep(ctx context.Context, d time.Duration) error {
	if f.Sleep != nil {
		return f.Sleep(ctx, d)
	}
	return wait.Sleep(ctx, d)
}

func (f *Fleet) newID() string {
	if f.NewID != nil {
		return f.NewID()
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b[:])
}

func (f *Fleet) concurrency() int {
	if f.Concurrency > 0 {
		return f.Concurrency
	}
	return DefaultConcurrency
}

func (f *Fleet) pollInterval() time.Duration {
	if f.PollInterval > 0 {
		return f.PollInterval
	}
	return DefaultPollInterval
}

// opKey is a fresh key for a one-off reader command.
func (f *Fleet) opKey(op string) string { return "kasse-rdr-" + op + "-" + f.newID() }

// derivedKey hashes parts (NUL-separated, so that ("ab","c") and ("a","bc")
// differ) into prefix + 24 hex digits.
func derivedKey(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + hex.EncodeToString(h[:12])
}

// Validation sentinels; errors.Is(err, ErrRegistrationCode) works on the
// catalogued errors (*i18n.Error) this package returns before any request.
// Their own texts name them in logs; people read the message.
var (
	ErrRegistrationCode = errors.New("invalid registration code")
	ErrLabel            = errors.New("invalid reader label")
	ErrLocation         = errors.New("invalid location")
	ErrWrongAccount     = errors.New("location on another account")
	ErrAddress          = errors.New("invalid address")
	ErrLocationName     = errors.New("invalid location name")
	ErrMetadata         = errors.New("invalid metadata")
	ErrConfirm          = errors.New("confirmation does not match")
	ErrMode             = errors.New("not allowed in this mode")
	ErrReaderID         = errors.New("invalid reader id")
	ErrReaderBusy       = errors.New("reader is busy")
	ErrTestParams       = errors.New("invalid test transaction")
	ErrNotFound         = errors.New("not found on any account")
)

// invalid is a refusal before any request: the sentinel for errors.Is,
// the message for people.
func invalid(sentinel error, msg i18n.Message) error {
	return &i18n.Error{Kind: sentinel, Msg: msg}
}

func checkReaderID(id string) error {
	if strings.TrimSpace(id) == "" {
		return invalid(ErrReaderID, i18n.M("cli.readers.reader_id_empty"))
	}
	if !strings.HasPrefix(id, "tmr_") || strings.ContainsAny(id, "/?#% \t\r\n") {
		return invalid(ErrReaderID, i18n.M("cli.readers.reader_id_bad", i18n.Args{"ID": q(id)}))
	}
	return nil
}
