package sandbox

import (
	"fmt"
	"net/http"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/auth"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/store"
)

// Connect accounts: GET /v1/accounts, /v1/accounts/{id}, /v1/account.
// The accounts table holds the platform (s.st.platform, id s.st.platformID)
// and its connected accounts; a request acts as the platform (no
// Stripe-Account) or as the connected account its header names
// (accountOf).
//
// The Account object of API version 2023-10-16. Every property the spec
// declares is rendered (null where unset), except these, on purpose:
//   - company and individual: for Standard and Express accounts Stripe stops
//     returning them once onboarding started (spec description of account),
//     and the sandbox has no Custom accounts;
//   - business_profile.monthly_estimated_revenue, tos_acceptance.
//     service_agreement, settings.treasury, settings.sepa_debit_payments.
//     creditor_id, settings.card_issuing.tos_acceptance.user_agent and the
//     payout schedule's monthly_anchor: optional and not nullable, absent
//     from stripe-mock's fixture, and with no value the sandbox could know;
//   - capabilities other than card_payments and transfers: a capability is
//     listed only when requested, and sellers request just these two.
//
// Key parity with stripe-mock's fixture `resources.account` is kept.
type account struct {
	store.Meta
	Object             string              `json:"object"`
	BusinessProfile    businessProfile     `json:"business_profile"`
	BusinessType       *string             `json:"business_type"`
	Capabilities       accountCapabilities `json:"capabilities"`
	ChargesEnabled     bool                `json:"charges_enabled"`
	Controller         accountController   `json:"controller"`
	Country            string              `json:"country"`
	Created            int64               `json:"created"`
	DefaultCurrency    string              `json:"default_currency"`
	DetailsSubmitted   bool                `json:"details_submitted"`
	Email              *string             `json:"email"`
	ExternalAccounts   externalAccountList `json:"external_accounts"`
	FutureRequirements accountRequirements `json:"future_requirements"`
	Metadata           map[string]string   `json:"metadata"`
	PayoutsEnabled     bool                `json:"payouts_enabled"`
	Requirements       accountRequirements `json:"requirements"`
	Settings           accountSettings     `json:"settings"`
	TOSAcceptance      tosAcceptance       `json:"tos_acceptance"`
	Type               string              `json:"type"` // standard | express | custom
}

func (*account) objectType() string { return "account" }

type businessProfile struct {
	AnnualRevenue        any          `json:"annual_revenue"`         // null
	EstimatedWorkerCount *int64       `json:"estimated_worker_count"` // null
	MCC                  *string      `json:"mcc"`
	Name                 *string      `json:"name"`
	ProductDescription   *string      `json:"product_description"`
	SupportAddress       *addressJSON `json:"support_address"`
	SupportEmail         *string      `json:"support_email"`
	SupportPhone         *string      `json:"support_phone"`
	SupportURL           *string      `json:"support_url"`
	URL                  *string      `json:"url"`
}

// accountCapabilities: active | inactive | pending.
type accountCapabilities struct {
	CardPayments string `json:"card_payments"`
	Transfers    string `json:"transfers"`
}

type accountController struct {
	IsController *bool  `json:"is_controller,omitempty"` // only for platform-controlled accounts
	Type         string `json:"type"`                    // application | account
}

type externalAccountList struct {
	Object  string             `json:"object"`
	Data    []*bankAccountJSON `json:"data"`
	HasMore bool               `json:"has_more"`
	URL     string             `json:"url"`
}

