package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Persistence (Options.StateFile, `kasse sandbox --state FILE`). The whole
// state — every stored object, the creation counter, the platform id and
// the completed idempotency keys — is written as one versioned JSON
// document (SavedState) after every executed POST or DELETE and on Close,
// and read back by New. Writes are atomic: a temporary file in the same
// directory, fsynced, renamed over the old one; the file is mode 0600.
//
// How a write happens: the saver takes saveMu, snapshots the state into
// the Saved* mirrors under mu (and the idempotency keys under idemMu),
// releases them, and marshals and writes outside both locks. saveMu
// serialises writes, and because each write snapshots the state when it
// starts, the last write on disk is never older than an earlier one.
// A failed write is logged; the request that caused it has already taken
// effect and is answered normally (Close returns the error).
//
// Cost: every write rewrites the whole document, so it grows with the
// state (BenchmarkStateFileWrite: about 7 ms with 100 paid sales, 1.1 MB;
// about 50 ms with 1,000, 11 MB, on a 2-core VM). Events and idempotency
// keys, which never change, are encoded once and cached (encodeState).
// Fine for a demo or training sandbox; not meant for load tests (run those
// without a state file).
//
// What is not persisted, and how it comes back:
//
//   - Timers. Options.AutoPresent and Options.AuthorizationDelay schedule
//     work in memory only. A pending auto-present is simply not scheduled
//     again: the action waits for present_payment_method. An action that
//     was authorizing a presented card ("presenting", the reader busy) at
//     the last write is loaded as in_progress and no longer presenting —
//     the card was never settled, no charge exists, and the client can
//     present a card again or cancel the action. (Settling it on load
//     would need the presented number and tip, which only the timer knew.)
//   - Changes made without an HTTP request — timer outcomes and
//     CustomerCancel — are written by the next request's write or by
//     Close, not at the moment they happen.
//   - Idempotency keys still in flight (no answer yet) and keys older
//     than 24 hours are dropped; completed keys replay after a restart.
//   - Options (faults, clock, delays, the seed name): a loaded file
//     ignores Options.Seed.

// ErrStateInUse is returned by New when another sandbox (another process)
// holds the state file.
var ErrStateInUse = errors.New("in use by another sandbox (another kasse running?)")

// ErrStateUnusable is in the chain of New's error when the state file was
// read but cannot be used (corrupt, or written by another version): moving
// it aside starts a fresh sandbox. A file that cannot be read at all
// (permissions) is an *fs.PathError instead.
var ErrStateUnusable = errors.New("unusable sandbox state")

// unusableError marks a decoding or restoring failure as ErrStateUnusable
// without changing its message.
type unusableError struct{ err error }

func (e unusableError) Error() string   { return e.err.Error() }
func (e unusableError) Unwrap() []error { return []error{e.err, ErrStateUnusable} }

// openState loads opts.StateFile into s, or seeds s (opts.Seed) and writes
// the file when it does not exist yet. Called by New before serving.
func (s *Server) openState() (err error) {
	path := s.opts.StateFile
	release, err := lockStateFile(path)
	if err != nil {
		return err
	}
	s.unlock = release
	defer func() {
		if err != nil {
			s.releaseState()
		}
	}()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.seed(s.opts.Seed); err != nil {
			return err
		}
		return s.saveState()
	}
	if err != nil {
		return fmt.Errorf("sandbox: state file %s: %w", path, err)
	}
	saved, err := decodeState(b)
	if err != nil {
		return fmt.Errorf("sandbox: state file %s: %w", path, unusableError{err})
	}
	st, idem, err := restoreState(saved, s.opts.Now())
	if err != nil {
		return fmt.Errorf("sandbox: state file %s: %w", path, unusableError{err})
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	s.idemMu.Lock()
	s.idem = idem
	s.idemMu.Unlock()
	return nil
}

// persistAfter writes the state after an executed state-changing request.
// A failure is logged: the request has taken effect and is answered.
func (s *Server) persistAfter(rq *request) {
	if s.opts.StateFile == "" || rq.Method == http.MethodGet {
		return
	}
	if err := s.saveState(); err != nil {
		s.log.Error("state file not written", "path", s.opts.StateFile, "err", err)
	}
}

