package supervisor

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"kasse/i18n"
	"kasse/journal"
	"kasse/pos"
)

// The disputes desk: a supervisor sees the disputes across sellers (from
// Stripe, linked to this journal's sales), stages evidence Kasse fills in
// from what it knows of the sale, submits it, or accepts the dispute. The
// console's Disputes area and `kasse disputes` share these methods; every
// change needs a supervisor's PIN and is audited, its idempotency key in
// the audit log before the request is sent.

// ErrNoDesk: the Service was built without Disputes and Sellers.
var ErrNoDesk = errors.New("the disputes desk needs Stripe access (Deps.Disputes and Deps.Sellers)")

// PlatformName is the seller name of the platform's own disputes (those
// of destination and separate charges made for a seller the journal does
// not know): a name, the same in every language, as Stripe's account
// names are.
const PlatformName = "platform"

// sellerLabel names a seller whose disputes could not be read.
func sellerLabel(sl pos.Seller) any {
	if sl.ID.IsPlatform() {
		return i18n.M("cli.supervisor.disputes.the_platform")
	}
	return i18n.SellerLabel(sl)
}

// accountLabel names the account a dispute is read on.
func accountLabel(a pos.Account) any {
	if a.IsPlatform() {
		return i18n.M("cli.supervisor.disputes.the_platform")
	}
	return string(a)
}

// DisputeRow is one dispute on the desk.
type DisputeRow struct {
	Dispute    pos.Dispute
	SellerName string
	// Sale is this journal's sale of the disputed payment (nil: the
	// payment was not made at this console).
	Sale *pos.Sale
}

// DisputeQuery narrows Disputes.
type DisputeQuery struct {
	Seller   pos.Account // "" = every seller
	OpenOnly bool        // only those waiting for an answer
	Limit    int         // per seller; 0 = 100
}

// DisputeList is what Disputes found.
type DisputeList struct {
	Rows []DisputeRow // open ones first, then by evidence due date, then newest
	// Partial names the sellers whose disputes could not be read.
	Partial []error
}

// Disputes lists the disputes of one seller or of all, reading each
// seller's from Stripe (concurrently) and remembering them in the journal.
func (s *Service) Disputes(ctx context.Context, q DisputeQuery) (DisputeList, error) {
	if s.disputes == nil || s.sellers == nil {
		return DisputeList{}, ErrNoDesk
	}
	sellers, err := s.sellers.ListSellers(ctx)
	if err != nil {
		return DisputeList{}, failure(err, i18n.M("cli.supervisor.disputes.sellers_error", i18n.Args{"Error": err}))
	}
	names := map[pos.Account]string{}
	var which []pos.Seller
	for _, sl := range sellers {
		names[sl.ID] = sl.DisplayName
		if q.Seller == "" || sl.ID == q.Seller {
			which = append(which, sl)
		}
	}
	if q.Seller != "" && len(which) == 0 {
		return DisputeList{}, input(i18n.M("cli.supervisor.disputes.unknown_seller", i18n.Args{"Seller": string(q.Seller)}))
	}
	// Destination and separate charges are the platform's: their disputes
	// are on the platform account too (stripe-api.md §11), read once for
	// every seller charged that way.
	if q.Seller == "" && anyOnPlatform(sellers) {
		which = append(which, pos.Seller{ID: pos.Platform, DisplayName: PlatformName}) // i18n:ok PlatformName
	}
	var (
		mu   sync.Mutex
		list DisputeList
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 4)
	)
	for _, sl := range which {
		wg.Add(1)
		go func(sl pos.Seller) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ds, err := s.disputes.ListDisputes(ctx, sl.ID, pos.DisputeFilter{Limit: q.Limit})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				list.Partial = append(list.Partial, failure(err, i18n.M("cli.supervisor.disputes.seller_error", i18n.Args{"Seller": sellerLabel(sl), "Error": err})))
				return
			}
			for _, d := range ds {
				if !q.OpenOnly || d.Open() {
					row := DisputeRow{Dispute: d, SellerName: sl.DisplayName}
					if sl.ID == pos.Platform {
						row.SellerName = "" // named by whoever shows it, in its language (or by its sale's seller below)
					}
					list.Rows = append(list.Rows, row)
				}
			}
		}(sl)
	}
	wg.Wait()
	for i := range list.Rows {
		r := &list.Rows[i]
		if err := s.link(ctx, r); err != nil {
			return list, err
		}
		if r.Dispute.Account == pos.Platform && r.Sale != nil && names[r.Sale.Seller] != "" {
			r.SellerName = names[r.Sale.Seller] // the seller the platform's payment was made for
		}
	}
	sort.SliceStable(list.Rows, func(i, j int) bool { return deskOrder(list.Rows[i].Dispute, list.Rows[j].Dispute) })
	return list, nil
}

