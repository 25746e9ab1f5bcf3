package readers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"kasse/internal/plural"
	"kasse/pos"
)

// MaxLabelLength is Stripe's limit for a reader label (2023-10-16 spec:
// maxLength 5000).
const MaxLabelLength = 5000

// Simulated registration codes of API 2023-10-16 (test mode only).
const (
	CodeSimulatedWisePOSE = "simulated-wpe"
	CodeSimulatedS700     = "simulated-s700"
)

// PairingHint tells where a physical reader shows its registration code.
const PairingHint = "on the reader, open the admin menu (PIN 07139) and choose \"Generate pairing code\""

// MoveExplanation is shown when someone wants to move a reader. On API
// 2023-10-16 (the version Kasse pins) a reader's location cannot be
// changed: only label and metadata can be updated.
const MoveExplanation = "A reader cannot be moved to another location on API version 2023-10-16: " +
	"only its label and metadata can change. To move it, deregister it, generate a fresh " +
	"registration code on the reader (admin PIN 07139 → Generate pairing code) and register it " +
	"again at the new location (of the same account). Its id changes; its serial number does not."

// newerSimulatedCodes exist on newer API versions only.
var newerSimulatedCodes = map[string]string{
	"simulated-s710":  "simulated Stripe S710",
	"simulated-v660p": "simulated Verifone V660p",
}

// IsSimulatedCode reports whether code registers a simulated reader.
func IsSimulatedCode(code string) bool {
	return code == CodeSimulatedWisePOSE || code == CodeSimulatedS700
}

// NormalizeCode checks a registration code before any request and returns
// it as Stripe wants it. A physical reader's code is three lower-case words
// joined by hyphens ("apple-grape-orange"); upper case and spaces instead
// of hyphens, as people type what they read, are normalised. The simulated
// codes (simulated-wpe, simulated-s700) are accepted in test mode only.
func NormalizeCode(code string, mode Mode) (string, error) {
	c := strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(code, "-", " ")), "-"))
	switch {
	case c == "":
		return "", invalid(ErrRegistrationCode, "the registration code is empty: "+PairingHint)
	case strings.HasPrefix(c, "simulated-"):
		if name, ok := newerSimulatedCodes[c]; ok {
			return "", invalid(ErrRegistrationCode, fmt.Sprintf("%q (%s) exists only on newer API versions; on 2023-10-16 use %s or %s",
				c, name, CodeSimulatedWisePOSE, CodeSimulatedS700))
		}
		if !IsSimulatedCode(c) {
			return "", invalid(ErrRegistrationCode, fmt.Sprintf("%q is not a simulated reader code: use %s (WisePOS E) or %s (S700)",
				c, CodeSimulatedWisePOSE, CodeSimulatedS700))
		}
		if !mode.Test() {
			return "", invalid(ErrMode, fmt.Sprintf("%q registers a simulated reader, which exists in test mode only; this console uses a live key. "+
				"Register a physical reader with the three-word code it shows (%s)", c, PairingHint))
		}
		return c, nil
	}
	words := strings.Split(c, "-")
	if len(words) != 3 {
		return "", invalid(ErrRegistrationCode, fmt.Sprintf("%q is not a registration code: expected the three words the reader shows, joined by hyphens (e.g. apple-grape-orange), got %s",
			strings.TrimSpace(code), plural.Count(len(words), "word")))
	}
	for _, w := range words {
		if len(w) < 2 || len(w) > 20 || strings.TrimFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' }) != "" {
			return "", invalid(ErrRegistrationCode, fmt.Sprintf("%q is not a registration code: each of the three words must be letters only (e.g. apple-grape-orange); %q is not",
				strings.TrimSpace(code), w))
		}
	}
	return c, nil
}