// bankAccountJSON is an external account of an account (payout
// destination).
type bankAccountJSON struct {
	ID                     string                      `json:"id"`
	Object                 string                      `json:"object"`
	Account                *string                     `json:"account"`
	AccountHolderName      *string                     `json:"account_holder_name"`
	AccountHolderType      *string                     `json:"account_holder_type"`
	AccountType            *string                     `json:"account_type"`
	AvailablePayoutMethods []string                    `json:"available_payout_methods"`
	BankName               *string                     `json:"bank_name"`
	Country                string                      `json:"country"`
	Currency               string                      `json:"currency"`
	Customer               *string                     `json:"customer"`
	DefaultForCurrency     *bool                       `json:"default_for_currency"`
	Fingerprint            *string                     `json:"fingerprint"`
	FutureRequirements     externalAccountRequirements `json:"future_requirements"`
	Last4                  string                      `json:"last4"`
	Metadata               map[string]string           `json:"metadata"`
	Requirements           externalAccountRequirements `json:"requirements"`
	RoutingNumber          *string                     `json:"routing_number"`
	Status                 string                      `json:"status"`
}

type externalAccountRequirements struct {
	CurrentlyDue        []string `json:"currently_due"`
	Errors              []any    `json:"errors"`
	PastDue             []string `json:"past_due"`
	PendingVerification []string `json:"pending_verification"`
}

// accountRequirements: both "requirements" and "future_requirements"
// (always empty in the sandbox).
type accountRequirements struct {
	Alternatives        []any    `json:"alternatives"`
	CurrentDeadline     *int64   `json:"current_deadline"`
	CurrentlyDue        []string `json:"currently_due"`
	DisabledReason      *string  `json:"disabled_reason"`
	Errors              []any    `json:"errors"`
	EventuallyDue       []string `json:"eventually_due"`
	PastDue             []string `json:"past_due"`
	PendingVerification []string `json:"pending_verification"`
}

type accountSettings struct {
	BacsDebitPayments struct {
		DisplayName       *string `json:"display_name"`
		ServiceUserNumber *string `json:"service_user_number"`
	} `json:"bacs_debit_payments"`
	Branding struct {
		Icon           any     `json:"icon"` // null
		Logo           any     `json:"logo"` // null
		PrimaryColor   *string `json:"primary_color"`
		SecondaryColor *string `json:"secondary_color"`
	} `json:"branding"`
	CardIssuing struct {
		TOSAcceptance struct {
			Date *int64  `json:"date"`
			IP   *string `json:"ip"`
		} `json:"tos_acceptance"`
	} `json:"card_issuing"`
	CardPayments struct {
		DeclineOn struct {
			AVSFailure bool `json:"avs_failure"`
			CVCFailure bool `json:"cvc_failure"`
		} `json:"decline_on"`
		StatementDescriptorPrefix      *string `json:"statement_descriptor_prefix"`
		StatementDescriptorPrefixKana  *string `json:"statement_descriptor_prefix_kana"`
		StatementDescriptorPrefixKanji *string `json:"statement_descriptor_prefix_kanji"`
	} `json:"card_payments"`
	Dashboard struct {
		DisplayName *string `json:"display_name"`
		Timezone    *string `json:"timezone"`
	} `json:"dashboard"`
	Invoices struct {
		DefaultAccountTaxIDs []any `json:"default_account_tax_ids"` // null
	} `json:"invoices"`
	Payments struct {
		StatementDescriptor            *string `json:"statement_descriptor"`
		StatementDescriptorKana        *string `json:"statement_descriptor_kana"`
		StatementDescriptorKanji       *string `json:"statement_descriptor_kanji"`
		StatementDescriptorPrefixKana  *string `json:"statement_descriptor_prefix_kana"`
		StatementDescriptorPrefixKanji *string `json:"statement_descriptor_prefix_kanji"`
	} `json:"payments"`
	Payouts struct {
		DebitNegativeBalances bool           `json:"debit_negative_balances"`
		Schedule              payoutSchedule `json:"schedule"`
		StatementDescriptor   *string        `json:"statement_descriptor"`
	} `json:"payouts"`
	SepaDebitPayments struct{} `json:"sepa_debit_payments"`
}

type payoutSchedule struct {
	DelayDays    int64  `json:"delay_days"`
	Interval     string `json:"interval"`                // daily | weekly | monthly | manual
	WeeklyAnchor string `json:"weekly_anchor,omitempty"` // only for weekly schedules
}

