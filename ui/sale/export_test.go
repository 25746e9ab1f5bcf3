package sale

import (
	tea "github.com/charmbracelet/bubbletea"

	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Test access to the sale flow (compiled into this package's tests only).

type (
	SellersScreen   = sellersScreen
	LocationsScreen = locationsScreen
	ReadersScreen   = readersScreen
	RegisterScreen  = registerScreen
	PaymentScreen   = paymentScreen
	ReceiptScreen   = receiptScreen

	SaleTick    = saleTickMsg
	DisplayTick = displayTickMsg
)

var (
	ValidEmail = validEmail
	RequestIDs = requestIDs
)

// StaleSaleTick is a tick of sale's live view armed as generation gen.
func StaleSaleTick(saleID string, gen int) tea.Msg { return saleTickMsg{saleID: saleID, gen: gen} }

// LocationsLoaded is an answer to a location list for seller.
func LocationsLoaded(seller pos.Account, locs []pos.Location) tea.Msg {
	return locationsLoadedMsg{seller: seller, locations: locs}
}

// FlowOf is the sale flow at the bottom of a session's stack.
func FlowOf(stack []app.Screen) *Flow { return stack[0].(*sellersScreen).flow }

// Find is the topmost screen of type S on the stack (the zero S: none).
func Find[S app.Screen](stack []app.Screen) S {
	var zero S
	for i := len(stack) - 1; i >= 0; i-- {
		if s, ok := stack[i].(S); ok {
			return s
		}
	}
	return zero
}

func (f *Flow) Register() *registerScreen { return f.register }
func (f *Flow) Payment() *paymentScreen   { return f.payment }
func (f *Flow) Session() *app.Session     { return f.sess }
func (f *Flow) Deps() *app.Deps           { return f.deps }
func (f *Flow) Quitting() bool            { return f.quitting }

func (s *sellersScreen) List() *widgets.PickList[pos.Seller]     { return &s.list }
func (s *locationsScreen) List() *widgets.PickList[pos.Location] { return &s.list }
func (s *readersScreen) List() *widgets.PickList[pos.Reader]     { return &s.list }

func (s *registerScreen) Cart() pos.Cart        { return s.cart }
func (s *registerScreen) Entry() pos.DigitEntry { return s.entry }
func (s *registerScreen) Sale() pos.Sale        { return s.sale }
func (s *registerScreen) Seller() pos.Seller    { return s.seller }
func (s *registerScreen) Email() string         { return s.email }
func (s *registerScreen) Qty() int64            { return s.qty }
func (s *registerScreen) DisplayErr() string    { return s.displayErr }

// EditLine is the line being edited in place (-1: none).
func (s *registerScreen) EditLine() int {
	if s.edit == nil {
		return -1
	}
	return s.edit.index
}

func (p *paymentScreen) Sale() pos.Sale   { return p.sale }
func (p *paymentScreen) CardsOpen() bool  { return p.cards != nil }
func (p *paymentScreen) Confirming() bool { return p.confirm }
func (p *paymentScreen) TickGen() int     { return p.tickGen }

func (r *receiptScreen) Sale() pos.Sale { return r.sale }
