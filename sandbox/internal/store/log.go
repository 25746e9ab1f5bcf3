package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// The state file (Options.StateFile) is a log: JSON Lines, each line
// valid JSON, so `jq` reads it.
//
//	{"format":"kasse-sandbox-state","version":2,"api_version":"2023-10-16","platform_id":"acct_…"}
//	{"crc":"1c291ca3","r":{"seq":41,"items":[{"type":"payment_intent","account":"acct_…","seq":41,"object":{…}}],"idempotency":[…]}}
//	…
//
// The first line is the header. Every other line is one record: the
// objects one request (or one timer) created or changed, each with its API
// JSON, and the idempotency key it completed; "crc" is the CRC-32C of the
// bytes of "r" as written. Loading applies the records in order, a later
// version of an object replacing an earlier one.
//
// Crash safety: a record is written with one write(2) before the request
// is answered, so a SIGKILL loses at most the request in flight; a last
// line that is torn (no newline, or a CRC that does not match) is that
// request, and is cut off when the log is opened. A bad line anywhere else
// is corruption, and the file is refused, never rewritten. Appends are not
// fsynced (a power cut may lose the last moments; compaction and Close
// sync).
//
// A record line is framed and built in record.go; compaction is in
// compact.go.

// Format and Version name the file format this package writes.
const (
	Format  = "kasse-sandbox-state"
	Version = 2
)

// ErrInUse is returned by Open when another process holds the file.
var ErrInUse = errors.New("in use by another sandbox (another kasse running?)")

// Header is the first line of a state file.
type Header struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	APIVersion string `json:"api_version"`
	PlatformID string `json:"platform_id"`
}

// Log is an open state file, locked against other processes.
type Log struct {
	// MinGarbage is the least garbage that makes the log worth compacting
	// (CompactMin unless set).
	MinGarbage int64

	path    string
	f       *os.File // open for appending once loaded
	unlock  func()
	size    int64 // bytes in the file
	garbage int64 // bytes no longer live (Superseded)
	broken  error // an append failed and could not be undone: rewrite before appending again
}

// Open locks path (ErrInUse if another process holds it) and opens it. A
// missing file is not an error: the Log is then empty (Exists false) and
// Rewrite creates it.
func Open(path string) (*Log, error) {
	unlock, err := lockStateFile(path)
	if err != nil {
		return nil, err
	}
	l := &Log{MinGarbage: CompactMin, path: path, unlock: unlock}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err == nil {
		if err = f.Chmod(0o600); err != nil { // the state holds what the sandbox was told; keep it private
			_ = f.Close()
		}
	}
	if err != nil {
		l.Close()
		return nil, l.errorf("%w", err)
	}
	l.f = f
	return l, nil
}

// Exists reports whether the file existed when it was opened (or has been
// written since).
func (l *Log) Exists() bool { return l.f != nil }

// Path is the file's path.
func (l *Log) Path() string { return l.path }

func (l *Log) errorf(format string, args ...any) error {
	return fmt.Errorf("sandbox: state file %s: "+format, append([]any{l.path}, args...)...)
}

// Load reads the header, lets check refuse it, and applies every record
// to apply, in order. A torn last record is cut off the file; any other bad
// line is an error (naming the file and the line), and the file is left as
// it is.
func (l *Log) Load(check func(*Header) error, apply func(*Record) error) (*Header, error) {
	if _, err := l.f.Seek(0, io.SeekStart); err != nil {
		return nil, l.errorf("%w", err)
	}
	r := bufio.NewReaderSize(l.f, 1<<20)
	first, err := r.ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, l.errorf("%w", err)
	}
	h, err := parseHeader(first)
	if err == nil {
		err = check(h)
	}
	if err != nil {
		return nil, l.errorf("%v", err)
	}
	off := int64(len(first))
	for line := 2; ; line++ {
		b, rerr := r.ReadBytes('\n')
		if len(b) == 0 && errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return nil, l.errorf("%w", rerr)
		}
		payload, ok := unframe(b)
		if !ok {
			if _, perr := r.Peek(1); errors.Is(perr, io.EOF) {
				// The last line is torn: the request in flight when the
				// process died. Cut it off.
				if err := l.f.Truncate(off); err != nil {
					return nil, l.errorf("cutting off a torn last record: %w", err)
				}
				break
			}
			return nil, l.errorf("corrupt: line %d (byte %d) is not a valid record, and more follow; move the file away to start afresh", line, off)
		}
		var rec Record
		if err := json.Unmarshal(payload, &rec); err != nil {
			return nil, l.errorf("corrupt: line %d: %v", line, err)
		}
		for i := range rec.Idem {
			if e := &rec.Idem[i]; e.BodyItem != nil {
				if *e.BodyItem < 0 || *e.BodyItem >= len(rec.Items) {
					return nil, l.errorf("corrupt: line %d: body_item %d of %d items", line, *e.BodyItem, len(rec.Items))
				}
				e.Body = rec.Items[*e.BodyItem].Object
			}
		}
		if err := apply(&rec); err != nil {
			return nil, l.errorf("line %d: %v", line, err)
		}
		off += int64(len(b))
	}
	if _, err := l.f.Seek(0, io.SeekEnd); err != nil {
		return nil, l.errorf("%w", err)
	}
	l.size = off
	return h, nil
}

func parseHeader(b []byte) (*Header, error) {
	var h struct {
		Header
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("corrupt (the first line is not a JSON object): %v", err)
	}
	switch {
	case h.Version == nil:
		return nil, errors.New(`corrupt: no "version"`)
	case h.Format == "" && *h.Version == 1:
		return nil, errors.New("written by an older kasse (format 1: one JSON document); this kasse keeps the sandbox's state as a log (format 2) and cannot read it: move the file away to start the sandbox afresh")
	case h.Format != Format:
		return nil, fmt.Errorf("corrupt: format %q, want %q", h.Format, Format)
	case *h.Version != Version:
		return nil, fmt.Errorf("version %d is not supported (this kasse reads version %d); move the file away to start afresh", *h.Version, Version)
	case h.PlatformID == "":
		return nil, errors.New("corrupt: no platform_id")
	}
	h.Header.Version = *h.Version
	return &h.Header, nil
}

// Append writes one record line (see RecordWriter) with one write. A
// failed write is undone (the file cut back); if that fails too, the log
// refuses appends until Rewrite.
func (l *Log) Append(line []byte) error {
	if l.broken != nil {
		return l.broken
	}
	if l.f == nil {
		return l.errorf("not written yet")
	}
	n, err := l.f.Write(line)
	if err == nil {
		l.size += int64(n)
		return nil
	}
	if terr := l.f.Truncate(l.size); terr != nil {
		l.broken = l.errorf("a write failed (%v) and could not be undone (%v): the state is written again in full at the next change", err, terr)
	}
	return l.errorf("%w", err)
}

// Broken reports whether appends are refused until the next Rewrite.
func (l *Log) Broken() bool { return l.broken != nil }

// Size is the file's size in bytes.
func (l *Log) Size() int64 { return l.size }

// Sync flushes the file to disk.
func (l *Log) Sync() error {
	if l.f == nil {
		return nil
	}
	if err := l.f.Sync(); err != nil {
		return l.errorf("%w", err)
	}
	return nil
}

// Close syncs and closes the file and releases the lock (once).
func (l *Log) Close() error {
	var err error
	if l.f != nil {
		err = l.Sync()
		if cerr := l.f.Close(); cerr != nil && err == nil {
			err = l.errorf("%w", cerr)
		}
		l.f = nil
	}
	if l.unlock != nil {
		l.unlock()
		l.unlock = nil
	}
	return err
}