type tosAcceptance struct {
	Date      *int64  `json:"date"`
	IP        *string `json:"ip"`
	UserAgent *string `json:"user_agent"`
}

// accountSpec is what differs between accounts the sandbox creates (the
// platform, the demo sellers, tests' sellers).
type accountSpec struct {
	name, displayName, businessType, country, currency, email, phone, url, mcc, product string
	descriptor, descriptorKana, descriptorKanji, color, timezone                        string
	supportAddress                                                                      *address
	accountType                                                                         string // standard | express
	controlled                                                                          bool
	active                                                                              bool // onboarded: card_payments and transfers active
	payoutInterval, payoutAnchor                                                        string
	payoutDelay                                                                         int64
	tosIP                                                                               string
	bankHolderType                                                                      string
}

// newAccount builds an account object from spec (not stored).
func newAccount(m store.Meta, created int64, sp accountSpec) *account {
	a := &account{Meta: m, Object: "account", BusinessType: nullString(sp.businessType), Country: sp.country,
		Created: created, DefaultCurrency: sp.currency, Email: nullString(sp.email), Metadata: map[string]string{},
		Type: sp.accountType, Controller: accountController{Type: "account"},
		ExternalAccounts:   externalAccountList{Object: "list", Data: []*bankAccountJSON{}, URL: "/v1/accounts/" + m.ID + "/external_accounts"},
		FutureRequirements: emptyRequirements(), Requirements: emptyRequirements()}
	if sp.controlled {
		t := true
		a.Controller = accountController{IsController: &t, Type: "application"}
	}
	a.BusinessProfile = businessProfile{MCC: nullString(sp.mcc), Name: nullString(sp.name),
		ProductDescription: nullString(sp.product), SupportAddress: renderAddressPtr(sp.supportAddress),
		SupportEmail: nullString(sp.email), SupportPhone: nullString(sp.phone), SupportURL: nullString(sp.url), URL: nullString(sp.url)}
	st := &a.Settings
	st.Branding.PrimaryColor = nullString(sp.color)
	st.CardPayments.DeclineOn.AVSFailure = true
	st.CardPayments.DeclineOn.CVCFailure = true
	st.Dashboard.DisplayName = nullString(sp.displayName)
	tz := sp.timezone
	if tz == "" {
		tz = "Etc/UTC"
	}
	st.Dashboard.Timezone = &tz
	st.Payments.StatementDescriptor = nullString(sp.descriptor)
	st.Payments.StatementDescriptorKana = nullString(sp.descriptorKana)
	st.Payments.StatementDescriptorKanji = nullString(sp.descriptorKanji)
	st.Payouts.DebitNegativeBalances = true
	st.Payouts.Schedule = payoutSchedule{DelayDays: sp.payoutDelay, Interval: sp.payoutInterval, WeeklyAnchor: sp.payoutAnchor}
	if st.Payouts.Schedule.Interval == "" {
		st.Payouts.Schedule = payoutSchedule{DelayDays: 2, Interval: "daily"}
	}
	if sp.active {
		a.Capabilities = accountCapabilities{CardPayments: "active", Transfers: "active"}
		a.ChargesEnabled, a.PayoutsEnabled, a.DetailsSubmitted = true, true, true
		date := created + 3600
		if sp.tosIP == "" {
			sp.tosIP = "198.51.100.24"
		} else {
			date = created // the platform accepted the terms when it was created
		}
		a.TOSAcceptance.Date, a.TOSAcceptance.IP = &date, nullString(sp.tosIP)
		holderType := sp.bankHolderType
		if holderType == "" {
			holderType = "company"
		}
		a.ExternalAccounts.Data = append(a.ExternalAccounts.Data, testBank(m.ID, sp.country, sp.currency, sp.name, holderType))
	} else {
		// Onboarding unfinished: Stripe's shape for an account that has
		// not provided what it owes (as in stripe-mock's fixture).
		a.Capabilities = accountCapabilities{CardPayments: "inactive", Transfers: "inactive"}
		due := []string{"business_profile.url", "external_account", "tos_acceptance.date", "tos_acceptance.ip"}
		a.Requirements.CurrentlyDue = due
		a.Requirements.EventuallyDue = due
		a.Requirements.PastDue = due
		a.Requirements.DisabledReason = nullString("requirements.past_due")
	}
	return a
}

