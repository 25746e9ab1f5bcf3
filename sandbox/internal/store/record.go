package store

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"strconv"
	"time"
)

// A record line: Record, Item and IdemEntry (what Load applies), the
// frame around a record's payload with its CRC-32C, and RecordWriter,
// which builds a framed line. The file's format is described in log.go.

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
