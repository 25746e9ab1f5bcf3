package app

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/customers"
	"kasse/pos"
)

// Customers is the counter's customers: the methods of *customers.Service
// the console uses (every one from a tea.Cmd). Nil in Deps: the console
// offers no customers.
type Customers interface {
	// Search finds owner's customers (Platform: the wallet) by email or
	// name words.
	Search(ctx context.Context, owner pos.Account, q string) ([]pos.Customer, error)
	Create(ctx context.Context, n customers.NewCustomer) (pos.Customer, error)
	Cards(ctx context.Context, owner pos.Account, customerID string) ([]pos.SavedCard, error)
	// ForSale checks the cashier's choice and builds the sale's customer
	// (looking up the seller's copy of a wallet customer); bad input is a
	// *customers.BadInput.
	ForSale(ctx context.Context, ch customers.Choice) (*pos.SaleCustomer, error)
	// Remove detaches customer c's saved card and its clones at the
	// sellers (a supervisor's: the PIN is checked first).
	Remove(ctx context.Context, c pos.Customer, cardID string) (customers.Removed, error)
	RecentSales(ctx context.Context, ids []string, limit int) ([]pos.Sale, error)
}

// OpenCustomersMsg asks the root for the customers screen above the one
// on top: to choose the customer of draft sale SaleID at Seller, or, with
// SaleID "", to look customers up (Seller: the seller chosen, or nil).
type OpenCustomersMsg struct {
	Seller *pos.Seller
	SaleID string
}

// CustomerChosenMsg is the customer chosen for draft sale SaleID; Sale
// nil takes the customer off the sale.
type CustomerChosenMsg struct {
	SaleID   string
	Customer pos.Customer
	Sale     *pos.SaleCustomer
}

// OpenCustomers asks the root for the customers screen.
func OpenCustomers(seller *pos.Seller, saleID string) tea.Cmd {
	return Emit(OpenCustomersMsg{Seller: seller, SaleID: saleID})
}
