package sandbox

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// Rendering. Every resource struct is its object's API shape (2023-10-16):
// every property the spec declares, null where unset, and nothing else —
// the conformance tests validate each response strictly against the spec
// and check key parity with stripe-mock's fixtures. The same struct is
// what the state file stores. A response that expands a field renders a
// copy of the object with the expanded object in the field (ref).

// ref is an expandable field: nil (null), the id of the object it points
// to (a string), or, in a copy made for one response that expands it, the
// object itself. An interface, so that encoding/json writes ids and nulls
// without calling a marshaler.
type ref = any

// idRef is the ref of an id ("" is null).
func idRef(id string) ref {
	if id == "" {
		return nil
	}
	return id
}

// refID is the id a ref points to ("" for null).
func refID(r ref) string {
	switch r := r.(type) {
	case string:
		return r
	case store.Object:
		return r.Stored().ID
	}
	return ""
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// The helpers below write a value exactly as encoding/json writes it
// inside a struct (for the hand-written appendJSON encoders of hot
// objects); anything unusual goes to json.Marshal.

// appendMarshal appends v as json.Marshal encodes it.
func appendMarshal(b []byte, v any) []byte {
	j, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own objects always marshal
	}
	return append(b, j...)
}

// appendAny appends an interface field: null, an id (a ref), or anything
// else through json.Marshal.
func appendAny(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, v)
	}
	return appendMarshal(b, v)
}

func appendNullInt(b []byte, n *int64) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return appendInt(b, *n)
}

func appendNullBool(b []byte, v *bool) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return strconv.AppendBool(b, *v)
}

// appendStrings appends a []string (nil is null).
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendMetadata appends a map[string]string with its keys sorted (nil is
// null), as encoding/json does.
func appendMetadata(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, m[k])
	}
	return append(b, '}')
}

// nullString renders "" as null.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// str is the value of a nullable string ("" for null).
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// addressJSON is the spec's `address` (every field nullable).
type addressJSON struct {
	City       *string `json:"city"`
	Country    *string `json:"country"`
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	PostalCode *string `json:"postal_code"`
	State      *string `json:"state"`
}

// deletedJSON is the deleted stub of terminal.location / terminal.reader.
type deletedJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// marshal encodes a handler's answer: a stored object as encode does
// (shared with the change's events and record), a list with its items
// encoded likewise, anything else (expanded copies, stubs) with
// encoding/json.
func (s *Server) marshal(v any) []byte {
	switch v := v.(type) {
	case resource:
		if s.isStored(v) {
			return s.encode(v)
		}
	case *spliced:
		return s.appendValue(nil, v)
	case *list.Envelope:
		size := 256 // sized from the items' cached encodings: a page allocates once
		for _, d := range v.Data {
			if o, ok := d.(resource); ok && s.isStored(o) {
				size += len(s.encode(o)) + 1
			} else {
				size += 4096
			}
		}
		b := append(make([]byte, 0, size), `{"object":"list","data":[`...)
		for i, d := range v.Data {
			if i > 0 {
				b = append(b, ',')
			}
			b = s.appendValue(b, d)
		}
		b = append(b, `],"has_more":`...)
		b = strconv.AppendBool(b, v.HasMore)
		b = append(b, `,"url":`...)
		b = appendString(b, v.URL)
		return append(b, '}')
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own objects always marshal
	}
	return b
}

// isStored reports whether o is the stored object (not a copy made for
// one response).
func (s *Server) isStored(o resource) bool {
	id := o.Stored().ID
	var stored resource
	switch o.(type) {
	case *account:
		stored, _ = s.st.accounts.Get(id)
	case *location:
		stored, _ = s.st.locations.Get(id)
	case *reader:
		stored, _ = s.st.readers.Get(id)
	case *paymentIntent:
		stored, _ = s.st.intents.Get(id)
	case *charge:
		stored, _ = s.st.charges.Get(id)
	case *refund:
		stored, _ = s.st.refunds.Get(id)
	case *setupIntent:
		stored, _ = s.st.setups.Get(id)
	case *event:
		stored, _ = s.st.events.Get(id)
	case *customer:
		stored, _ = s.st.customers.Get(id)
	case *paymentMethod:
		stored, _ = s.st.paymentMethods.Get(id)
	case *setupAttempt:
		stored, _ = s.st.setupAttempts.Get(id)
	}
	return stored == o
}

// page renders one page of a list.
func (s *Server) page(url string, items []any, hasMore bool) *list.Envelope {
	return &list.Envelope{Object: "list", URL: url, HasMore: hasMore, Data: items}
}

// anys converts a page of objects for list.Envelope.
func anys[T any](items []T) []any {
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = v
	}
	return out
}

// newOf allocates a T (a pointer to a resource struct).
func newOf[T resource](*store.Table[T]) T {
	return reflect.New(reflect.TypeFor[T]().Elem()).Interface().(T)
}

// replace copies v over old (both pointers to the same struct type).
func replace[T resource](old, v T) {
	reflect.ValueOf(old).Elem().Set(reflect.ValueOf(v).Elem())
}

// spliced is an object rendered with some of its expandable fields
// expanded: its own JSON (cached) with each field's value replaced by the
// expanded object's JSON, instead of a copy encoded anew. Only fields
// whose key occurs first in the object's JSON at its own level may be
// spliced (no property and no nested object before them can hold that
// key; see the render functions that build one).
type spliced struct {
	base   resource
	fields []splice
}

type splice struct {
	key string // e.g. "latest_charge"
	val any    // the expanded object: a resource, a *spliced, or any value
}

// spliceFields writes base's JSON into b with each field's value replaced.
func spliceFields(b, base []byte, fields []splice, value func([]byte, any) []byte) []byte {
	rest := base
	for _, f := range fields {
		key := `"` + f.key + `":`
		i := bytes.Index(rest, []byte(key))
		if i < 0 {
			panic("sandbox: splice: no " + key)
		}
		i += len(key)
		b = append(b, rest[:i]...)
		rest = rest[i:]
		switch { // the stored value: null or an id
		case bytes.HasPrefix(rest, []byte("null")):
			rest = rest[4:]
		case len(rest) > 0 && rest[0] == '"':
			rest = rest[1+bytes.IndexByte(rest[1:], '"')+1:]
		default:
			panic("sandbox: splice: " + key + " is not an id")
		}
		b = value(b, f.val)
	}
	return append(b, rest...)
}

// MarshalJSON encodes sp where it sits inside another value encoding/json
// writes (without the server's cache).
func (sp *spliced) MarshalJSON() ([]byte, error) {
	return spliceFields(nil, encodeResource(sp.base), sp.fields, func(b []byte, v any) []byte {
		j, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return append(b, j...)
	}), nil
}

// appendValue appends v's JSON as marshal writes it.
func (s *Server) appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case *spliced:
		return spliceFields(b, s.encode(v.base), v.fields, s.appendValue)
	case resource:
		if s.isStored(v) {
			return append(b, s.encode(v)...)
		}
	}
	return append(b, s.marshal(v)...)
}
