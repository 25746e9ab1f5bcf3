package serve

import (
	"slices"
	"sync"

	"kasse/config"
)

// operators keeps the host's operators as the config file says now: it is
// read again for every new session (config.ReadOperators), so an operator
// taken out of the file is refused at their next connection and a changed
// role or language reaches the next session, without a restart. A file
// that no longer reads keeps the last good list (and the log says why).
type operators struct {
	file string // "": the configuration had no file; the start's list stays
	// demo is the sandbox demo's operators when the server started with
	// them (the file named none): they stay while the file names none,
	// as a restart would give them again.
	demo []config.Operator

	mu   sync.Mutex
	last []config.Operator // the last good list
}

// newOperators starts from cfg's operators (those of the file, or the
// demo's).
func newOperators(cfg *config.Config) *operators {
	o := &operators{last: slices.Clone(cfg.Operators)}
	if !cfg.FileLoaded || cfg.File == "" {
		return o
	}
	o.file = cfg.File
	if ops, err := config.ReadOperators(cfg.File); err == nil && len(ops) == 0 {
		o.demo = o.last
	}
	return o
}

// current reads the file again and returns the operators, and why the
// file was not taken (then the list is the last good one).
func (o *operators) current() ([]config.Operator, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file == "" {
		return o.last, nil
	}
	ops, err := config.ReadOperators(o.file)
	if err != nil {
		return o.last, err
	}
	if len(ops) == 0 {
		ops = o.demo
	}
	o.last = ops
	return ops, nil
}
