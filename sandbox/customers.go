package sandbox

import (
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/store"
)

// Customers (stripe-api.md §12; seeds 001, 003, 004): create, retrieve,
// update, delete, list (with the exact, case-sensitive email filter) and
// list a customer's PaymentMethods. A customer belongs to the request's
// account like every other object: the platform's wallet customers live on
// the platform, a seller's on the seller (Stripe-Account).
//
// Decisions (UNVERIFIED where Stripe does not document them):
//   - A deleted customer is retrieved as the deleted stub {id, object,
//     deleted: true} (the spec's GET answers anyOf customer,
//     deleted_customer); updating or deleting it again is 404
//     resource_missing, and lists leave it out.
//   - Deleting a customer detaches its PaymentMethods (each becomes
//     unusable, as a detached one is) with a payment_method.detached event.
//   - email is checked as Stripe checks receipt_email (code email_invalid).
//   - The parameters are the subset a point of sale uses; others are
//     parameter_unknown, as for every route of the sandbox.

// customer is a customer in its 2023-10-16 shape (every property of
// stripe-mock's fixture; the includable lists — sources, subscriptions,
// tax_ids — and cash_balance, invoice_credit_balance, tax only appear
// when expanded, and the sandbox expands none of them).
type customer struct {
	store.Meta
	Object              string              `json:"object"`
	Address             *addressJSON        `json:"address"`
	Balance             int64               `json:"balance"`
	Created             int64               `json:"created"`
	Currency            *string             `json:"currency"`
	DefaultSource       any                 `json:"default_source"`
	Delinquent          bool                `json:"delinquent"`
	Description         *string             `json:"description"`
	Discount            any                 `json:"discount"`
	Email               *string             `json:"email"`
	InvoicePrefix       string              `json:"invoice_prefix"`
	InvoiceSettings     invoiceSettingsJSON `json:"invoice_settings"`
	Livemode            bool                `json:"livemode"`
	Metadata            map[string]string   `json:"metadata"`
	Name                *string             `json:"name"`
	NextInvoiceSequence int64               `json:"next_invoice_sequence"`
	Phone               *string             `json:"phone"`
	PreferredLocales    []string            `json:"preferred_locales"`
	Shipping            any                 `json:"shipping"`
	TaxExempt           string              `json:"tax_exempt"`
	TestClock           any                 `json:"test_clock"`
}

func (*customer) objectType() string { return "customer" }

// invoiceSettingsJSON is invoice_setting_customer_setting.
type invoiceSettingsJSON struct {
	CustomFields         any `json:"custom_fields"`
	DefaultPaymentMethod ref `json:"default_payment_method"`
	Footer               any `json:"footer"`
	RenderingOptions     any `json:"rendering_options"`
}

// customerExpandable: default_source and test_clock are never set (null).
var customerExpandable = []string{"default_source", "invoice_settings.default_payment_method", "test_clock"}

// customerParams are the parameters create and update share.
var customerParams = []string{"name", "email", "description", "phone", "metadata", "invoice_settings", "preferred_locales"}

// renderCustomer renders c (the deleted stub once deleted).
func (s *Server) renderCustomer(c *customer, exp *expand.Tree) any {
	if c.Deleted {
		return &deletedJSON{ID: c.ID, Object: "customer", Deleted: true}
	}
	sub := exp.Sub("invoice_settings").Sub("default_payment_method")
	if sub == nil {
		return c
	}
	cp := *c
	if pm, ok := s.st.paymentMethods.Get(refID(c.InvoiceSettings.DefaultPaymentMethod)); ok {
		cp.InvoiceSettings.DefaultPaymentMethod = s.renderPaymentMethod(pm, sub)
	}
	return &cp
}

// customerRef renders an expandable customer field: the id, or the
// customer when expanded.
func (s *Server) customerRef(r ref, exp *expand.Tree) ref {
	if exp == nil {
		return r
	}
	if c, ok := s.st.customers.Get(refID(r)); ok {
		return s.renderCustomer(c, exp)
	}
	return r
}

