package sandbox

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
// Key parity with stripe-mock's fixture `resources.account` is kept.

type accountJSON struct {
	ID                 string              `json:"id"`
	Object             string              `json:"object"`
	BusinessProfile    *businessProfile    `json:"business_profile"`
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
	Settings           *accountSettings    `json:"settings"`
	TOSAcceptance      tosAcceptance       `json:"tos_acceptance"`
	Type               string              `json:"type"`
}

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

type accountCapabilities struct {
	CardPayments string `json:"card_payments"`
	Transfers    string `json:"transfers"`
}

type accountController struct {
	IsController *bool  `json:"is_controller,omitempty"` // only for platform-controlled accounts
	Type         string `json:"type"`
}

type externalAccountList struct {
	Object  string `json:"object"`
	Data    []any  `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

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
	Interval     string `json:"interval"`
	WeeklyAnchor string `json:"weekly_anchor,omitempty"` // only for weekly schedules
}

type tosAcceptance struct {
	Date      *int64  `json:"date"`
	IP        *string `json:"ip"`
	UserAgent *string `json:"user_agent"`
}

func pfAddress(a *address) *addressJSON {
	if a == nil {
		return nil
	}
	r := renderAddress(*a)
	return &r
}

func pfNonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return append([]string(nil), xs...)
}

// renderAccount renders a connected account or the platform (platform part
// contract).
func (s *Server) renderAccount(a *account) any {
	out := &accountJSON{
		ID: a.id, Object: "account", BusinessType: nullString(a.businessType),
		Capabilities:   accountCapabilities{CardPayments: a.cardPayments, Transfers: a.transfers},
		ChargesEnabled: a.chargesEnabled, Controller: accountController{Type: "account"},
		Country: a.country, Created: a.created, DefaultCurrency: a.defaultCurrency,
		DetailsSubmitted: a.detailsSubmitted, Email: nullString(a.email),
		ExternalAccounts:   externalAccountList{Object: "list", Data: []any{}, URL: "/v1/accounts/" + a.id + "/external_accounts"},
		FutureRequirements: pfEmptyRequirements(),
		Metadata:           pfCopyMeta(a.metadata), PayoutsEnabled: a.payoutsEnabled,
		Requirements: accountRequirements{Alternatives: []any{}, CurrentlyDue: pfNonNil(a.currentlyDue),
			DisabledReason: nullString(a.disabledReason), Errors: []any{}, EventuallyDue: pfNonNil(a.currentlyDue),
			PastDue: pfNonNil(a.pastDue), PendingVerification: []string{}},
		Type: a.accountType,
	}
	if a.controlled {
		t := true
		out.Controller = accountController{IsController: &t, Type: "application"}
	}
	out.BusinessProfile = &businessProfile{MCC: nullString(a.mcc), Name: nullString(a.businessName),
		ProductDescription: nullString(a.productDescription), SupportAddress: pfAddress(a.supportAddress),
		SupportEmail: nullString(a.supportEmail), SupportPhone: nullString(a.supportPhone),
		SupportURL: nullString(a.supportURL), URL: nullString(a.url)}
	if a.bank != nil {
		out.ExternalAccounts.Data = append(out.ExternalAccounts.Data, renderBankAccount(a.id, a.bank))
	}
	if a.tosDate != 0 {
		d := a.tosDate
		out.TOSAcceptance.Date = &d
		out.TOSAcceptance.IP = nullString(a.tosIP)
	}
	out.Settings = renderSettings(a)
	return out
}

func pfEmptyRequirements() accountRequirements {
	return accountRequirements{Alternatives: []any{}, CurrentlyDue: []string{}, Errors: []any{},
		EventuallyDue: []string{}, PastDue: []string{}, PendingVerification: []string{}}
}

func renderSettings(a *account) *accountSettings {
	st := &accountSettings{}
	st.Branding.PrimaryColor = nullString(a.primaryColor)
	st.CardPayments.DeclineOn.AVSFailure = true
	st.CardPayments.DeclineOn.CVCFailure = true
	st.Dashboard.DisplayName = nullString(a.displayName)
	tz := a.timezone
	if tz == "" {
		tz = "Etc/UTC"
	}
	st.Dashboard.Timezone = &tz
	st.Payments.StatementDescriptor = nullString(a.statementDescriptor)
	st.Payments.StatementDescriptorKana = nullString(a.statementDescriptorKana)
	st.Payments.StatementDescriptorKanji = nullString(a.statementDescriptorKanji)
	st.Payouts.DebitNegativeBalances = true
	st.Payouts.Schedule = payoutSchedule{DelayDays: a.payoutDelayDays, Interval: a.payoutInterval, WeeklyAnchor: a.payoutWeeklyAnchor}
	if st.Payouts.Schedule.Interval == "" {
		st.Payouts.Schedule = payoutSchedule{DelayDays: 2, Interval: "daily"}
	}
	return st
}

func renderBankAccount(accountID string, b *bankAccount) *bankAccountJSON {
	def := true
	acct := accountID
	empty := externalAccountRequirements{CurrentlyDue: []string{}, Errors: []any{}, PastDue: []string{}, PendingVerification: []string{}}
	return &bankAccountJSON{ID: b.id, Object: "bank_account", Account: &acct,
		AccountHolderName: nullString(b.holderName), AccountHolderType: nullString(b.holderType),
		AvailablePayoutMethods: []string{"standard"}, BankName: nullString(b.bankName),
		Country: b.country, Currency: b.currency, DefaultForCurrency: &def, Fingerprint: nullString(b.fingerprint),
		FutureRequirements: empty, Last4: b.last4, Metadata: map[string]string{}, Requirements: empty,
		RoutingNumber: nullString(b.routingNumber), Status: "new"}
}

func pfCopyMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
