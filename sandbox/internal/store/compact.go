package store

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
)

// Compaction: most of what is appended stays live (new objects, events,
// idempotency keys are never rewritten), so the log is compacted when what
// it holds that is no longer live — older versions of objects written
// again, pruned events and keys: its garbage, which the owner reports with
// Superseded — exceeds what is live, and CompactMin. Rewrite then replaces
// it with a snapshot: a new file with the header and the live objects,
// written aside, fsynced and renamed over the log, so a crash during
// compaction leaves the old log. The file thus stays under about twice the
// live state, and each byte written is rewritten about once at most.

// CompactMin is the least garbage (bytes) that makes a log worth
// compacting.
const CompactMin = 4 << 20

// Superseded records that n bytes of the log are no longer live (an older
// version of an object, a pruned event or key).
func (l *Log) Superseded(n int64) { l.garbage += n }

// Garbage is how many bytes of the log are no longer live.
func (l *Log) Garbage() int64 { return l.garbage }

// NeedsCompaction reports whether the log holds more garbage than live
// data (and at least MinGarbage), or a failed append left it broken.
func (l *Log) NeedsCompaction() bool {
	return l.broken != nil || l.garbage >= l.MinGarbage && 2*l.garbage >= l.size
}

// Rewrite replaces the file with h and the records write produces (a
// snapshot), atomically: a temporary file in the same directory (mode
// 0600), fsynced, renamed over the log.
func (l *Log) Rewrite(h *Header, write func(emit func(line []byte) error) error) (err error) {
	dir, base := filepath.Split(l.path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return l.errorf("%w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return l.errorf("%w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	hb, _ := json.Marshal(h)
	size := int64(len(hb) + 1)
	if _, err = w.Write(append(hb, '\n')); err != nil {
		return l.errorf("%w", err)
	}
	if err = write(func(line []byte) error {
		size += int64(len(line))
		_, err := w.Write(line)
		return err
	}); err != nil {
		return l.errorf("%w", err)
	}
	if err = w.Flush(); err != nil {
		return l.errorf("%w", err)
	}
	if err = f.Sync(); err != nil {
		return l.errorf("%w", err)
	}
	if err = os.Rename(f.Name(), l.path); err != nil {
		return l.errorf("%w", err)
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable (best effort)
		_ = d.Sync()
		_ = d.Close()
	}
	if l.f != nil {
		_ = l.f.Close()
	}
	l.f, l.size, l.garbage, l.broken = f, size, 0, nil
	return nil
}
