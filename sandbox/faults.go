package sandbox

import "kasse/sandbox/internal/faults"

// Fault injection (the machinery is sandbox/internal/faults). These names
// are the package's API for callers: Options.Faults, `kasse sandbox
// --fault`, tests.

// Fault injects one kind of failure into matching requests.
type Fault = faults.Fault

// FaultKind names an injectable failure.
type FaultKind = faults.Kind

// The fault kinds (see faults.Kind).
const (
	FaultLatency              = faults.Latency
	Fault500                  = faults.Status500
	Fault503                  = faults.Status503
	FaultLockTimeout          = faults.LockTimeout
	FaultRateLimit            = faults.RateLimit
	FaultDrop                 = faults.Drop
	FaultReaderOffline        = faults.ReaderOffline
	FaultReaderTimeout        = faults.ReaderTimeout
	FaultReaderTimeoutApplied = faults.ReaderTimeoutApplied
)

// FaultSyntax is the grammar of ParseFault, for command-line help.
const FaultSyntax = faults.Syntax

// ParseFault reads one fault in FaultSyntax (see faults.Syntax), checking
// the route it names against the sandbox's routes.
func ParseFault(spec string) (Fault, error) { return faults.Parse(spec, routeTable) }

// SetFaults replaces the injected faults at run time (tests, demos).
func (s *Server) SetFaults(fs []Fault) { s.faults.Replace(fs) }

// FaultsFired reports how often each configured fault fired.
func (s *Server) FaultsFired() []int { return s.faults.Fired() }
