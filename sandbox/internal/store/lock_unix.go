//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockStateFile takes an exclusive, non-blocking lock on path+".lock" so
// that two sandboxes never write one state file over each other (each
// holds the whole state in memory; the last writer would win). The lock
// goes with the process if it dies.
func lockStateFile(path string) (release func(), err error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sandbox: state file %s: lock: %w", path, err)
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("sandbox: state file %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("sandbox: state file %s: lock: %w", path, err)
	}
	return func() { _ = syscall.Flock(fd, syscall.LOCK_UN); _ = f.Close() }, nil
}