// ValidateLabel checks a reader label: not blank (Stripe would use the
// registration code, which means nothing to a cashier), at most
// MaxLabelLength characters, no control characters. It returns the label
// with surrounding spaces removed.
func ValidateLabel(label string) (string, error) {
	l := strings.TrimSpace(label)
	switch {
	case l == "":
		return "", invalid(ErrLabel, "the reader label is empty: give the reader a name cashiers recognise (e.g. \"Counter 1\")")
	case !utf8.ValidString(l):
		return "", invalid(ErrLabel, "the reader label is not valid UTF-8")
	case utf8.RuneCountInString(l) > MaxLabelLength:
		return "", invalid(ErrLabel, fmt.Sprintf("the reader label has %d characters; Stripe allows at most %d", utf8.RuneCountInString(l), MaxLabelLength))
	case strings.IndexFunc(l, unicode.IsControl) >= 0:
		return "", invalid(ErrLabel, "the reader label contains control characters (tabs, newlines, …)")
	}
	return l, nil
}

// Register registers a reader on owner at locationID. Before any write it
// checks the code (NormalizeCode), the label (ValidateLabel) and that the
// location belongs to owner: a location of another account is refused
// naming both accounts, rather than letting Stripe answer "No such
// terminal.location". Stripe's refusal of the code is reported as "the
// reader did not accept registration code …".
func (f *Fleet) Register(ctx context.Context, owner pos.Account, code, label, locationID string) (pos.Reader, error) {
	code, err := NormalizeCode(code, f.Mode)
	if err != nil {
		return pos.Reader{}, err
	}
	if label, err = ValidateLabel(label); err != nil {
		return pos.Reader{}, err
	}
	if err := f.checkLocationOwner(ctx, owner, locationID); err != nil {
		return pos.Reader{}, err
	}
	key := derivedKey("kasse-reg-", string(owner), code, label, locationID)
	if IsSimulatedCode(code) {
		key = "kasse-reg-sim-" + f.newID() // simulated codes are reusable
	}
	r, err := f.Terminal.RegisterReader(ctx, owner, code, label, locationID, key)
	if err != nil {
		return pos.Reader{}, registerError(err, owner, code, locationID)
	}
	r.Owner = owner
	return r, nil
}

// checkLocationOwner makes sure locationID is one of owner's locations.
func (f *Fleet) checkLocationOwner(ctx context.Context, owner pos.Account, locationID string) error {
	id := strings.TrimSpace(locationID)
	if id == "" {
		return invalid(ErrLocation, "no location given: a smart reader must be registered at a location (tml_…) of "+accountPhrase(owner))
	}
	if id != locationID || !strings.HasPrefix(id, "tml_") {
		return invalid(ErrLocation, fmt.Sprintf("%q is not a location id (expected tml_…)", locationID))
	}
	l, err := f.findLocation(ctx, owner, id)
	if err != nil || l != nil {
		return err
	}
	other, err := f.LocateLocation(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return &OpError{Msg: fmt.Sprintf("location %s does not exist on %s (%s)", id, accountPhrase(owner), err.Error()), Err: err}
		}
		return err
	}
	return invalid(ErrWrongAccount, fmt.Sprintf("location %s is on %s, the reader would be registered on %s: a reader must be registered at a location of its own account. "+
		"Register it on %s, or pick a location of %s",
		id, accountPhrase(other.Owner), accountPhrase(owner), other.Owner.String(), owner.String()))
}

// registerError explains a failed RegisterReader.
func registerError(err error, owner pos.Account, code, locationID string) error {
	var pe *pos.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Kind == pos.KindInvalidRequest && (pe.Param == "registration_code" || strings.Contains(pe.Code, "registration_code")):
			hint := "codes are single-use and expire after a few minutes; " + PairingHint + " and enter the new code"
			if IsSimulatedCode(code) {
				hint = "the simulated code was refused (is the key a test-mode key?)"
			}
			return &OpError{Msg: fmt.Sprintf("the reader did not accept registration code %q: %s%s", code, hint, detail(err)), Err: err}
		case pe.Kind == pos.KindNotFound && pe.Param == "location":
			return &OpError{Msg: fmt.Sprintf("location %s is not on %s (it may have just been deleted)%s", locationID, accountPhrase(owner), detail(err)), Err: err}
		}
	}
	return explain(err, subject{op: "register the reader on " + accountPhrase(owner), owner: owner})
}
