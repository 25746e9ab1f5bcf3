package app_test

import (
	"kasse/readers"
	"kasse/reports"
	"kasse/supervisor"
	"kasse/ui/app"
	"kasse/ui/internal/uitest"
)

// The application packages satisfy the back office's interfaces directly:
// the composition root wires them without adapters.
var (
	_ app.Guard      = (*supervisor.Guard)(nil)
	_ app.Supervisor = (*supervisor.Service)(nil)
	_ app.Reports    = (*reports.Searcher)(nil)
	_ app.Fleet      = (*readers.Fleet)(nil)
)

// So do the fakes the tests use.
var (
	_ app.Guard      = (*uitest.FakeGuard)(nil)
	_ app.Supervisor = (*uitest.FakeSupervisor)(nil)
	_ app.Reports    = (*uitest.FakeReports)(nil)
	_ app.Fleet      = (*uitest.FakeFleet)(nil)
	_ app.Saver      = (*uitest.FakeSaver)(nil)
)
