package customers_test

import (
	"strings"
	"testing"
	"time"

	"kasse/checkout"
	"kasse/i18n"
	"kasse/pos"
	"kasse/ui/internal/uitest"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// register is a console at Bäckerei Müller's register with the demo
// customers, a coffee rung up; the runner carries out a customer's sale
// over the fake customers port and keeps the sales in journal.
func register(t *testing.T, loc *i18n.Locale) (*uitest.Harness, *uitest.FakeCustomerPort, *uitest.MemJournal) {
	t.Helper()
	d, _ := uitest.RegisterDeps()
	svc, port := uitest.DemoCustomers()
	j := &uitest.MemJournal{}
	d.Customers, d.Locale = svc, loc
	d.Runner = &checkout.Runner{Terminal: d.Terminal, Payments: d.Payments, Customers: port, Journal: j,
		Now: func() time.Time { return uitest.Now }}
	h := uitest.New(t, d)
	h.Keys("text:bäck", "enter", "enter", "enter")
	if loc == nil {
		h.MustBeOn("Register")
	} else {
		h.MustBeOn(loc.T("sale.register.title"))
	}
	h.Keys("c")
	return h, port, j
}

// The cashier attaches a wallet regular to the sale and pays with her
// saved card: search, open, choose the card, enter.
func TestRegisterCustomerPaysWithSavedCard(t *testing.T) {
	h, port, j := register(t, nil)
	h.Keys("ctrl+k")
	h.MustBeOn("Customer for this sale")
	h.Contains("Bäckerei Müller and the platform wallet", "2 customers", "Mara Lindqvist", "Platform wallet", "Jonas Weber", "at Bäckerei Müller")
	h.Golden("customers_search_sale")
	h.Keys("text:mara", "enter")
	h.Contains("1 customer", "Mara Lindqvist")
	h.Keys("enter")
	h.MustBeOn("Mara Lindqvist")
	h.Contains("Pay with", "a card on the reader", "visa •••• 4242 · 12/2029", "mastercard •••• 4444 · 1/2025 (expired)")
	h.Golden("customers_detail_sale")
	// The expired card is refused with its reason, nothing sent.
	h.Keys("down", "down", "enter")
	h.Contains("The saved card has expired (mastercard •••• 4444 · 1/2025 (expired))")
	h.Keys("up", "enter")
	h.MustBeOn("Register")
	h.Contains("Mara Lindqvist · visa ••4242", "receipt → mara@example.com")
	// Enter: the card is shared with Bäckerei Müller, the customer copied
	// there with it, the card charged — no reader — and the copy named on
	// the wallet customer.
	h.Keys("enter")
	h.Contains("APPROVED", "VISA ····4242", "Stripe emails the receipt to mara@example.com")
	if calls := strings.Join(port.Calls(), ","); calls != "ShareCard pm_visa,CreateCustomer Mara Lindqvist,SetCustomerMetadata cus_mara" {
		t.Fatalf("calls %s", calls)
	}
	var sale pos.Sale
	for _, s := range j.Saved() {
		sale = s
	}
	if sale.State != pos.SaleApproved || sale.Request.SavedCard != "pm_shared_pm_visa" || sale.Customer.Wallet != "cus_mara" ||
		sale.ReaderID != "tmr_front" || sale.Attempt != 0 {
		t.Fatalf("sale %s request %+v customer %+v attempt %d", sale.State, sale.Request, sale.Customer, sale.Attempt)
	}
	h.Golden("customers_payment_approved")
}

// Saving the card presented on the reader needs the customer's consent,
// asked first; a customer without email says so.
func TestRegisterSaveCardAfterConsent(t *testing.T) {
	h, _, _ := register(t, nil)
	h.Keys("ctrl+k", "text:jonas", "enter", "enter")
	h.MustBeOn("Jonas Weber")
	h.Contains("no email on file", "amex •••• 0005")
	h.Keys("ctrl+s")
	if h.M.Asking() != "Save the card?" {
		t.Fatalf("no consent question: %q\n%s", h.M.Asking(), h.View())
	}
	h.Golden("customers_consent")
	h.Keys("y")
	h.Contains("✓ save the card for next time (customer agreed)")
	// Saving is for the reader's card only.
	h.Keys("down", "ctrl+s")
	h.Contains("Only a card presented on the reader can be saved")
	h.Keys("up", "enter")
	h.MustBeOn("Register")
	h.Contains("Jonas Weber · saves the card", "who has no email on file")
}

// Looking customers up from the seller list: the wallet, a customer's
// cards and recent sales at every seller; removing a card needs a
// supervisor's PIN.
func TestBrowseAndRemoveCard(t *testing.T) {
	o := uitest.OfficeDeps()
	svc, port := uitest.DemoCustomers()
	o.D.Customers = svc
	h := uitest.New(t, o.D)
	h.Keys("f6")
	h.MustBeOn("Customers")
	h.Contains("Platform wallet", "Mara Lindqvist")
	h.Lacks("Jonas Weber") // a seller's own: not in the wallet
	h.Golden("customers_search")
	h.Keys("enter")
	h.MustBeOn("Mara Lindqvist")
	h.Contains("Saved cards", "visa •••• 4242", "Recent sales (this console)", "Ramen Ichiban", "¥1,980", "approved")
	h.Golden("customers_detail")
	h.Keys("delete")
	h.MustBeOn("Remove saved card")
	h.Contains("Remove visa •••• 4242 · 12/2029 from Mara Lindqvist's saved cards?", "A supervisor confirms with their PIN.")
	h.Golden("customers_remove")
	// A cashier may not.
	h.Keys("ctrl+u", "text:anna", "tab", "text:1111", "enter")
	h.Contains("anna is a cashier; this needs a supervisor.")
	if calls := port.Calls(); len(calls) != 0 {
		t.Fatalf("a refused PIN sent %v", calls)
	}
	h.Keys("tab", "ctrl+u", "text:bea", "tab", "text:2468", "enter")
	h.MustBeOn("Mara Lindqvist")
	h.Contains("was removed from Mara Lindqvist's saved cards")
	if calls := port.Calls(); strings.Join(calls, ",") != "DetachCard pm_visa" {
		t.Fatalf("calls %v", calls)
	}
	h.Lacks("▸ visa •••• 4242", "  visa •••• 4242")
}

// A new customer: the name is required, the email checked.
func TestNewCustomer(t *testing.T) {
	h, port, _ := register(t, nil)
	h.Keys("ctrl+k", "ctrl+n")
	h.MustBeOn("New customer")
	h.Golden("customers_new")
	h.Keys("enter")
	h.Contains("Type the customer's name.")
	h.Keys("text:Noor Haddad", "tab", "text:noor@", "enter")
	h.Contains("That is not an email address: \"noor@\".")
	h.Keys("text:example.com", "enter")
	h.MustBeOn("Noor Haddad")
	if calls := port.Calls(); strings.Join(calls, ",") != "CreateCustomer Noor Haddad" {
		t.Fatalf("calls %v", calls)
	}
	var made pos.Customer
	for _, c := range port.Customers {
		if c.Name == "Noor Haddad" {
			made = c
		}
	}
	if made.Email != "noor@example.com" || !made.Account.IsPlatform() {
		t.Fatalf("made %+v", made)
	}
}

// The customer screens in German.
func TestGermanCustomers(t *testing.T) {
	h, _, _ := register(t, i18n.New(i18n.German))
	h.Keys("ctrl+k")
	h.MustBeOn("Kunde für diesen Verkauf")
	h.Contains("Bäckerei Müller und Plattform-Wallet", "2 Kunden", "Plattform-Wallet", "bei Bäckerei Müller")
	h.Golden("customers_search_sale_de")
	h.Keys("text:mara", "enter", "enter")
	h.Contains("Zahlt mit", "einer Karte am Lesegerät", "visa •••• 4242, gültig bis 12/2029", "(abgelaufen)")
	h.Golden("customers_detail_sale_de")
	h.Keys("ctrl+s")
	h.Golden("customers_consent_de")
}

// The customers screen from the seller list, the new customer form and
// the removal of a card, in German.
func TestGermanCustomersBrowse(t *testing.T) {
	o := uitest.OfficeDeps()
	svc, _ := uitest.DemoCustomers()
	o.D.Customers, o.D.Locale = svc, i18n.New(i18n.German)
	h := uitest.New(t, o.D)
	h.Keys("f6")
	h.MustBeOn("Kunden")
	h.Golden("customers_search_de")
	h.Keys("enter")
	h.MustBeOn("Mara Lindqvist")
	h.Golden("customers_detail_de")
	h.Keys("delete")
	h.Golden("customers_remove_de")
	h.Keys("esc", "esc", "ctrl+n")
	h.Golden("customers_new_de")
}