func emptyRequirements() accountRequirements {
	return accountRequirements{Alternatives: []any{}, CurrentlyDue: []string{}, Errors: []any{},
		EventuallyDue: []string{}, PastDue: []string{}, PendingVerification: []string{}}
}

// testBank is Stripe's test payout account for a country.
func testBank(accountID, country, currency, holder, holderType string) *bankAccountJSON {
	def := true
	empty := externalAccountRequirements{CurrentlyDue: []string{}, Errors: []any{}, PastDue: []string{}, PendingVerification: []string{}}
	b := &bankAccountJSON{ID: "ba_1" + randomString(23), Object: "bank_account", Account: &accountID,
		AccountHolderName: nullString(holder), AccountHolderType: nullString(holderType),
		AvailablePayoutMethods: []string{"standard"}, BankName: nullString("STRIPE TEST BANK"),
		Country: country, Currency: currency, DefaultForCurrency: &def, Fingerprint: nullString(randomString(16)),
		FutureRequirements: empty, Metadata: map[string]string{}, Requirements: empty, Status: "new"}
	switch country {
	case "US":
		b.RoutingNumber, b.Last4 = nullString("110000000"), "6789"
	case "JP":
		b.RoutingNumber, b.Last4 = nullString("1100000"), "1234"
	case "GB":
		b.RoutingNumber, b.Last4 = nullString("10-88-00"), "2345"
	default: // IBAN countries: DE89370400440532013000
		b.Last4 = "3000"
	}
	return b
}

// PlatformID is the id of the platform account the sandbox's API keys
// belong to (GET /v1/account without Stripe-Account).
func (s *Server) PlatformID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.platformID
}

// accountOf returns the account a request acts as: the platform for "",
// else the connected account (nil if unknown). Called with mu held.
func (s *Server) accountOf(id string) *account {
	if id == "" {
		return s.st.platform
	}
	if a, ok := s.st.accounts.Get(id); ok && a != s.st.platform {
		return a
	}
	return nil
}

// createPlatform stores the platform's account (every seed has one).
// Called with mu held, in a change.
func (s *Server) createPlatform() {
	now := s.opts.Now().Unix()
	created := now - 3*365*86400
	p := newAccount(store.Meta{ID: s.st.platformID}, created, accountSpec{
		name: "Kasse Sandbox Platform", displayName: "Kasse Sandbox", businessType: "company",
		country: "US", currency: "usd", email: "platform@kasse.example", accountType: "standard", active: true,
		mcc: "5734", product: "Point-of-sale software for independent shops.", url: "https://kasse.example",
		descriptor: "KASSE", timezone: "America/New_York", payoutInterval: "daily", payoutDelay: 2,
		tosIP: "203.0.113.10"})
	p.BusinessProfile.SupportEmail = nullString("support@kasse.example")
	p.BusinessProfile.SupportURL = nil
	p.ExternalAccounts.Data[0].AccountHolderName = nullString("Kasse Sandbox Inc.")
	s.st.platform = p
	put(s, s.st.accounts, p)
}

// checkAccount refuses a Stripe-Account that is not connected to the
// platform, as Stripe does (403, account_invalid). Called with s.mu held.
func (s *Server) checkAccount(account string, r *http.Request) *apierr.Error {
	if s.accountOf(account) != nil {
		return nil
	}
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Code: "account_invalid", Validation: true,
		Message: "The provided key '" + auth.Redact(auth.Key(r)) + "' does not have access to account '" + account +
			"' (or that account does not exist). Application access may have been revoked."}
}