// Close writes the state file one last time and releases its lock
// (Options.StateFile; nothing to do without one). ListenAndServe calls
// Close after shutting down. The server still answers requests after
// Close, but another sandbox may now take the file.
func (s *Server) Close() error {
	if s.opts.StateFile == "" {
		return nil
	}
	err := s.saveState()
	s.releaseState()
	return err
}

// releaseState releases the state file's lock, once.
func (s *Server) releaseState() {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if s.unlock != nil {
		s.unlock()
		s.unlock = nil
	}
}

// saveState snapshots the state and writes it atomically.
func (s *Server) saveState() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	saved := snapshotState(s.st)
	s.mu.Unlock()
	now := s.opts.Now()
	s.idemMu.Lock()
	saved.Idempotency = snapshotIdem(s.idem, now)
	s.idemMu.Unlock()
	b, err := s.encodeState(saved)
	if err != nil {
		return fmt.Errorf("sandbox: state file %s: %w", s.opts.StateFile, err)
	}
	if err := writeFileAtomic(s.opts.StateFile, append(b, '\n')); err != nil {
		return fmt.Errorf("sandbox: state file %s: %w", s.opts.StateFile, err)
	}
	return nil
}

// encodeState is json.Marshal(saved), made cheap where the state is big:
// events and completed idempotency keys never change once stored, so each
// is encoded once and kept (s.encoded, under saveMu) and the two arrays are
// joined from those bytes. Only the mutable objects are encoded each time.
func (s *Server) encodeState(saved *SavedState) ([]byte, error) {
	events, idem := saved.Events, saved.Idempotency
	saved.Events, saved.Idempotency = nil, nil
	b, err := json.Marshal(saved) // both omitted (omitempty)
	saved.Events, saved.Idempotency = events, idem
	if err != nil {
		return nil, err
	}
	next := make(map[string][]byte, len(events)+len(idem))
	size := len(b) + 64
	for _, enc := range s.encoded {
		size += len(enc) + 1
	}
	b = append(make([]byte, 0, size+size/8), b[:len(b)-1]...) // reopen the object
	var werr error
	appendItems := func(name string, n int, key func(int) string, item func(int) any) {
		b = append(b, `,"`+name+`":[`...)
		for i := 0; i < n; i++ {
			k := key(i)
			enc, ok := s.encoded[k]
			if !ok {
				var merr error
				if enc, merr = json.Marshal(item(i)); merr != nil {
					werr = errors.Join(werr, merr) // the document is not written
					continue
				}
			}
			next[k] = enc
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, enc...)
		}
		b = append(b, ']')
	}
	appendItems("events", len(events), func(i int) string { return "evt\x00" + events[i].ID },
		func(i int) any { return &events[i] })
	appendItems("idempotency", len(idem), func(i int) string {
		e := &idem[i]
		return "idem\x00" + e.Account + "\x00" + e.Key + "\x00" + e.Created.Format(time.RFC3339Nano)
	}, func(i int) any { return &idem[i] })
	if werr != nil {
		return nil, werr
	}
	s.encoded = next // entries of events and keys no longer kept are dropped
	return append(b, '}'), nil
}

// writeFileAtomic replaces path with data: a temporary file (mode 0600) in
// the same directory, synced, then renamed over path.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		_ = f.Close()
		return err
	}
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable (best effort)
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// decodeState parses a state file: the version first (so a newer file
// gets a version error, not an unknown-field one), then the document
// strictly (unknown fields and trailing data are corruption).
func decodeState(b []byte) (*SavedState, error) {
	var head struct {
		Version    *int   `json:"version"`
		APIVersion string `json:"api_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("corrupt (not a JSON object): %v", err)
	}
	if head.Version == nil {
		return nil, errors.New("corrupt: no \"version\"")
	}
	if *head.Version != stateVersion {
		return nil, fmt.Errorf("version %d is not supported (this kasse reads version %d); move the file away to start afresh",
			*head.Version, stateVersion)
	}
	if head.APIVersion != APIVersion {
		return nil, fmt.Errorf("it holds API version %q objects; this sandbox speaks %s", head.APIVersion, APIVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var saved SavedState
	if err := dec.Decode(&saved); err != nil {
		return nil, fmt.Errorf("corrupt: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("corrupt: data after the document")
	}
	return &saved, nil
}
