package readers

import (
	"errors"

	"kasse/i18n"
	"kasse/pos"
)

// OpError is a port failure with a message written for the field tech, in
// whichever language shows it (an i18n.Localizer; Error is English). It
// wraps the port's error, so pos.KindOf and errors.As(*pos.Error) still
// work on it.
type OpError struct {
	Msg i18n.Message // what happened and what to do, for humans
	Err error        // the port's error (usually a *pos.Error)
	// Quote: Stripe's own message and the request id follow Msg (detail).
	Quote bool
}

func (e *OpError) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the message in loc's words; Stripe's own message, when
// quoted, stays as Stripe wrote it.
func (e *OpError) Localize(loc *i18n.Locale) string {
	s := loc.Render(e.Msg)
	if e.Quote {
		s += detail(loc, e.Err)
	}
	return s
}

// Unwrap returns the port's error.
func (e *OpError) Unwrap() error { return e.Err }

// subject names what a request was about, for messages.
type subject struct {
	op       i18n.Message // "register the reader", "read reader tmr_1", …
	owner    pos.Account  // the account the request ran in
	readerID string       // "" when not about a reader
}

// explain turns a port error into an OpError whose message starts with what
// failed and then explains the kind. Errors that are already OpErrors or
// local validation errors (catalogued *i18n.Error) pass through.
func explain(err error, s subject) error {
	if err == nil {
		return nil
	}
	var oe *OpError
	var ve *i18n.Error
	if errors.As(err, &oe) || errors.As(err, &ve) {
		return err
	}
	a := i18n.Args{"Reader": i18n.M("cli.readers.the_reader"), "Account": accountPhrase(s.owner)}
	if s.readerID != "" {
		a["Reader"] = i18n.M("cli.readers.reader", i18n.Args{"ID": s.readerID})
	}
	var why i18n.Message
	switch pos.KindOf(err) {
	case pos.KindReaderBusy:
		why = i18n.M("cli.readers.why.busy", a)
	case pos.KindReaderOffline:
		why = i18n.M("cli.readers.why.offline", a)
	case pos.KindReaderTimeout:
		why = i18n.M("cli.readers.why.timeout", a)
	case pos.KindNotFound:
		why = i18n.M("cli.readers.why.not_found", a)
	case pos.KindAuth:
		why = i18n.M("cli.readers.why.auth", a)
	case pos.KindRateLimited:
		why = i18n.M("cli.readers.why.rate_limited")
	case pos.KindIdempotency:
		why = i18n.M("cli.readers.why.idempotency")
	case pos.KindInvalidState:
		why = i18n.M("cli.readers.why.invalid_state")
	case pos.KindDeclined:
		why = i18n.M("cli.readers.why.declined")
	case pos.KindInvalidRequest:
		why = i18n.M("cli.readers.why.invalid_request")
	default:
		why = i18n.M("cli.readers.why.unknown")
	}
	return &OpError{Msg: i18n.M("cli.readers.could_not", i18n.Args{"Op": s.op, "Why": why}), Err: err, Quote: true}
}

// detail renders the port error's own message (Stripe's words) and request
// id, if any; another error in parentheses.
func detail(loc *i18n.Locale, err error) string {
	var pe *pos.Error
	if !errors.As(err, &pe) {
		return " (" + loc.Err(err) + ")"
	}
	s := ""
	if pe.Message != "" {
		s = " " + loc.T("cli.readers.stripe_said", i18n.Args{"Message": pe.Message})
	}
	if pe.RequestID != "" {
		s += " " + loc.T("cli.readers.request", i18n.Args{"ID": pe.RequestID})
	}
	return s
}

// accountPhrase is "the platform account" or "account acct_…".
func accountPhrase(a pos.Account) i18n.Message {
	if a.IsPlatform() {
		return i18n.M("cli.readers.platform_account")
	}
	return i18n.M("cli.readers.account", i18n.Args{"ID": string(a)})
}