// anyOnPlatform reports whether a seller is charged on the platform
// (destination or separate charges).
func anyOnPlatform(sellers []pos.Seller) bool {
	for _, sl := range sellers {
		if sl.Charges.Type.OnPlatform() {
			return true
		}
	}
	return false
}

// deskOrder: open first (soonest due first), then the newest.
func deskOrder(a, b pos.Dispute) bool {
	if a.Open() != b.Open() {
		return a.Open()
	}
	if a.Open() && !a.DueBy.Equal(b.DueBy) {
		return !a.DueBy.IsZero() && (b.DueBy.IsZero() || a.DueBy.Before(b.DueBy))
	}
	return a.Created.After(b.Created)
}

// link finds the row's sale in the journal and keeps the dispute there
// (the refund check and the notices read it).
func (s *Service) link(ctx context.Context, r *DisputeRow) error {
	rec, err := s.journalSale(ctx, r.Dispute.Account, r.Dispute.IntentID)
	if err != nil {
		return err
	}
	saleID := ""
	if rec != nil && r.Dispute.IntentID != "" {
		sale := rec.Sale
		r.Sale, saleID = &sale, sale.ID
	}
	if _, err := s.Journal.SaveDispute(ctx, r.Dispute, saleID); err != nil {
		return err
	}
	return nil
}

// Dispute reads one dispute (seller "" = the seller the journal knows it
// on).
func (s *Service) Dispute(ctx context.Context, seller pos.Account, id string) (DisputeRow, error) {
	if s.disputes == nil || s.sellers == nil {
		return DisputeRow{}, ErrNoDesk
	}
	seller, err := s.disputeSeller(ctx, seller, id)
	if err != nil {
		return DisputeRow{}, err
	}
	d, err := s.disputes.GetDispute(ctx, seller, id)
	if err != nil {
		return DisputeRow{}, failure(err, i18n.M("cli.supervisor.disputes.read_error", i18n.Args{"ID": id, "Seller": accountLabel(seller), "Error": err}))
	}
	row := DisputeRow{Dispute: d}
	if sl, err := s.sellers.GetSeller(ctx, seller); err == nil {
		row.SellerName = sl.DisplayName
	}
	return row, s.link(ctx, &row)
}

// disputeSeller is seller, or the seller the journal knows dispute id on.
func (s *Service) disputeSeller(ctx context.Context, seller pos.Account, id string) (pos.Account, error) {
	if !strings.HasPrefix(id, "dp_") && !strings.HasPrefix(id, "du_") {
		return "", input(i18n.M("cli.supervisor.disputes.bad_id", i18n.Args{"Value": strconv.Quote(id)}))
	}
	if seller != "" {
		if !strings.HasPrefix(string(seller), "acct_") {
			return "", input(i18n.M("cli.supervisor.bad_seller", i18n.Args{"Value": strconv.Quote(string(seller))}))
		}
		return seller, nil
	}
	r, err := s.Journal.DisputeRecordByID(ctx, id)
	if errors.Is(err, journal.ErrNotFound) {
		return "", input(i18n.M("cli.supervisor.disputes.not_in_journal", i18n.Args{"ID": id}))
	}
	if err != nil {
		return "", err
	}
	return r.Dispute.Account, nil
}

