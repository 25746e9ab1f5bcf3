package ui

import (
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
)

// The application packages satisfy the back office's interfaces directly:
// the composition root wires them without adapters.
var (
	_ Guard      = (*supervisor.Guard)(nil)
	_ Supervisor = (*supervisor.Service)(nil)
	_ Reports    = (*reports.Searcher)(nil)
	_ Fleet      = (*readers.Fleet)(nil)
)

// So do the fakes the tests use.
var (
	_ Guard      = (*fakeGuard)(nil)
	_ Supervisor = (*fakeSupervisor)(nil)
	_ Reports    = (*fakeReports)(nil)
	_ Fleet      = (*fakeFleet)(nil)
	_ Saver      = (*fakeSaver)(nil)
)
