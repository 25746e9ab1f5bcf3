package sandbox

import (
	"sort"
	"strings"
	"time"
)

// --- snapshot: state → SavedState (called with mu held) ----------------

func snapshotState(st *state) *SavedState {
	out := &SavedState{Version: stateVersion, APIVersion: APIVersion, Seq: st.seq, PlatformID: st.platformID}
	for _, a := range st.accounts {
		out.Accounts = append(out.Accounts, saveAccount(a))
	}
	sortSaved(out.Accounts, func(a SavedAccount) SavedMeta { return a.SavedMeta })
	for _, l := range st.locations {
		out.Locations = append(out.Locations, SavedLocation{SavedMeta: saveMeta(l.meta), DisplayName: l.displayName,
			Address: saveAddress(l.address), ConfigurationOverrides: l.configurationOverrides,
			Metadata: copyMap(l.metadata), Deleted: l.deleted})
	}
	sortSaved(out.Locations, func(l SavedLocation) SavedMeta { return l.SavedMeta })
	for _, r := range st.readers {
		out.Readers = append(out.Readers, saveReader(r))
	}
	sortSaved(out.Readers, func(r SavedReader) SavedMeta { return r.SavedMeta })
	for _, pi := range st.intents {
		out.PaymentIntents = append(out.PaymentIntents, saveIntent(pi))
	}
	sortSaved(out.PaymentIntents, func(p SavedPaymentIntent) SavedMeta { return p.SavedMeta })
	for _, ch := range st.charges {
		out.Charges = append(out.Charges, saveCharge(ch))
	}
	sortSaved(out.Charges, func(c SavedCharge) SavedMeta { return c.SavedMeta })
	for _, r := range st.refunds {
		out.Refunds = append(out.Refunds, SavedRefund{SavedMeta: saveMeta(r.meta), Amount: r.amount, Charge: r.charge,
			PaymentIntent: r.paymentIntent, Currency: r.currency, Reason: r.reason, Status: r.status,
			Metadata: copyMap(r.metadata), SameDay: r.sameDay})
	}
	sortSaved(out.Refunds, func(r SavedRefund) SavedMeta { return r.SavedMeta })
	for _, si := range st.setups {
		v := SavedSetupIntent{SavedMeta: saveMeta(si.meta), Status: si.status,
			PaymentMethodTypes: copyStrings(si.paymentMethodTypes), Customer: si.customer, Description: si.description,
			Metadata: copyMap(si.metadata), Usage: si.usage, PaymentMethod: si.paymentMethod, ClientSecret: si.clientSecret,
			AutomaticPaymentMethods: si.automatic, LatestAttempt: si.latestAttempt}
		if e := si.lastError; e != nil {
			v.LastError = &SavedError{Type: e.typ, Code: e.code, DeclineCode: e.declineCode, Message: e.message}
		}
		out.SetupIntents = append(out.SetupIntents, v)
	}
	sortSaved(out.SetupIntents, func(s SavedSetupIntent) SavedMeta { return s.SavedMeta })
	for _, ev := range st.events { // already in creation order
		// The raw JSON of an event is never changed after emit: shared.
		out.Events = append(out.Events, SavedEvent{SavedMeta: saveMeta(ev.meta), Type: ev.typ, Object: ev.object,
			PreviousAttributes: ev.previous, RequestID: ev.requestID, IdempotencyKey: ev.idempotentKey})
	}
	return out
}

