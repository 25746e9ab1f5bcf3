package store

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
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
// Compaction: most of what is appended stays live (new objects, events,
// idempotency keys are never rewritten), so the log is compacted when what
// it holds that is no longer live — older versions of objects written
// again, pruned events and keys: its garbage, which the owner reports with
// Superseded — exceeds what is live, and CompactMin. Rewrite then replaces
// it with a snapshot: a new file with the header and the live objects,
// written aside, fsynced and renamed over the log, so a crash during
// compaction leaves the old log. The file thus stays under about twice the
// live state, and each byte written is rewritten about once at most.

// Format and Version name the file format this package writes.
const (
	Format  = "kasse-sandbox-state"
	Version = 2
)

// CompactMin is the least garbage (bytes) that makes a log worth
// compacting.
const CompactMin = 4 << 20

// ErrInUse is returned by Open when another process holds the file.
var ErrInUse = errors.New("in use by another sandbox (another kasse running?)")

// Header is the first line of a state file.
type Header struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	APIVersion string `json:"api_version"`
	PlatformID string `json:"platform_id"`
}

// Record is one line of the log after the header.
type Record struct {
	// Seq is the creation counter after the record.
	Seq   int64       `json:"seq"`
	Items []Item      `json:"items,omitempty"`
	Idem  []IdemEntry `json:"idempotency,omitempty"`
}

// Item is one object as stored: its API JSON and its bookkeeping.
type Item struct {
	Type    string          `json:"type"`
	Account string          `json:"account,omitempty"`
	Seq     int64           `json:"seq"`
	Deleted bool            `json:"deleted,omitempty"`
	Extra   json.RawMessage `json:"x,omitempty"`
	Object  json.RawMessage `json:"object"`
}