// disputeOf is the dispute of a payment: the journal's, or — when the
// charge says disputed and the journal does not know it — Stripe's.
func (s *Service) disputeOf(ctx context.Context, seller pos.Account, in pos.Intent) (*pos.Dispute, error) {
	d, ok, err := s.Journal.DisputeForIntent(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if ok {
		return &d, nil
	}
	if s.disputes == nil || in.LatestCharge == nil || !in.LatestCharge.Disputed {
		return nil, nil
	}
	ds, err := s.disputes.ListDisputes(ctx, in.Account, pos.DisputeFilter{IntentID: in.ID, Limit: 1}) // where the charge lives
	if err != nil || len(ds) == 0 {
		return nil, nil // unknown: pos.CheckDispute refuses a disputed charge anyway
	}
	return &ds[0], nil
}

// Prefill is the evidence Kasse knows of the row's sale, by Stripe field:
// what was sold (items), when (service date), the customer's receipt
// e-mail, and a receipt-like account of the sale (time, console, operator,
// reader, card, amounts, ids). Nothing for a payment not made here. It is
// in English whatever the operator's language: evidence goes to Stripe
// and the card networks, not to the person at the counter (decision).
func Prefill(r DisputeRow) map[string]string {
	s := r.Sale
	if s == nil {
		return map[string]string{}
	}
	cur := s.Currency
	var items []string
	for _, l := range s.Cart.Lines {
		items = append(items, fmt.Sprintf("%d × %s (%s each) = %s", l.Quantity, l.Description, // i18n:ok evidence for Stripe, in English
			pos.Format(l.UnitPrice, cur), pos.Format(l.Amount(), cur)))
	}
	if len(items) == 0 && s.Description != "" {
		items = append(items, s.Description)
	}
	at := s.DoneAt
	if at.IsZero() {
		at = s.CreatedAt
	}
	out := map[string]string{}
	if len(items) > 0 {
		out[pos.EvidenceProductDescription] = "In-person sale at " + orString(r.SellerName, string(s.Seller)) + ": " + strings.Join(items, "; ") // i18n:ok evidence for Stripe, in English
	}
	if !at.IsZero() {
		out[pos.EvidenceServiceDate] = at.UTC().Format(time.DateOnly)
	}
	if s.ReceiptEmail != "" {
		out[pos.EvidenceCustomerEmail] = s.ReceiptEmail
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Card-present sale %s at %s", s.ID, orString(r.SellerName, string(s.Seller))) // i18n:ok evidence for Stripe, in English
	if !at.IsZero() {
		fmt.Fprintf(&b, " on %s", at.UTC().Format("2006-01-02 15:04 MST")) // i18n:ok evidence for Stripe, in English
	}
	b.WriteString(".\n")
	if s.ConsoleID != "" || s.Operator != "" {
		fmt.Fprintf(&b, "Rung up at console %s by %s.\n", orString(s.ConsoleID, "—"), orString(s.Operator, "—")) // i18n:ok evidence for Stripe, in English
	}
	if s.Card.Last4 != "" {
		fmt.Fprintf(&b, "Card %s ending %s was presented on Stripe Terminal reader %s (the cardholder was present).\n", // i18n:ok evidence for Stripe, in English
			orString(s.Card.Brand, "card"), s.Card.Last4, orString(s.ReaderID, "—")) // i18n:ok evidence for Stripe, in English
	}
	for _, it := range items {
		b.WriteString("  " + it + "\n")
	}
	if s.Tip != nil && *s.Tip > 0 {
		fmt.Fprintf(&b, "Tip: %s\n", pos.Format(*s.Tip, cur)) // i18n:ok evidence for Stripe, in English
	}
	fmt.Fprintf(&b, "Total charged: %s\n", pos.Format(s.Amount, cur))                                     // i18n:ok evidence for Stripe, in English
	fmt.Fprintf(&b, "PaymentIntent %s, charge %s.", s.IntentID, orString(s.ChargeID, r.Dispute.ChargeID)) // i18n:ok evidence for Stripe, in English
	out[pos.EvidenceUncategorizedText] = b.String()
	return out
}

// EvidenceRequest stages or submits a dispute's evidence.
type EvidenceRequest struct {
	Seller   pos.Account // "" = the seller the journal knows the dispute on
	ID       string
	Evidence map[string]string // by Stripe field (pos.EvidenceFields); nil with Submit: submit what is staged
	Submit   bool
	Operator string
	PIN      PIN
	Why      string
}

// Evidence stages (Submit false) or submits evidence for a dispute that
// still waits for an answer. The supervisor's PIN is checked first; the
// evidence is checked against Stripe's limits before any request.
func (s *Service) Evidence(ctx context.Context, req EvidenceRequest) (pos.Dispute, error) {
	action := "dispute.evidence"
	if req.Submit {
		action = "dispute.submit"
	}
	seller, cur, why, err := s.deskOpen(ctx, req.Seller, req.ID, req.Operator, req.PIN, req.Why, func() error {
		if len(req.Evidence) > 0 || !req.Submit {
			return i18n.CheckEvidence(req.Evidence)
		}
		return nil
	})
	if err != nil {
		return cur, err
	}
	if req.Submit && len(req.Evidence) == 0 && !cur.HasEvidence {
		return cur, failure(pos.ErrEvidence, i18n.M("cli.supervisor.disputes.nothing_staged", i18n.Args{"ID": req.ID}))
	}
	key := pos.IdempotencyKey(req.ID, strings.ReplaceAll(action, ".", "-")+"-"+s.newID(), 0)
	var fields []string
	for name := range req.Evidence {
		fields = append(fields, name)
	}
	sort.Strings(fields)
	return s.deskSend(ctx, req.Operator, action, req.ID, why, describe("seller", string(seller), "fields", strings.Join(fields, ","),
		"submit", strconv.FormatBool(req.Submit), "idempotency_key", key), func() (pos.Dispute, error) {
		return s.disputes.UpdateDispute(ctx, seller, req.ID, req.Evidence, req.Submit, key)
	})
}

// AcceptRequest accepts a dispute (closes it as lost).
type AcceptRequest struct {
	Seller   pos.Account
	ID       string
	Operator string
	PIN      PIN
	Why      string
}

// Accept closes a dispute that waits for an answer, accepting the loss.
func (s *Service) Accept(ctx context.Context, req AcceptRequest) (pos.Dispute, error) {
	seller, cur, why, err := s.deskOpen(ctx, req.Seller, req.ID, req.Operator, req.PIN, req.Why, nil)
	if err != nil {
		return cur, err
	}
	key := pos.IdempotencyKey(req.ID, "accept-"+s.newID(), 0)
	return s.deskSend(ctx, req.Operator, "dispute.accept", req.ID, why, describe("seller", string(seller),
		"amount", pos.Format(cur.Amount, cur.Currency), "reason", cur.Reason, "idempotency_key", key), func() (pos.Dispute, error) {
		return s.disputes.CloseDispute(ctx, seller, req.ID, key)
	})
}

// deskOpen opens a change of dispute id at the desk: it finds the
// dispute's seller, runs check (nil: none; what is asked, before the PIN),
// authorizes the supervisor and reads the dispute, which must still wait
// for an answer (if not, err says so and the dispute comes with it). why
// comes back without the PIN in it.
func (s *Service) deskOpen(ctx context.Context, seller pos.Account, id, operator string, pin PIN, why string, check func() error) (pos.Account, pos.Dispute, string, error) {
	if s.disputes == nil {
		return "", pos.Dispute{}, "", ErrNoDesk
	}
	seller, err := s.disputeSeller(ctx, seller, id)
	if err != nil {
		return "", pos.Dispute{}, "", err
	}
	if check != nil {
		if err := check(); err != nil {
			return "", pos.Dispute{}, "", err
		}
	}
	if err := s.Guard.Authorize(ctx, Attempt{Operator: operator, Action: ActionDisputes, Subject: id, PIN: pin}); err != nil {
		return "", pos.Dispute{}, "", err
	}
	why = scrubPIN(why, pin)
	cur, err := s.disputes.GetDispute(ctx, seller, id)
	if err != nil {
		return "", pos.Dispute{}, "", failure(err, i18n.M("cli.supervisor.disputes.read_error", i18n.Args{"ID": id, "Seller": accountLabel(seller), "Error": err}))
	}
	if err := i18n.DisputeAnswered(cur); err != nil {
		return "", cur, "", err
	}
	return seller, cur, why, nil
}

// deskSend audits the change (action, with details) before it is sent,
// sends it, and audits its failure or keeps the dispute's new state
// (action.failed, action.done).
func (s *Service) deskSend(ctx context.Context, operator, action, id, why, details string, send func() (pos.Dispute, error)) (pos.Dispute, error) {
	if err := s.audit(ctx, operator, action, id, details, why); err != nil {
		return pos.Dispute{}, err
	}
	d, err := send()
	if err != nil {
		_ = s.audit(context.WithoutCancel(ctx), operator, action+".failed", id, describe("error", err.Error()), why)
		return pos.Dispute{}, failure(err, i18n.M("cli.supervisor.disputes.error", i18n.Args{"ID": id, "Error": err}))
	}
	if err := s.afterDesk(ctx, operator, action+".done", d, why); err != nil {
		return d, err
	}
	return d, nil
}

// afterDesk keeps the dispute's new state and audits it.
func (s *Service) afterDesk(ctx context.Context, operator, action string, d pos.Dispute, why string) error {
	row := DisputeRow{Dispute: d}
	if err := s.link(ctx, &row); err != nil {
		return err
	}
	return s.audit(context.WithoutCancel(ctx), operator, action, d.ID, describe("status", d.Status,
		"submissions", strconv.FormatInt(d.SubmissionCount, 10)), why)
}
