package readers

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"kasse/i18n"
	"kasse/pos"
)

// q quotes a value as the messages show it (Go syntax, as typed).
func q(s string) string { return strconv.Quote(s) }

// ownerArg is an account as a command line names it: "platform" or its
// id (pos.Account.String), the same in every language.
func ownerArg(a pos.Account) string { return a.String() }

// MaxLabelLength is Stripe's limit for a reader label (2023-10-16 spec:
// maxLength 5000).
const MaxLabelLength = 5000

// Simulated registration codes of API 2023-10-16 (test mode only).
const (
	CodeSimulatedWisePOSE = "simulated-wpe"
	CodeSimulatedS700     = "simulated-s700"
)

// PairingHint tells where a physical reader shows its registration code.
var PairingHint = i18n.M("cli.readers.pairing_hint")

// MoveExplanation is shown when someone wants to move a reader. On API
// 2023-10-16 (the version Kasse pins) a reader's location cannot be
// changed: only label and metadata can be updated.
var MoveExplanation = i18n.M("cli.readers.move_explanation")

// newerSimulatedCodes exist on newer API versions only: the device each
// simulates.
var newerSimulatedCodes = map[string]string{
	"simulated-s710":  "Stripe S710",    // i18n:ok a product name
	"simulated-v660p": "Verifone V660p", // i18n:ok a product name
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
	sims := i18n.Args{"Code": q(c), "WPE": CodeSimulatedWisePOSE, "S700": CodeSimulatedS700, "Hint": PairingHint}
	switch {
	case c == "":
		return "", invalid(ErrRegistrationCode, i18n.M("cli.readers.code_empty", sims))
	case strings.HasPrefix(c, "simulated-"):
		if name, ok := newerSimulatedCodes[c]; ok {
			sims["Device"] = name
			return "", invalid(ErrRegistrationCode, i18n.M("cli.readers.code_newer", sims))
		}
		if !IsSimulatedCode(c) {
			return "", invalid(ErrRegistrationCode, i18n.M("cli.readers.code_not_simulated", sims))
		}
		if !mode.Test() {
			return "", invalid(ErrMode, i18n.M("cli.readers.code_simulated_live", sims))
		}
		return c, nil
	}
	words := strings.Split(c, "-")
	if len(words) != 3 {
		return "", invalid(ErrRegistrationCode, i18n.MN("cli.readers.code_words", len(words), i18n.Args{"Code": q(strings.TrimSpace(code))}))
	}
	for _, w := range words {
		if len(w) < 2 || len(w) > 20 || strings.TrimFunc(w, func(r rune) bool { return r >= 'a' && r <= 'z' }) != "" {
			return "", invalid(ErrRegistrationCode, i18n.M("cli.readers.code_letters", i18n.Args{"Code": q(strings.TrimSpace(code)), "Word": q(w)}))
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
		return "", invalid(ErrLabel, i18n.M("cli.readers.label_empty"))
	case !utf8.ValidString(l):
		return "", invalid(ErrLabel, i18n.M("cli.readers.label_utf8"))
	case utf8.RuneCountInString(l) > MaxLabelLength:
		return "", invalid(ErrLabel, i18n.M("cli.readers.label_long", i18n.Args{"Length": utf8.RuneCountInString(l), "Max": MaxLabelLength}))
	case strings.IndexFunc(l, unicode.IsControl) >= 0:
		return "", invalid(ErrLabel, i18n.M("cli.readers.label_control"))
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
		return invalid(ErrLocation, i18n.M("cli.readers.location_none", i18n.Args{"Account": accountPhrase(owner)}))
	}
	if id != locationID || !strings.HasPrefix(id, "tml_") {
		return invalid(ErrLocation, i18n.M("cli.readers.location_id_bad", i18n.Args{"ID": q(locationID)}))
	}
	l, err := f.findLocation(ctx, owner, id)
	if err != nil || l != nil {
		return err
	}
	other, err := f.LocateLocation(ctx, id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return &OpError{Msg: i18n.M("cli.readers.location_missing", i18n.Args{"ID": id, "Account": accountPhrase(owner), "Error": err}), Err: err}
		}
		return err
	}
	return invalid(ErrWrongAccount, i18n.M("cli.readers.location_other_account", i18n.Args{"ID": id, "Its": accountPhrase(other.Owner),
		"Reader": accountPhrase(owner), "ItsOwner": ownerArg(other.Owner), "ReaderOwner": ownerArg(owner)}))
}

// registerError explains a failed RegisterReader.
func registerError(err error, owner pos.Account, code, locationID string) error {
	var pe *pos.Error
	if errors.As(err, &pe) {
		switch {
		case pe.Kind == pos.KindInvalidRequest && (pe.Param == "registration_code" || strings.Contains(pe.Code, "registration_code")):
			hint := i18n.M("cli.readers.code_refused_hint", i18n.Args{"Hint": PairingHint})
			if IsSimulatedCode(code) {
				hint = i18n.M("cli.readers.code_refused_simulated")
			}
			return &OpError{Msg: i18n.M("cli.readers.code_refused", i18n.Args{"Code": q(code), "Hint": hint}), Err: err, Quote: true}
		case pe.Kind == pos.KindNotFound && pe.Param == "location":
			return &OpError{Msg: i18n.M("cli.readers.location_gone", i18n.Args{"ID": locationID, "Account": accountPhrase(owner)}), Err: err, Quote: true}
		}
	}
	return explain(err, subject{op: i18n.M("cli.readers.op.register", i18n.Args{"Account": accountPhrase(owner)}), owner: owner})
}
