package sale_test

import (
	"testing"

	"kasse/ui/app"
	"kasse/ui/internal/uitest"
	"kasse/ui/sale"
)

func TestMain(m *testing.M) { uitest.Main(m) }

// The sale flow's screens and session in a harness's console.

func flowOf(h *uitest.Harness) *sale.Flow { return sale.FlowOf(h.M.Screens()) }

func sess(h *uitest.Harness) *app.Session { return flowOf(h).Session() }

// reg is the cashier's register, on screen or kept below the pickers.
func reg(h *uitest.Harness) *sale.RegisterScreen { return flowOf(h).Register() }

// payment is the live view under way (nil: none).
func payment(h *uitest.Harness) *sale.PaymentScreen { return flowOf(h).Payment() }

func receipt(h *uitest.Harness) *sale.ReceiptScreen {
	return sale.Find[*sale.ReceiptScreen](h.M.Screens())
}

func sellersOf(h *uitest.Harness) *sale.SellersScreen {
	return sale.Find[*sale.SellersScreen](h.M.Screens())
}

func locationsOf(h *uitest.Harness) *sale.LocationsScreen {
	return sale.Find[*sale.LocationsScreen](h.M.Screens())
}

func readersOf(h *uitest.Harness) *sale.ReadersScreen {
	return sale.Find[*sale.ReadersScreen](h.M.Screens())
}
