package i18n

import (
	"errors"
	"maps"
	"strings"
	"sync"

	"github.com/bojanz/currency"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"kasse/pos"
)

// Locale is one session's language: its catalog, and the CLDR formats of
// its tag for numbers and money. Make one per session with New or NewFor;
// it never changes afterwards and is safe for concurrent use.
type Locale struct {
	tag   language.Tag // as resolved, with region if any: de, de-AT, en-GB
	lang  language.Tag // the catalog: German or English
	msgs  *goi18n.Localizer
	money currency.Locale
	dec   rune // CLDR decimal separator: ',' for de, '.' for en and de-CH
	group rune // CLDR grouping separator: '.' for de, ',' for en, '’' for de-CH
	// plain memoizes the messages rendered without arguments (labels,
	// headings: most of what a frame shows); the catalogs never change.
	plain sync.Map // id → string
	// moneyCache memoizes formatted amounts (formatMoney): CLDR formatting
	// builds its replacers on every call, and a frame shows the same
	// amounts again and again. Bounded: cleared when it holds maxMoneyCache.
	moneyMu    sync.Mutex
	moneyCache map[moneyKey]string
}

// moneyKey is one formatted amount.
type moneyKey struct {
	amount  int64
	code    string
	display uint8
}

// maxMoneyCache bounds a Locale's money cache (a few hundred KB at most).
const maxMoneyCache = 4096

// New returns the Locale for tag. A language without a catalog gets
// English (see FromEnv); a region is kept for number and money formats.
func New(tag language.Tag) *Locale {
	t, _ := normalize(tag)
	base, _ := t.Base()
	lang, _ := supported(base)
	l := &Locale{
		tag:   t,
		lang:  lang,
		msgs:  goi18n.NewLocalizer(bundle(), lang.String()),
		money: currency.NewLocale(t.String()),
	}
	l.dec, l.group = l.separators()
	return l
}

// NewFor returns the Locale of a session: Resolve(configured, getenv).
func NewFor(configured string, getenv func(string) string) *Locale {
	return New(Resolve(configured, getenv))
}

// Next is the Locale of the next catalog language after this one's (see
// Languages; after the last, the first), without a region: a receipt's
// language switch ("de" ↔ "en").
func (l *Locale) Next() *Locale {
	langs := Languages()
	for i, t := range langs {
		if t == l.lang {
			return New(langs[(i+1)%len(langs)])
		}
	}
	return New(English)
}

// englishLocale renders errors whose reader is unknown (Error.Error).
var englishLocale = sync.OnceValue(func() *Locale { return New(English) })

// Neutral is the Locale of language-neutral output, shared and read-only:
// English, the source language. Error texts for logs (Error.Error), the
// messages --json prints and the audit trail's notes are rendered in it,
// so that they never change with the reader's language.
func Neutral() *Locale { return englishLocale() }

// Tag is the locale's language tag, with its region if one was given
// ("de", "de-AT", "en-GB").
func (l *Locale) Tag() language.Tag { return l.tag }

// Language is the catalog's language: German or English.
func (l *Locale) Language() language.Tag { return l.lang }

// Args are a message's placeholders by name. A value of type Money or
// Time is formatted in the locale, a Message rendered in it and an error
// passed through Err; anything else is printed as by fmt's %v.
type Args map[string]any

// Message is a catalogued message and its arguments, rendered later by
// whichever Locale shows it (see Render).
type Message struct {
	ID     string
	Args   Args
	Count  int  // the plural count (N, MN), also the {{.Count}} placeholder
	Plural bool // the message has CLDR plural forms chosen by Count
}

// M makes a Message; several Args are merged, later ones winning.
func M(id string, args ...Args) Message { return Message{ID: id, Args: merge(args)} }

// MN makes a plural Message chosen by count.
func MN(id string, count int, args ...Args) Message {
	return Message{ID: id, Args: merge(args), Count: count, Plural: true}
}

func merge(args []Args) Args {
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	m := Args{}
	for _, a := range args {
		maps.Copy(m, a)
	}
	return m
}

// T renders message id in the locale's language.
func (l *Locale) T(id string, args ...Args) string { return l.Render(M(id, args...)) }

// N renders the plural message id for count ("3 readers").
func (l *Locale) N(id string, count int, args ...Args) string {
	return l.Render(MN(id, count, args...))
}

// Render renders m. A key missing from the catalog, or a placeholder the
// message uses but m does not give, renders as "[key]": visible, and
// caught by the catalog tests before it ships.
func (l *Locale) Render(m Message) string {
	memo := len(m.Args) == 0 && !m.Plural
	if memo {
		if s, ok := l.plain.Load(m.ID); ok {
			return s.(string)
		}
	}
	s, err := l.render(m)
	if err != nil && s == "" {
		return "[" + m.ID + "]"
	}
	if memo && err == nil {
		l.plain.Store(m.ID, s)
	}
	return s
}

