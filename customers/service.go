// Package customers is the counter's customers: finding and creating them
// (a seller's own, or the platform's wallet), their saved cards, what a
// sale for one of them needs (ForSale: the seller's copy of a wallet
// customer and the seller's copy of a wallet card, looked up before the
// cashier presses Enter), saving a card on a reader without a payment,
// removing a saved card, and `kasse customers`. Every mutating request is
// recorded in the journal before it is sent (customer_ops, through
// checkout.Once), and a request a crash left unanswered is sent again
// under its key.
//
// Kasse uses PaymentMethods only. Stripe deprecated the Sources API and
// calls card tokens legacy: a saved card is a PaymentMethod the reader
// generated (generated_card) and attached to a customer.
package customers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/internal/wait"
	"kasse/journal"
	"kasse/pos"
)

// Store is the journal's part the service uses (*journal.Journal).
type Store interface {
	RecordCustomerOp(ctx context.Context, op journal.CustomerOp) error
	FinishCustomerOp(ctx context.Context, key, result, errText string) error
	OpenCustomerOp(ctx context.Context, op, account, request string) (journal.CustomerOp, bool, error)
	CustomerSales(ctx context.Context, ids []string, limit int) ([]journal.SaleRecord, error)
}

// Service is the customers' service. Set the fields before first use.
type Service struct {
	Customers pos.Customers
	Terminal  pos.Terminal  // saving a card on a reader: read and clear the reader
	Presenter pos.Presenter // simulated card presentment (sandbox, test keys); nil in live mode
	Journal   Store         // required for anything that sends

	ConsoleID string
	Now       func() time.Time
	Sleep     func(ctx context.Context, d time.Duration) error
	NewKey    func() string // a fresh random token for idempotency keys
	Log       *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	return wait.Sleep(ctx, d)
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) token() string {
	if s.NewKey != nil {
		return s.NewKey()
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Errors of bad input, each with its own message (the console words them
// by sentinel; kasse customers and kasse charge print the message).
var (
	ErrNoName         = errors.New("a customer needs a name")
	ErrBadEmail       = errors.New("not an email address")
	ErrNotFound       = errors.New("no such customer")
	ErrCardNotFound   = errors.New("no such saved card")
	ErrCardPresent    = errors.New("a card read on a reader cannot be charged without the reader")
	ErrCardExpired    = errors.New("the saved card has expired")
	ErrNotTheirs      = errors.New("the saved card belongs to another customer")
	ErrNoEmail        = errors.New("the customer has no email address for the receipt")
	ErrSellerReader   = errors.New("a seller's own reader saves cards for that seller's customers only")
	ErrNotSent        = errors.New("not sent: the request could not be recorded in the journal")
	ErrCustomerGone   = errors.New("the customer was deleted")
	ErrWalletReadOnly = errors.New("the seller's copy of a wallet customer is kept by Kasse")
)

// BadInput is a refusal of what was asked, before anything was sent: its
// Err is one of the sentinels above, Detail says which customer, card or
// value and how (a message; empty for none).
type BadInput struct {
	Err    error
	Detail i18n.Message
}

// Error is the refusal in English: the sentinel's text, then the detail.
func (e *BadInput) Error() string { return e.Localize(i18n.Neutral()) }

// Localize renders the refusal in loc's words (the commands'; the console
// words its own, customers.bad.*).
func (e *BadInput) Localize(loc *i18n.Locale) string {
	problem := loc.Render(problemMessage(e.Err))
	if e.Detail.ID == "" {
		return problem
	}
	return loc.T("cli.customers.bad.with_detail", i18n.Args{"Problem": problem, "Detail": e.Detail})
}

func (e *BadInput) Unwrap() error { return e.Err }

// problemMessage words a sentinel of bad input.
func problemMessage(err error) i18n.Message {
	switch {
	case errors.Is(err, ErrNoName):
		return i18n.M("cli.customers.bad.no_name")
	case errors.Is(err, ErrBadEmail):
		return i18n.M("cli.customers.bad.email")
	case errors.Is(err, ErrNotFound):
		return i18n.M("cli.customers.bad.not_found")
	case errors.Is(err, ErrCardNotFound):
		return i18n.M("cli.customers.bad.card_not_found")
	case errors.Is(err, ErrCardPresent):
		return i18n.M("cli.customers.bad.card_present")
	case errors.Is(err, ErrCardExpired):
		return i18n.M("cli.customers.bad.card_expired")
	case errors.Is(err, ErrNotTheirs):
		return i18n.M("cli.customers.bad.not_theirs")
	case errors.Is(err, ErrNoEmail):
		return i18n.M("cli.customers.bad.no_email")
	case errors.Is(err, ErrSellerReader):
		return i18n.M("cli.customers.bad.seller_reader")
	case errors.Is(err, ErrCustomerGone):
		return i18n.M("cli.customers.bad.deleted")
	case errors.Is(err, ErrWalletReadOnly):
		return i18n.M("cli.customers.bad.wallet_read_only")
	case errors.Is(err, ErrNoConsent):
		return i18n.M("cli.customers.bad.no_consent")
	}
	return i18n.M("pos.notice", i18n.Args{"Notice": err.Error()})
}

func bad(err error, detail i18n.Message) *BadInput { return &BadInput{Err: err, Detail: detail} }

// Value is a BadInput's detail that is a value and nothing more: an id, a
// name, what was typed.
func Value(v string) i18n.Message { return i18n.M("cli.customers.bad.value", i18n.Args{"Value": v}) }

// notSent is ErrNotSent in words: the request could not be recorded in the
// journal (why: err, or no journal at all), so it was not sent.
func notSent(err error) error {
	if err == nil {
		return &i18n.Error{Kind: ErrNotSent, Msg: i18n.M("cli.customers.not_sent_no_journal")}
	}
	return &i18n.Error{Kind: ErrNotSent, Msg: i18n.M("cli.customers.not_sent", i18n.Args{"Error": err})}
}

// CheckEmail reports whether e is a plain email address (as Stripe checks
// one: name@domain.tld).
func CheckEmail(e string) error {
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return bad(ErrBadEmail, Value(strconv.Quote(e)))
	}
	return nil
}

// searchWindow is how many of an account's most recent customers a name
// search looks through: Stripe's customer list filters by email only, and
// its Search API (which could match names) is eventually consistent and a
// second rate limit, so Kasse reads the newest customers and matches their
// names itself (decision).
const searchWindow = 100

// Search finds owner's customers: by email exactly (Stripe's filter), and
// by name or email words among the newest customers.
func (s *Service) Search(ctx context.Context, owner pos.Account, q string) ([]pos.Customer, error) {
	q = strings.TrimSpace(q)
	var out []pos.Customer
	seen := map[string]bool{}
	if strings.Contains(q, "@") {
		exact, err := s.Customers.ListCustomers(ctx, owner, pos.CustomerFilter{Email: q, Limit: searchWindow})
		if err != nil {
			return nil, err
		}
		for _, c := range exact {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	recent, err := s.Customers.ListCustomers(ctx, owner, pos.CustomerFilter{Limit: searchWindow})
	if err != nil {
		return nil, err
	}
	for _, c := range recent {
		if !seen[c.ID] && c.Matches(q) {
			out = append(out, c)
		}
	}
	return out, nil
}

// NewCustomer is a customer to create.
type NewCustomer struct {
	Owner pos.Account // Platform: the wallet
	Name  string
	Email string
	Phone string
}

// Create creates a customer (the name is required, the email checked),
// recorded before it is sent. A create a crash left unanswered is sent
// again under its key, so the customer is made once.
func (s *Service) Create(ctx context.Context, n NewCustomer) (pos.Customer, error) {
	n.Name, n.Email, n.Phone = strings.TrimSpace(n.Name), strings.TrimSpace(n.Email), strings.TrimSpace(n.Phone)
	if n.Name == "" {
		return pos.Customer{}, &BadInput{Err: ErrNoName}
	}
	if n.Email != "" {
		if err := CheckEmail(n.Email); err != nil {
			return pos.Customer{}, err
		}
	}
	req := pos.CustomerRequest{Name: n.Name, Email: n.Email, Phone: n.Phone}
	var out pos.Customer
	err := s.send(ctx, "create_customer", n.Owner, n.Name+"\x00"+n.Email+"\x00"+n.Phone, func(key string) (string, error) {
		c, err := s.Customers.CreateCustomer(ctx, n.Owner, req, key)
		out = c
		return c.ID, err
	})
	return out, err
}

// send sends request op in account once (checkout.Once: recorded in the
// journal before it is sent, the key of the same request a crash left
// unanswered reused, the answer recorded); a request it could not record
// is not sent (ErrNotSent).
func (s *Service) send(ctx context.Context, op string, account pos.Account, request string, do func(key string) (string, error)) error {
	once := checkout.Once{
		NewKey: func() string { return s.ConsoleID + "-" + strings.ReplaceAll(op, "_", "-") + "-" + s.token() },
		Log:    s.log(),
	}
	if s.Journal != nil {
		once.Store = opStore{s.Journal}
	}
	err := once.Send(ctx, checkout.OneOff{Op: op, Account: account, Request: request}, do)
	if nr := (*checkout.NotRecorded)(nil); errors.As(err, &nr) {
		return notSent(nr.Err)
	}
	return err
}

// opStore is the journal's customer_ops as checkout's OpStore.
type opStore struct{ j Store }

func (o opStore) Open(ctx context.Context, op checkout.OneOff) (string, bool, error) {
	open, found, err := o.j.OpenCustomerOp(ctx, op.Op, string(op.Account), op.Request)
	return open.Key, found, err
}

func (o opStore) Record(ctx context.Context, op checkout.OneOff, key string) error {
	return o.j.RecordCustomerOp(ctx, journal.CustomerOp{Key: key, Op: op.Op, Account: string(op.Account), Request: op.Request})
}

func (o opStore) Finish(ctx context.Context, key, result, errText string) error {
	return o.j.FinishCustomerOp(ctx, key, result, errText)
}

// Removed is what Remove detached: the card, and its clones at the
// sellers (Clones, each on its seller's account).
type Removed struct {
	Card   pos.SavedCard
	Clones []pos.SavedCard
}

// Remove detaches saved card cardID from customer c (a supervisor's
// decision: the caller checks the PIN); it can no longer pay anywhere.
//
// A wallet card shared with sellers lives on as their clones: at Stripe a
// clone is a PaymentMethod of its own on the connected account, attached to
// the seller's copy of the customer, and detaching the platform's card
// leaves it chargeable there. So the clones go first — at every seller
// whose copy c's metadata names (MetaCopyPrefix; every sale there names
// it), the copy's cards that were cloned from cardID (MetaSharedFrom) —
// and the wallet card last: a removal that fails half-way leaves the
// wallet card listed, and removing it again finishes the job (the clones
// already detached are no longer listed). A copy deleted since counts as
// none. Each detach is recorded before it is sent, like every change.
func (s *Service) Remove(ctx context.Context, c pos.Customer, cardID string) (Removed, error) {
	var out Removed
	if c.Wallet() {
		for _, k := range sortedKeys(c.Metadata) {
			seller, ok := strings.CutPrefix(k, pos.MetaCopyPrefix)
			if !ok || seller == "" {
				continue
			}
			clones, err := s.Customers.ListCards(ctx, pos.Account(seller), c.Metadata[k])
			switch {
			case pos.IsKind(err, pos.KindNotFound):
				continue
			case err != nil:
				return out, err
			}
			for _, clone := range clones {
				if clone.SharedFrom != cardID {
					continue
				}
				done, err := s.detach(ctx, clone.Account, clone.ID)
				if err != nil {
					return out, err
				}
				out.Clones = append(out.Clones, done)
			}
		}
	}
	card, err := s.detach(ctx, c.Account, cardID)
	out.Card = card
	return out, err
}

// detach detaches one card, recorded before it is sent.
func (s *Service) detach(ctx context.Context, owner pos.Account, cardID string) (pos.SavedCard, error) {
	var out pos.SavedCard
	err := s.send(ctx, "detach_card", owner, cardID, func(key string) (string, error) {
		c, err := s.Customers.DetachCard(ctx, owner, cardID, key)
		out = c
		return c.ID, err
	})
	return out, err
}

// sortedKeys are m's keys in order (the clones are detached in a
// repeatable order).
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Sales are the journal's sales for the customer and its copies, newest
// first.
func (s *Service) Sales(ctx context.Context, ids []string, limit int) ([]journal.SaleRecord, error) {
	if s.Journal == nil {
		return nil, nil
	}
	return s.Journal.CustomerSales(ctx, ids, limit)
}

// Cards lists the customer's saved cards (owner: the customer's account).
func (s *Service) Cards(ctx context.Context, owner pos.Account, customerID string) ([]pos.SavedCard, error) {
	return s.Customers.ListCards(ctx, owner, customerID)
}

// RecentSales are the sales of the customers ids (a customer and its
// copies) in this console's journal, newest first.
func (s *Service) RecentSales(ctx context.Context, ids []string, limit int) ([]pos.Sale, error) {
	recs, err := s.Sales(ctx, ids, limit)
	out := make([]pos.Sale, len(recs))
	for i, r := range recs {
		out[i] = r.Sale
	}
	return out, err
}