// snapshotIdem keeps completed keys younger than idemTTL (idemMu held).
// Bodies are never changed once an entry completed: shared.
func snapshotIdem(idem map[string]*idemEntry, now time.Time) []SavedIdempotencyEntry {
	out := []SavedIdempotencyEntry{}
	for scope, e := range idem {
		if e.inFlight || now.Sub(e.created) >= idemTTL {
			continue
		}
		account, key, _ := strings.Cut(scope, "\x00") // idemScope
		out = append(out, SavedIdempotencyEntry{Account: account, Key: key, Fingerprint: e.fingerprint,
			Status: e.status, Body: string(e.body), Created: e.created})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		if out[i].Account != out[j].Account {
			return out[i].Account < out[j].Account
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func sortSaved[T any](items []T, m func(T) SavedMeta) {
	sort.Slice(items, func(i, j int) bool {
		a, b := m(items[i]), m(items[j])
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return a.ID < b.ID
	})
}

func saveMeta(m meta) SavedMeta {
	return SavedMeta{ID: m.id, Account: m.account, Seq: m.seq, Created: m.created}
}

func saveAddress(a address) SavedAddress {
	return SavedAddress{Line1: a.line1, Line2: a.line2, City: a.city, State: a.state, PostalCode: a.postalCode, Country: a.country}
}

func saveAccount(a *account) SavedAccount {
	v := SavedAccount{SavedMeta: saveMeta(a.meta), BusinessName: a.businessName, DisplayName: a.displayName,
		BusinessType: a.businessType, Country: a.country, DefaultCurrency: a.defaultCurrency, Email: a.email,
		AccountType: a.accountType, Controlled: a.controlled, CardPayments: a.cardPayments, Transfers: a.transfers,
		ChargesEnabled: a.chargesEnabled, PayoutsEnabled: a.payoutsEnabled, DetailsSubmitted: a.detailsSubmitted,
		Metadata: copyMap(a.metadata), MCC: a.mcc, ProductDescription: a.productDescription,
		SupportEmail: a.supportEmail, SupportPhone: a.supportPhone, SupportURL: a.supportURL, URL: a.url,
		StatementDescriptor: a.statementDescriptor, StatementDescriptorKana: a.statementDescriptorKana,
		StatementDescriptorKanji: a.statementDescriptorKanji, PrimaryColor: a.primaryColor, Timezone: a.timezone,
		PayoutInterval: a.payoutInterval, PayoutDelayDays: a.payoutDelayDays, PayoutWeeklyAnchor: a.payoutWeeklyAnchor,
		CurrentlyDue: copyStrings(a.currentlyDue), PastDue: copyStrings(a.pastDue), DisabledReason: a.disabledReason,
		TOSDate: a.tosDate, TOSIP: a.tosIP}
	if a.supportAddress != nil {
		addr := saveAddress(*a.supportAddress)
		v.SupportAddress = &addr
	}
	if b := a.bank; b != nil {
		v.Bank = &SavedBankAccount{ID: b.id, HolderName: b.holderName, HolderType: b.holderType, BankName: b.bankName,
			Country: b.country, Currency: b.currency, Fingerprint: b.fingerprint, Last4: b.last4, RoutingNumber: b.routingNumber}
	}
	return v
}

func saveReader(r *reader) SavedReader {
	v := SavedReader{SavedMeta: saveMeta(r.meta), Label: r.label, DeviceType: r.deviceType, SerialNumber: r.serialNumber,
		SoftwareVersion: r.softwareVersion, IPAddress: r.ipAddress, Status: r.status, LocationID: r.locationID,
		Metadata: copyMap(r.metadata), RegCode: r.regCode, Deleted: r.deleted}
	if a := r.action; a != nil {
		sa := &SavedReaderAction{Type: a.typ, Status: a.status, FailureCode: a.failureCode, FailureMessage: a.failureMessage,
			PaymentIntent: a.paymentIntent, HasConfig: a.hasConfig, SkipTipping: copyPtr(a.skipTipping),
			TipEligible: copyPtr(a.tipEligible), EnableCancel: copyPtr(a.enableCancel), SetupIntent: a.setupIntent,
			GeneratedCard: a.generatedCard}
		if c := a.cart; c != nil {
			sc := &SavedDisplayCart{Currency: c.currency, Tax: copyPtr(c.tax), Total: c.total}
			if c.lineItems != nil {
				sc.LineItems = make([]SavedDisplayLine, 0, len(c.lineItems))
			}
			for _, l := range c.lineItems {
				sc.LineItems = append(sc.LineItems, SavedDisplayLine{Amount: l.amount, Description: l.description, Quantity: l.quantity})
			}
			sa.Cart = sc
		}
		v.Action = sa
	}
	return v
}

func saveIntent(pi *paymentIntent) SavedPaymentIntent {
	v := SavedPaymentIntent{SavedMeta: saveMeta(pi.meta), Amount: pi.amount, AmountCapturable: pi.amountCapturable,
		AmountReceived: pi.amountReceived, Currency: pi.currency, Status: pi.status, CaptureMethod: pi.captureMethod,
		Description: pi.description, ReceiptEmail: pi.receiptEmail, Metadata: copyMap(pi.metadata),
		PaymentMethodTypes: copyStrings(pi.paymentMethodTypes), AutomaticPaymentMethods: pi.automaticPM,
		Tip: copyPtr(pi.tip), LatestCharge: pi.latestCharge, PaymentMethod: pi.paymentMethod, CanceledAt: pi.canceledAt,
		CancellationReason: pi.cancellationReason, ApplicationFee: copyPtr(pi.applicationFee), ClientSecret: pi.clientSecret,
		StatementDescriptor: pi.statementDescriptor, StatementDescriptorSuffix: pi.statementDescriptorSuffix,
		OnBehalfOf: pi.onBehalfOf, TransferDestination: pi.transferDest, TransferAmount: copyPtr(pi.transferAmount),
		TransferGroup: pi.transferGroup, SetupFutureUsage: pi.setupFutureUsage,
		RequestExtendedAuth: copyPtr(pi.requestExtendedAuth), RequestIncrementalAuth: copyPtr(pi.requestIncrementalAuth)}
	if e := pi.lastError; e != nil {
		v.LastError = &SavedError{Type: e.typ, Code: e.code, DeclineCode: e.declineCode, Message: e.message,
			Charge: e.charge, PaymentMethod: e.paymentMethod}
	}
	return v
}

func saveCharge(ch *charge) SavedCharge {
	v := SavedCharge{SavedMeta: saveMeta(ch.meta), Amount: ch.amount, AmountCaptured: ch.amountCaptured,
		AmountRefunded: ch.amountRefunded, Currency: ch.currency, Status: ch.status, Paid: ch.paid, Captured: ch.captured,
		Refunded: ch.refunded, PaymentIntent: ch.paymentIntent, PaymentMethod: ch.paymentMethod, Brand: ch.brand,
		Last4: ch.last4, FailureCode: ch.failureCode, FailureMessage: ch.failureMessage, DeclineCode: ch.declineCode,
		ApplicationFee: copyPtr(ch.applicationFee), Metadata: copyMap(ch.metadata), PaymentMethodType: ch.pmType,
		CaptureMethod: ch.captureMethod, Description: ch.description, ReceiptEmail: ch.receiptEmail,
		ReceiptURL: ch.receiptURL, StatementDescriptor: ch.statementDescriptor,
		StatementDescriptorSuffix: ch.statementDescriptorSuffix, CalculatedDescriptor: ch.calculatedDescriptor,
		OnBehalfOf: ch.onBehalfOf, TransferDestination: ch.transferDest, TransferAmount: copyPtr(ch.transferAmount),
		TransferGroup: ch.transferGroup, ApplicationFeeID: ch.applicationFeeID, CVM: ch.cvm, AuthorizationCode: ch.authCode,
		OutcomeType: ch.outcomeType, OutcomeReason: ch.outcomeReason, SellerMessage: ch.sellerMessage}
	if c := ch.card; c != nil {
		v.Card = &SavedCard{Number: c.number, Brand: c.brand, Network: c.network, Funding: c.funding, Country: c.country, CVM: c.cvm}
	}
	return v
}
