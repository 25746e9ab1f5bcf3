package supervisor

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"kasse/i18n"
	"log/slog"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PIN is a PIN as typed. Every way of printing, logging or marshalling it
// yields "(PIN)"; Reveal returns the digits, for hashing only.
type PIN string

// Reveal returns the PIN's digits.
func (p PIN) Reveal() string { return string(p) }

// String implements fmt.Stringer without the digits.
func (p PIN) String() string { return "(PIN)" }

// GoString implements fmt.GoStringer without the digits.
func (p PIN) GoString() string { return `supervisor.PIN("(PIN)")` }

// Format prints "(PIN)" for every verb (%v %s %q %x %d …).
func (p PIN) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, p.GoString())
		return
	}
	io.WriteString(f, "(PIN)") // i18n:ok the PIN's redacted form, in logs and errors
}

// MarshalText implements encoding.TextMarshaler without the digits.
func (p PIN) MarshalText() ([]byte, error) { return []byte("(PIN)"), nil }

// LogValue implements slog.LogValuer without the digits.
func (p PIN) LogValue() slog.Value { return slog.StringValue("(PIN)") }

// PIN rules.
const (
	MinPINLength = 4
	MaxPINLength = 12
)

// Sentinels of CheckPIN's errors (errors.Is).
var (
	ErrPINFormat = errors.New("PIN format")
	ErrPINWeak   = errors.New("PIN too easy to guess")
)

// CheckPIN enforces the PIN rules: 4 to 12 digits, not one digit repeated
// (0000) and not a run of consecutive digits up or down (1234, 9876, 7890).
// Its refusals (ErrPINFormat, ErrPINWeak) never contain the PIN.
func CheckPIN(p PIN) error {
	s := p.Reveal()
	if len(s) < MinPINLength || len(s) > MaxPINLength {
		return failure(ErrPINFormat, i18n.MN("cli.supervisor.pin_length", len([]rune(s)), i18n.Args{"Min": MinPINLength, "Max": MaxPINLength}))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return failure(ErrPINFormat, i18n.M("cli.supervisor.pin_digits"))
		}
	}
	same, up, down := true, true, true
	for i := 1; i < len(s); i++ {
		d := (int(s[i]) - int(s[i-1]) + 10) % 10
		same, up, down = same && d == 0, up && d == 1, down && d == 9
	}
	switch {
	case same:
		return failure(ErrPINWeak, i18n.M("cli.supervisor.pin_repeats"))
	case up || down:
		return failure(ErrPINWeak, i18n.M("cli.supervisor.pin_run"))
	}
	return nil
}

// Params are argon2id parameters as a PHC string carries them.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen int // bytes
	KeyLen  int // bytes
}

// DefaultParams are the parameters new PIN hashes get: 64 MiB, 2 passes,
// 2 lanes, a 16-byte random salt and a 32-byte hash. One verification
// takes about 90 ms on two shared cores (measured: t=1 ≈ 45 ms, t=2 ≈
// 90 ms, t=3 ≈ 135 ms at p=2) — slow enough to make every guess costly,
// fast enough not to be noticed at the counter.
//
// A PIN has few combinations (a 6-digit PIN: one million), so the hash
// alone does not stop an attacker who copies the journal file: that takes
// the file being private (mode 0600, see journal.MakePrivate), and the
// lockout stops guessing at the counter.
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds a stored hash's parameters must lie in, so that a damaged or
// planted hash can neither make verification trivial nor exhaust memory.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 16
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// ErrHash is wrapped by every error about a malformed stored hash.
var ErrHash = errors.New("malformed PIN hash")

func hashError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHash, fmt.Sprintf(format, args...))
}

// HashPIN checks p against the rules and hashes it with DefaultParams.
func HashPIN(p PIN) (string, error) {
	if err := CheckPIN(p); err != nil {
		return "", err
	}
	return HashPINWith(p, DefaultParams)
}

// HashPINWith hashes p with params (no rule check) and returns the PHC
// string $argon2id$v=19$m=…,t=…,p=…$salt$hash (unpadded standard base64).
func HashPINWith(p PIN, params Params) (string, error) {
	if err := params.check(); err != nil {
		return "", err
	}
	salt := make([]byte, params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("PIN hash: salt: %w", err) // i18n:ok the system's randomness failed: for the log
	}
	key := argon2.IDKey([]byte(p.Reveal()), salt, params.Time, params.Memory, params.Threads, uint32(params.KeyLen))
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		params.Memory, params.Time, params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPIN reports whether p matches the PHC string encoded, comparing in
// constant time. An error means the stored hash is malformed (ErrHash).
func VerifyPIN(p PIN, encoded string) (bool, error) {
	params, salt, want, err := ParsePHC(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(p.Reveal()), salt, params.Time, params.Memory, params.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ParsePHC parses an argon2id PHC string and checks its parameters'
// bounds. Errors wrap ErrHash and never quote the salt or hash.
func ParsePHC(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return Params{}, nil, nil, hashError("want $argon2id$v=19$m=…,t=…,p=…$salt$hash (%d fields)", len(parts)-1)
	}
	if parts[1] != "argon2id" {
		return Params{}, nil, nil, hashError("algorithm %q, want argon2id", clip(parts[1]))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, hashError("version %q, want v=%d", clip(parts[2]), argon2.Version)
	}
	var params Params
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if !ok || err != nil || seen[k] {
			return Params{}, nil, nil, hashError("parameter %q", clip(kv))
		}
		seen[k] = true
		switch k {
		case "m":
			params.Memory = uint32(n)
		case "t":
			params.Time = uint32(n)
		case "p":
			if n > 255 {
				return Params{}, nil, nil, hashError("parallelism %d", n)
			}
			params.Threads = uint8(n)
		default:
			return Params{}, nil, nil, hashError("unknown parameter %q", clip(k))
		}
	}
	if len(seen) != 3 {
		return Params{}, nil, nil, hashError("parameters m, t and p are all required")
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, hashError("salt is not unpadded base64")
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return Params{}, nil, nil, hashError("hash is not unpadded base64")
	}
	params.SaltLen, params.KeyLen = len(salt), len(key)
	if err := params.check(); err != nil {
		return Params{}, nil, nil, err
	}
	return params, salt, key, nil
}

func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return hashError("time %d out of 1..%d", p.Time, maxTime)
	case p.Threads < 1 || p.Threads > maxThreads:
		return hashError("parallelism %d out of 1..%d", p.Threads, maxThreads)
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return hashError("memory %d KiB out of %d..%d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSalt || p.SaltLen > maxSalt:
		return hashError("salt of %d bytes, want %d..%d", p.SaltLen, minSalt, maxSalt)
	case p.KeyLen < minKey || p.KeyLen > maxKey:
		return hashError("hash of %d bytes, want %d..%d", p.KeyLen, minKey, maxKey)
	}
	return nil
}

// clip shortens a fragment quoted in an error.
func clip(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}
