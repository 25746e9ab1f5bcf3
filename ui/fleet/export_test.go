package fleet

import (
	"kasse/pos"
	"kasse/ui/widgets"
)

// Test access to the reader screens (compiled into this package's tests
// only).

type (
	FleetScreen       = fleetScreen
	ReaderDetail      = readerDetailScreen
	PairScreen        = pairScreen
	TestPaymentScreen = testTxnScreen

	FleetTick  = fleetTickMsg
	ReaderTick = readerTickMsg
)

// SelectReader puts the cursor on reader id; false when it is not listed.
func (s *fleetScreen) SelectReader(id string) bool {
	for i, ref := range s.flat {
		if s.groups[ref.g].Readers[ref.r].ID == id {
			s.sel = i
			return true
		}
	}
	return false
}

func (s *readerDetailScreen) Reader() pos.Reader { return s.r }

// NewLocation reports whether "＋ new location" is chosen.
func (s *pairScreen) NewLocation() bool { return s.isNew() }

func (s *pairScreen) Field(label string) *widgets.Field {
	for _, f := range s.form.Fields {
		if f.Label == label {
			return f
		}
	}
	return nil
}

func (s *testTxnScreen) AmountField() *widgets.Field { return s.amount }