// findCustomer looks a live customer up in account (a parameter naming
// one: param; "" for the path's id).
func (s *Server) findCustomer(account, id, param string) (*customer, *apierr.Error) {
	c, ok := s.st.customers.Get(id)
	if !ok || c.Account != account || c.Deleted {
		e := apierr.NoSuch("customer", id)
		if param != "" {
			e.Param = param
		}
		return nil, e
	}
	return c, nil
}

// applyCustomerFields reads the fields create and update share into c.
func applyCustomerFields(p *form.Params, c *customer) *apierr.Error {
	for _, f := range []struct {
		name string
		max  int
		dst  **string
	}{{"name", 256, &c.Name}, {"description", 350, &c.Description}, {"phone", 20, &c.Phone}} {
		if v, ok, err := form.String(p, f.name, f.name, f.max); err != nil {
			return err
		} else if ok {
			*f.dst = nullString(v)
		}
	}
	if v, ok, err := receiptEmail(p, "email"); err != nil {
		return err
	} else if ok {
		c.Email = nullString(v)
	}
	md, err := form.Metadata(p, c.Metadata)
	if err != nil {
		return err
	}
	c.Metadata = md
	if l := p.Child("preferred_locales"); l != nil {
		if l.IsLeaf() && l.Value() != "" {
			return apierr.InvalidParam("preferred_locales", "Invalid array")
		}
		c.PreferredLocales = append([]string{}, l.Strings()...)
	}
	return nil
}

// defaultPaymentMethod reads invoice_settings[default_payment_method]: a
// PaymentMethod attached to c ("" unsets it).
func (s *Server) defaultPaymentMethod(p *form.Params, c *customer) *apierr.Error {
	is := p.Child("invoice_settings")
	if is == nil {
		return nil
	}
	if err := form.Object(is, "invoice_settings"); err != nil {
		return err
	}
	if err := form.Only(is, "invoice_settings", "default_payment_method"); err != nil {
		return err
	}
	d := is.Child("default_payment_method")
	if d == nil {
		return nil
	}
	id := d.Value()
	if id == "" {
		c.InvoiceSettings.DefaultPaymentMethod = nil
		return nil
	}
	pm, ok := s.st.paymentMethods.Get(id)
	if !ok || pm.Account != c.Account || refID(pm.Customer) != c.ID {
		return apierr.InvalidParam("invoice_settings[default_payment_method]",
			"The customer does not have a payment method with the ID %s. The payment method must be attached to the customer.", id)
	}
	c.InvoiceSettings.DefaultPaymentMethod = id
	return nil
}

func (s *Server) createCustomer(rq *request) (any, *apierr.Error) {
	p := rq.Params
	if err := expand.Check(rq.Expand, customerExpandable); err != nil {
		return nil, err
	}
	c := &customer{Object: "customer", InvoicePrefix: strings.ToUpper(randomString(8)), NextInvoiceSequence: 1,
		PreferredLocales: []string{}, TaxExempt: "none", Metadata: map[string]string{}}
	if err := applyCustomerFields(p, c); err != nil {
		return nil, err
	}
	// payment_method: attached at creation (the PaymentMethod must be of
	// this account and attachable, exactly as for attach).
	var pm *paymentMethod
	if id := p.Child("payment_method").Value(); id != "" {
		var err *apierr.Error
		if pm, err = s.attachablePaymentMethod(rq, id, "payment_method"); err != nil {
			return nil, err
		}
	}
	c.Meta = s.newMeta("cus", rq.Account)
	c.ID = "cus_" + randomString(14) // Stripe's customer ids are 14 characters
	c.Created = rq.Now.Unix()
	if pm != nil {
		pm = s.attachPaymentMethod(rq, pm, c) // a test PaymentMethod becomes a new one
	}
	if err := s.defaultPaymentMethod(p, c); err != nil {
		return nil, err
	}
	put(s, s.st.customers, c)
	s.emit(rq, c.Account, "customer.created", c, nil)
	if pm != nil {
		s.emit(rq, pm.Account, "payment_method.attached", pm, nil)
	}
	return s.renderCustomer(c, rq.Expand), nil
}

