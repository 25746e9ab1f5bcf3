package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// --- restore: SavedState → state ---------------------------------------

// restoreState rebuilds the state and the idempotency keys, checking that
// the document is consistent (ids present and unique, the platform
// account there, the counter ahead of every object).
func restoreState(sv *SavedState, now time.Time) (*state, map[string]*idemEntry, error) {
	if sv.PlatformID == "" {
		return nil, nil, errors.New("corrupt: no platform_id")
	}
	st := &state{seq: sv.Seq, platformID: sv.PlatformID,
		accounts: map[string]*account{}, locations: map[string]*location{}, readers: map[string]*reader{},
		intents: map[string]*paymentIntent{}, charges: map[string]*charge{}, refunds: map[string]*refund{},
		setups: map[string]*setupIntent{}}
	seen := map[string]bool{}
	check := func(kind string, m SavedMeta) (meta, error) {
		switch {
		case m.ID == "":
			return meta{}, fmt.Errorf("corrupt: a %s without an id", kind)
		case seen[m.ID]:
			return meta{}, fmt.Errorf("corrupt: id %s appears twice", m.ID)
		case m.Seq > sv.Seq:
			return meta{}, fmt.Errorf("corrupt: %s %s has seq %d beyond the counter %d", kind, m.ID, m.Seq, sv.Seq)
		}
		seen[m.ID] = true
		return meta{id: m.ID, account: m.Account, seq: m.Seq, created: m.Created}, nil
	}
	for _, v := range sv.Accounts {
		m, err := check("account", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		a := restoreAccount(v, m)
		key := a.id
		if a.id == sv.PlatformID {
			key = "" // the platform account is stored under "" (accounts.go)
		}
		st.accounts[key] = a
	}
	if _, ok := st.accounts[""]; !ok {
		return nil, nil, fmt.Errorf("corrupt: the platform account %s is missing", sv.PlatformID)
	}
	for _, v := range sv.Locations {
		m, err := check("location", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		st.locations[m.id] = &location{meta: m, displayName: v.DisplayName, address: restoreAddress(v.Address),
			configurationOverrides: v.ConfigurationOverrides, metadata: v.Metadata, deleted: v.Deleted}
	}
	for _, v := range sv.Readers {
		m, err := check("reader", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		st.readers[m.id] = restoreReader(v, m)
	}
	for _, v := range sv.PaymentIntents {
		m, err := check("payment intent", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		st.intents[m.id] = restoreIntent(v, m)
	}
	for _, v := range sv.Charges {
		m, err := check("charge", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		if v.Card != nil && len(v.Card.Number) < 4 {
			return nil, nil, fmt.Errorf("corrupt: charge %s: card number %q", m.id, v.Card.Number)
		}
		st.charges[m.id] = restoreCharge(v, m)
	}
	for _, v := range sv.Refunds {
		m, err := check("refund", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		st.refunds[m.id] = &refund{meta: m, amount: v.Amount, charge: v.Charge, paymentIntent: v.PaymentIntent,
			currency: v.Currency, reason: v.Reason, status: v.Status, metadata: v.Metadata, sameDay: v.SameDay}
	}
	for _, v := range sv.SetupIntents {
		m, err := check("setup intent", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		si := &setupIntent{meta: m, status: v.Status, paymentMethodTypes: v.PaymentMethodTypes, customer: v.Customer,
			description: v.Description, metadata: v.Metadata, usage: v.Usage, paymentMethod: v.PaymentMethod,
			clientSecret: v.ClientSecret, automatic: v.AutomaticPaymentMethods, latestAttempt: v.LatestAttempt}
		if e := v.LastError; e != nil {
			si.lastError = &setupError{typ: e.Type, code: e.Code, declineCode: e.DeclineCode, message: e.Message}
		}
		st.setups[m.id] = si
	}
	for _, v := range sv.Events {
		m, err := check("event", v.SavedMeta)
		if err != nil {
			return nil, nil, err
		}
		obj, err := compactRaw(v.Object)
		if err != nil || obj == nil {
			return nil, nil, fmt.Errorf("corrupt: event %s has no valid object", m.id)
		}
		prev, err := compactRaw(v.PreviousAttributes)
		if err != nil {
			return nil, nil, fmt.Errorf("corrupt: event %s: previous_attributes: %v", m.id, err)
		}
		st.events = append(st.events, &event{meta: m, typ: v.Type, object: obj, previous: prev,
			requestID: v.RequestID, idempotentKey: v.IdempotencyKey})
	}
	idem := map[string]*idemEntry{}
	for _, v := range sv.Idempotency {
		if v.Key == "" || v.Status == 0 {
			return nil, nil, errors.New("corrupt: an idempotency entry without key or status")
		}
		if now.Sub(v.Created) >= idemTTL {
			continue
		}
		idem[v.Account+"\x00"+v.Key] = &idemEntry{fingerprint: v.Fingerprint, status: v.Status, body: []byte(v.Body), created: v.Created}
	}
	return st, idem, nil
}

// compactRaw returns raw JSON as json.Marshal wrote it (the file is
// indented); nil for absent or null.
func compactRaw(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

func restoreAddress(a SavedAddress) address {
	return address{line1: a.Line1, line2: a.Line2, city: a.City, state: a.State, postalCode: a.PostalCode, country: a.Country}
}

func restoreAccount(v SavedAccount, m meta) *account {
	a := &account{meta: m, businessName: v.BusinessName, displayName: v.DisplayName, businessType: v.BusinessType,
		country: v.Country, defaultCurrency: v.DefaultCurrency, email: v.Email, accountType: v.AccountType,
		controlled: v.Controlled, cardPayments: v.CardPayments, transfers: v.Transfers, chargesEnabled: v.ChargesEnabled,
		payoutsEnabled: v.PayoutsEnabled, detailsSubmitted: v.DetailsSubmitted, metadata: v.Metadata, mcc: v.MCC,
		productDescription: v.ProductDescription, supportEmail: v.SupportEmail, supportPhone: v.SupportPhone,
		supportURL: v.SupportURL, url: v.URL, statementDescriptor: v.StatementDescriptor,
		statementDescriptorKana: v.StatementDescriptorKana, statementDescriptorKanji: v.StatementDescriptorKanji,
		primaryColor: v.PrimaryColor, timezone: v.Timezone, payoutInterval: v.PayoutInterval,
		payoutDelayDays: v.PayoutDelayDays, payoutWeeklyAnchor: v.PayoutWeeklyAnchor, currentlyDue: v.CurrentlyDue,
		pastDue: v.PastDue, disabledReason: v.DisabledReason, tosDate: v.TOSDate, tosIP: v.TOSIP}
	if v.SupportAddress != nil {
		addr := restoreAddress(*v.SupportAddress)
		a.supportAddress = &addr
	}
	if b := v.Bank; b != nil {
		a.bank = &bankAccount{id: b.ID, holderName: b.HolderName, holderType: b.HolderType, bankName: b.BankName,
			country: b.Country, currency: b.Currency, fingerprint: b.Fingerprint, last4: b.Last4, routingNumber: b.RoutingNumber}
	}
	return a
}

// restoreReader: an action loads with presenting false (see the notes at
// the top of this file).
func restoreReader(v SavedReader, m meta) *reader {
	r := &reader{meta: m, label: v.Label, deviceType: v.DeviceType, serialNumber: v.SerialNumber,
		softwareVersion: v.SoftwareVersion, ipAddress: v.IPAddress, status: v.Status, locationID: v.LocationID,
		metadata: v.Metadata, regCode: v.RegCode, deleted: v.Deleted}
	if sa := v.Action; sa != nil {
		a := &readerAction{typ: sa.Type, status: sa.Status, failureCode: sa.FailureCode, failureMessage: sa.FailureMessage,
			paymentIntent: sa.PaymentIntent, hasConfig: sa.HasConfig, skipTipping: sa.SkipTipping, tipEligible: sa.TipEligible,
			enableCancel: sa.EnableCancel, setupIntent: sa.SetupIntent, generatedCard: sa.GeneratedCard}
		if sc := sa.Cart; sc != nil {
			c := &displayCart{currency: sc.Currency, tax: sc.Tax, total: sc.Total}
			if sc.LineItems != nil {
				c.lineItems = make([]displayLine, 0, len(sc.LineItems))
			}
			for _, l := range sc.LineItems {
				c.lineItems = append(c.lineItems, displayLine{amount: l.Amount, description: l.Description, quantity: l.Quantity})
			}
			a.cart = c
		}
		r.action = a
	}
	return r
}

func restoreIntent(v SavedPaymentIntent, m meta) *paymentIntent {
	pi := &paymentIntent{meta: m, amount: v.Amount, amountCapturable: v.AmountCapturable, amountReceived: v.AmountReceived,
		currency: v.Currency, status: v.Status, captureMethod: v.CaptureMethod, description: v.Description,
		receiptEmail: v.ReceiptEmail, metadata: v.Metadata, paymentMethodTypes: v.PaymentMethodTypes,
		automaticPM: v.AutomaticPaymentMethods, tip: v.Tip, latestCharge: v.LatestCharge, paymentMethod: v.PaymentMethod,
		canceledAt: v.CanceledAt, cancellationReason: v.CancellationReason, applicationFee: v.ApplicationFee,
		clientSecret: v.ClientSecret, statementDescriptor: v.StatementDescriptor,
		statementDescriptorSuffix: v.StatementDescriptorSuffix, onBehalfOf: v.OnBehalfOf, transferDest: v.TransferDestination,
		transferAmount: v.TransferAmount, transferGroup: v.TransferGroup, setupFutureUsage: v.SetupFutureUsage,
		requestExtendedAuth: v.RequestExtendedAuth, requestIncrementalAuth: v.RequestIncrementalAuth}
	if e := v.LastError; e != nil {
		pi.lastError = &paymentError{typ: e.Type, code: e.Code, declineCode: e.DeclineCode, message: e.Message,
			charge: e.Charge, paymentMethod: e.PaymentMethod}
	}
	return pi
}

func restoreCharge(v SavedCharge, m meta) *charge {
	ch := &charge{meta: m, amount: v.Amount, amountCaptured: v.AmountCaptured, amountRefunded: v.AmountRefunded,
		currency: v.Currency, status: v.Status, paid: v.Paid, captured: v.Captured, refunded: v.Refunded,
		paymentIntent: v.PaymentIntent, paymentMethod: v.PaymentMethod, brand: v.Brand, last4: v.Last4,
		failureCode: v.FailureCode, failureMessage: v.FailureMessage, declineCode: v.DeclineCode,
		applicationFee: v.ApplicationFee, metadata: v.Metadata, pmType: v.PaymentMethodType,
		captureMethod: v.CaptureMethod, description: v.Description, receiptEmail: v.ReceiptEmail, receiptURL: v.ReceiptURL,
		statementDescriptor: v.StatementDescriptor, statementDescriptorSuffix: v.StatementDescriptorSuffix,
		calculatedDescriptor: v.CalculatedDescriptor, onBehalfOf: v.OnBehalfOf, transferDest: v.TransferDestination,
		transferAmount: v.TransferAmount, transferGroup: v.TransferGroup, applicationFeeID: v.ApplicationFeeID,
		cvm: v.CVM, authCode: v.AuthorizationCode, outcomeType: v.OutcomeType, outcomeReason: v.OutcomeReason,
		sellerMessage: v.SellerMessage}
	if c := v.Card; c != nil {
		ch.card = &testCard{number: c.Number, brand: c.Brand, network: c.Network, funding: c.Funding, country: c.Country,
			cvm: c.CVM, decline: lookupTestCard(c.Number).decline}
	}
	return ch
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