// IdemEntry is a completed idempotency key and the answer it replays.
// An answer that is one of the record's objects as written (a create
// answers the object it created) is not written twice: BodyItem is then
// its index in the record's items, and Load fills Body from it.
type IdemEntry struct {
	Account     string          `json:"account,omitempty"`
	Key         string          `json:"key"`
	Fingerprint string          `json:"fingerprint"`
	Status      int             `json:"status"`
	Body        json.RawMessage `json:"body,omitempty"`
	BodyItem    *int            `json:"body_item,omitempty"`
	Created     time.Time       `json:"created"`
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

var crcTable = crc32.MakeTable(crc32.Castagnoli)

const (
	framePrefix = `{"crc":"`
	frameMid    = `","r":`
	frameSuffix = "}\n"
	crcAt       = len(framePrefix)
	payloadAt   = len(framePrefix) + 8 + len(frameMid)
)

// unframe checks a record line and returns its payload.
func unframe(b []byte) ([]byte, bool) {
	if len(b) < payloadAt+len(frameSuffix) || !bytes.HasPrefix(b, []byte(framePrefix)) ||
		string(b[crcAt+8:payloadAt]) != frameMid || !bytes.HasSuffix(b, []byte(frameSuffix)) {
		return nil, false
	}
	var sum [4]byte
	if _, err := hex.Decode(sum[:], b[crcAt:crcAt+8]); err != nil {
		return nil, false
	}
	payload := b[payloadAt : len(b)-len(frameSuffix)]
	want := uint32(sum[0])<<24 | uint32(sum[1])<<16 | uint32(sum[2])<<8 | uint32(sum[3])
	return payload, crc32.Checksum(payload, crcTable) == want
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

// Size is the file's size in bytes.
func (l *Log) Size() int64 { return l.size }

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

// RecordWriter builds record lines without re-encoding the JSON it is
// given: objects and bodies are written as they are (they must be valid,
// compact JSON).
type RecordWriter struct {
	b       []byte
	items   int
	idem    int
	objects [][]byte // the items' objects, to write an answer that is one of them by reference
}

// Begin starts a record whose creation counter ends at seq.
func (w *RecordWriter) Begin(seq int64) {
	w.b = append(w.b[:0], framePrefix...)
	w.b = append(w.b, "00000000"...)
	w.b = append(w.b, frameMid...)
	w.b = append(w.b, `{"seq":`...)
	w.b = strconv.AppendInt(w.b, seq, 10)
	w.items, w.idem = 0, 0
	clear(w.objects)
	w.objects = w.objects[:0]
}

// ItemSize is what an object takes in the log, roughly: its JSON and its
// bookkeeping.
func ItemSize(typ, account string, extra, object []byte) int32 {
	return int32(len(object) + len(extra) + len(typ) + len(account) + 48)
}

// Item adds an object.
func (w *RecordWriter) Item(typ, account string, seq int64, deleted bool, extra, object []byte) {
	if w.idem > 0 {
		panic("store: items after idempotency entries")
	}
	if w.items == 0 {
		w.b = append(w.b, `,"items":[`...)
	} else {
		w.b = append(w.b, ',')
	}
	w.items++
	w.b = append(w.b, `{"type":`...)
	w.b = strconv.AppendQuote(w.b, typ)
	if account != "" {
		w.b = append(w.b, `,"account":`...)
		w.b = strconv.AppendQuote(w.b, account)
	}
	w.b = append(w.b, `,"seq":`...)
	w.b = strconv.AppendInt(w.b, seq, 10)
	if deleted {
		w.b = append(w.b, `,"deleted":true`...)
	}
	if len(extra) > 0 {
		w.b = append(w.b, `,"x":`...)
		w.b = append(w.b, extra...)
	}
	w.b = append(w.b, `,"object":`...)
	w.b = append(w.b, object...)
	w.b = append(w.b, '}')
	w.objects = append(w.objects, object)
}

// Idem adds a completed idempotency key.
func (w *RecordWriter) Idem(e *IdemEntry) {
	if w.items > 0 && w.idem == 0 {
		w.b = append(w.b, ']')
	}
	if w.idem == 0 {
		w.b = append(w.b, `,"idempotency":[`...)
	} else {
		w.b = append(w.b, ',')
	}
	w.idem++
	w.b = append(w.b, `{"account":`...)
	w.b = appendJSONString(w.b, e.Account)
	w.b = append(w.b, `,"key":`...)
	w.b = appendJSONString(w.b, e.Key)
	w.b = append(w.b, `,"fingerprint":`...)
	w.b = appendJSONString(w.b, e.Fingerprint)
	w.b = append(w.b, `,"status":`...)
	w.b = strconv.AppendInt(w.b, int64(e.Status), 10)
	if i := w.itemOf(e.Body); i >= 0 {
		w.b = append(w.b, `,"body_item":`...)
		w.b = strconv.AppendInt(w.b, int64(i), 10)
	} else {
		w.b = append(w.b, `,"body":`...)
		w.b = append(w.b, e.Body...)
	}
	w.b = append(w.b, `,"created":"`...)
	w.b = e.Created.UTC().AppendFormat(w.b, time.RFC3339Nano)
	w.b = append(w.b, `"}`...)
}

// IdemSize is what a completed idempotency key takes in the log, roughly.
func IdemSize(account, key, fingerprint string, body []byte) int64 {
	return int64(len(account) + len(key) + len(fingerprint) + len(body) + 96)
}

// itemOf is the index of the item whose object is body itself (the same
// bytes, not a copy: -1 otherwise).
func (w *RecordWriter) itemOf(body []byte) int {
	for i, o := range w.objects {
		if len(o) == len(body) && len(o) > 0 && &o[0] == &body[0] {
			return i
		}
	}
	return -1
}

// Len is the number of items and entries added since Begin.
func (w *RecordWriter) Len() int { return w.items + w.idem }

// Line ends the record and returns its framed line (valid until the next
// Begin).
func (w *RecordWriter) Line() []byte {
	if w.idem > 0 || w.items > 0 {
		w.b = append(w.b, ']')
	}
	w.b = append(w.b, '}')
	payload := w.b[payloadAt:]
	sum := crc32.Checksum(payload, crcTable)
	hex.Encode(w.b[crcAt:crcAt+8], []byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	w.b = append(w.b, frameSuffix...)
	return w.b
}

// appendJSONString appends s as a JSON string. Keys, accounts and
// fingerprints are client-chosen: anything but printable ASCII without
// quotes, backslashes and HTML's <, >, & is escaped by encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