// errNotPlatform is the answer when a connected account (a call made with
// Stripe-Account) reaches for accounts other than itself. Stripe answers
// this with 403 and the message below when a non-platform works with other
// accounts (the message is Stripe's; its use for GET /v1/accounts through
// Stripe-Account is a decision: Stripe documents listing as platform-only,
// "connected_account_read" cannot be used through Stripe-Account).
func errNotPlatform() *apierr.Error {
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Validation: true,
		Message: "Only Stripe Connect platforms can work with other accounts. If you specified a client_id parameter, make sure it's correct. If you need to setup a Stripe Connect platform, you can do so at https://dashboard.stripe.com/account/applications/settings."}
}

// errNoAccess is Stripe's answer to an account id the key cannot reach
// (unknown, or not connected): 403 account_invalid, as for an unknown
// Stripe-Account header.
func errNoAccess(rq *request, id string) *apierr.Error {
	return &apierr.Error{Status: http.StatusForbidden, Type: apierr.TypeInvalidRequest, Code: "account_invalid", Validation: true,
		Message: "The provided key '" + auth.Redact(rq.APIKey) + "' does not have access to account '" + id +
			"' (or that account does not exist). Application access may have been revoked."}
}

// listAccounts: GET /v1/accounts — the platform's connected accounts,
// newest first. Refused through Stripe-Account (errNotPlatform).
func (s *Server) listAccounts(rq *request) (any, *apierr.Error) {
	if rq.Account != "" {
		return nil, errNotPlatform()
	}
	created, pg, e := parseList(rq, nil)
	if e != nil {
		return nil, e
	}
	return listTable(s, rq, s.st.accounts, pg, func(a *account) bool { return a != s.st.platform && created.Match(a.Created) },
		"/v1/accounts", unexpanded)
}

// getAccount: GET /v1/accounts/{id}. The platform reads any connected
// account and itself; through Stripe-Account an account reads only itself.
func (s *Server) getAccount(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	if rq.Account != "" {
		if rq.ID != rq.Account {
			return nil, errNotPlatform()
		}
		return s.accountOf(rq.Account), nil
	}
	if rq.ID == s.st.platformID {
		return s.st.platform, nil
	}
	a := s.accountOf(rq.ID)
	if a == nil || rq.ID == "" {
		return nil, errNoAccess(rq, rq.ID)
	}
	return a, nil
}

// getOwnAccount: GET /v1/account — the account the call acts as.
func (s *Server) getOwnAccount(rq *request) (any, *apierr.Error) {
	if e := expand.Check(rq.Expand, nil); e != nil {
		return nil, e
	}
	return s.accountOf(rq.Account), nil
}

// accountRef renders an account reference: null, the id, or (expanded)
// the account object.
func (s *Server) accountRef(r ref, exp *expand.Tree) ref {
	if refID(r) == "" || exp == nil {
		return r
	}
	if a := s.accountOf(refID(r)); a != nil {
		return a
	}
	return r
}

// SetCapability sets a connected account's card_payments or transfers
// capability to active, inactive or pending (tests, demos: Stripe moves
// capabilities as onboarding goes; the sandbox has no onboarding).
func (s *Server) SetCapability(acct, capability, state string) error {
	switch state {
	case "active", "inactive", "pending":
	default:
		return fmt.Errorf("sandbox: capability state %q: use active, inactive or pending", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountOf(acct)
	if a == nil || acct == "" {
		return fmt.Errorf("sandbox: no such connected account %q", acct)
	}
	var dst *string
	switch capability {
	case "card_payments":
		dst = &a.Capabilities.CardPayments
	case "transfers":
		dst = &a.Capabilities.Transfers
	default:
		return fmt.Errorf("sandbox: capability %q: use card_payments or transfers", capability)
	}
	s.change(func() {
		s.touch(a)
		*dst = state
	})
	return nil
}