// render is Render with the lookup's error (a missing key, a missing
// placeholder, a key found only in the English catalog).
func (l *Locale) render(m Message) (string, error) {
	data := make(map[string]any, len(m.Args)+1)
	for k, v := range m.Args {
		data[k] = l.value(v)
	}
	cfg := &goi18n.LocalizeConfig{MessageID: m.ID, TemplateData: data, TemplateParser: strictParser}
	if m.Plural {
		data["Count"] = m.Count
		cfg.PluralCount = m.Count
	}
	return l.msgs.Localize(cfg)
}

func (l *Locale) value(v any) any {
	switch v := v.(type) {
	case Money:
		return l.Money(v.Amount, v.Currency)
	case Time:
		return l.FormatTime(v.Time, v.Layout)
	case Message:
		return l.Render(v)
	case error:
		return l.Err(v)
	}
	return v
}

// Localizer is an error that renders itself in a Locale's language (a
// *Error, or a package's own error type whose text is built from
// catalogued messages: readers.OpError, config.Error, …). Its Error method
// is the English text, for logs.
type Localizer interface {
	error
	Localize(l *Locale) string
}

// Err renders err for a person in the locale's language: the first
// Localizer in its chain (a catalogued *Error, say) in its own words; the
// errors of an errors.Join one by one, a line each; a port's *pos.Error
// with its kind in the locale's words and Stripe's message as Stripe sent
// it; any other error as its Error text (the standard library's: English).
func (l *Locale) Err(err error) string {
	if err == nil {
		return ""
	}
	if lz, ok := err.(Localizer); ok {
		return lz.Localize(l)
	}
	if parts, ok := joined(err); ok {
		lines := make([]string, len(parts))
		for i, p := range parts {
			lines[i] = l.Err(p)
		}
		return strings.Join(lines, "\n")
	}
	var lz Localizer
	if errors.As(err, &lz) {
		return lz.Localize(l)
	}
	if pe, ok := err.(*pos.Error); ok {
		return l.portError(pe)
	}
	return err.Error()
}

// portError renders a port's error as pos.Error.Error does, its kind in
// the locale's words; Stripe's code and message stay as Stripe sent them.
func (l *Locale) portError(e *pos.Error) string {
	var kind string
	switch e.Kind {
	case pos.KindDeclined:
		kind = l.T("pos.kind.declined")
	case pos.KindReaderBusy:
		kind = l.T("pos.kind.reader_busy")
	case pos.KindReaderOffline:
		kind = l.T("pos.kind.reader_offline")
	case pos.KindReaderTimeout:
		kind = l.T("pos.kind.reader_timeout")
	case pos.KindInvalidRequest:
		kind = l.T("pos.kind.invalid_request")
	case pos.KindInvalidState:
		kind = l.T("pos.kind.invalid_state")
	case pos.KindNotFound:
		kind = l.T("pos.kind.not_found")
	case pos.KindAuth:
		kind = l.T("pos.kind.auth")
		if e.Code == "account_invalid" { // the key is fine; the account is not one of the platform's
			kind = l.T("pos.kind.account_invalid")
		}
	case pos.KindRateLimited:
		kind = l.T("pos.kind.rate_limited")
	case pos.KindIdempotency:
		kind = l.T("pos.kind.idempotency")
	default:
		kind = l.T("pos.kind.unknown")
	}
	if e.Code != "" {
		kind += " (" + e.Code + ")"
	}
	if e.Message != "" {
		kind += ": " + e.Message
	}
	return kind
}

// joined returns the errors of an errors.Join (its text is theirs, a line
// each), and false for any other error, a fmt.Errorf with several %w
// included (its text is its own).
func joined(err error) ([]error, bool) {
	u, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil, false
	}
	var parts []error
	var texts []string
	for _, p := range u.Unwrap() {
		if p != nil {
			parts = append(parts, p)
			texts = append(texts, p.Error())
		}
	}
	return parts, len(parts) > 0 && err.Error() == strings.Join(texts, "\n")
}

// Error is a failure whose text is a catalogued Message, so that each
// session shows it in its own language (Locale.Err). Kind is the sentinel
// it stands for (pos.ErrAmountSyntax, …): errors.Is sees it.
type Error struct {
	Kind error
	Msg  Message
}

// Error is the English text, for logs and callers without a Locale.
func (e *Error) Error() string { return englishLocale().Render(e.Msg) }

// Localize renders the message in l's language.
func (e *Error) Localize(l *Locale) string { return l.Render(e.Msg) }

// Unwrap returns Kind.
func (e *Error) Unwrap() error { return e.Kind }