// findCustomerOrDeleted looks a customer up in the request's account, a
// deleted one too (GET answers its deleted stub).
func (s *Server) findCustomerOrDeleted(rq *request, id string) (*customer, *apierr.Error) {
	c, ok := s.st.customers.Get(id)
	if !ok || !owned(c, rq) {
		return nil, apierr.NoSuch("customer", id)
	}
	return c, nil
}

func (s *Server) getCustomer(rq *request) (any, *apierr.Error) {
	return retrieve(rq, customerExpandable, s.findCustomerOrDeleted, s.renderCustomer)
}

func (s *Server) updateCustomer(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, customerExpandable); err != nil {
		return nil, err
	}
	c, err := s.findCustomer(rq.Account, rq.ID, "")
	if err != nil {
		return nil, err
	}
	next := *c // validate everything before changing anything
	if err := applyCustomerFields(rq.Params, &next); err != nil {
		return nil, err
	}
	if err := s.defaultPaymentMethod(rq.Params, &next); err != nil {
		return nil, err
	}
	prev := customerDiff(c, &next)
	s.touch(c)
	*c = next
	if len(prev) > 0 {
		s.emit(rq, c.Account, "customer.updated", c, prev)
	}
	return s.renderCustomer(c, rq.Expand), nil
}

// customerDiff is data.previous_attributes of a customer.updated event:
// the fields update changed, as they were.
func customerDiff(old, next *customer) map[string]any {
	prev := map[string]any{}
	for _, f := range []struct {
		name      string
		was, will *string
	}{{"name", old.Name, next.Name}, {"email", old.Email, next.Email}, {"description", old.Description, next.Description}, {"phone", old.Phone, next.Phone}} {
		if str(f.was) != str(f.will) {
			prev[f.name] = f.was
		}
	}
	if !sameMap(old.Metadata, next.Metadata) {
		m := map[string]any{}
		for k, v := range old.Metadata {
			if next.Metadata[k] != v {
				m[k] = v
			}
		}
		for k := range next.Metadata {
			if _, had := old.Metadata[k]; !had {
				m[k] = nil
			}
		}
		prev["metadata"] = m
	}
	if refID(old.InvoiceSettings.DefaultPaymentMethod) != refID(next.InvoiceSettings.DefaultPaymentMethod) {
		prev["invoice_settings"] = map[string]any{"default_payment_method": old.InvoiceSettings.DefaultPaymentMethod}
	}
	return prev
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func (s *Server) deleteCustomer(rq *request) (any, *apierr.Error) {
	c, err := s.findCustomer(rq.Account, rq.ID, "")
	if err != nil {
		return nil, err
	}
	for pm := range s.st.paymentMethods.Newest(c.Account) {
		if refID(pm.Customer) == c.ID {
			s.detachPaymentMethod(rq, pm)
		}
	}
	s.touch(c)
	c.Deleted = true
	s.emit(rq, c.Account, "customer.deleted", c, nil)
	return s.renderCustomer(c, nil), nil
}

// listCustomers: newest first; filters email (exact and case-sensitive,
// as Stripe documents it) and created.
func (s *Server) listCustomers(rq *request) (any, *apierr.Error) {
	created, pg, err := parseList(rq, customerExpandable)
	if err != nil {
		return nil, err
	}
	email, hasEmail, err := form.String(rq.Params, "email", "email", 512)
	if err != nil {
		return nil, err
	}
	return listTable(s, rq, s.st.customers, pg, func(c *customer) bool {
		return !c.Deleted && created.Match(c.Created) && (!hasEmail || str(c.Email) == email)
	}, "/v1/customers", s.renderCustomer)
}

// listCustomerPaymentMethods: GET /v1/customers/{id}/payment_methods, the
// customer's attached PaymentMethods, newest first; filter type.
func (s *Server) listCustomerPaymentMethods(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", paymentMethodExpandable)); err != nil {
		return nil, err
	}
	c, err := s.findCustomer(rq.Account, rq.ID, "customer")
	if err != nil {
		return nil, err
	}
	return s.listPaymentMethodsOf(rq, c, "/v1/customers/"+c.ID+"/payment_methods")
}
