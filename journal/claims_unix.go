//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
)

// claimFile takes an exclusive, non-blocking flock on path (created if
// need be). release removes the file, then unlocks it.
func claimFile(path string) (release func(), ok bool, err error) {
	for range 5 {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, false, err
		}
		fd := int(f.Fd())
		if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			_ = f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, false, nil
			}
			return nil, false, err
		}
		// Its last holder may have removed the file between our open and
		// our lock: then this lock is on a file nobody else opens. Only a
		// lock on the file the path names counts.
		held, err1 := f.Stat()
		named, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return func() {
				_ = os.Remove(path)
				_ = syscall.Flock(fd, syscall.LOCK_UN)
				_ = f.Close()
			}, true, nil
		}
		_ = f.Close()
	}
	return nil, false, errors.New("the claim file keeps being replaced")
}
