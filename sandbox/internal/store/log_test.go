package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var testHeader = &Header{Format: Format, Version: Version, APIVersion: "2023-10-16", PlatformID: "acct_platform"}

func acceptAll(*Header) error { return nil }

// newLog creates a log at path with the header and no records.
func newLog(t *testing.T, path string) *Log {
	t.Helper()
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Exists() {
		t.Fatal("a new path exists")
	}
	if err := l.Rewrite(testHeader, func(func([]byte) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	return l
}

func record(seq int64, id string) []byte {
	var w RecordWriter
	w.Begin(seq)
	w.Item("thing", "acct_a", seq, false, nil, []byte(`{"id":"`+id+`","note":"a \"quoted\" <b>"}`))
	w.Idem(&IdemEntry{Account: "acct_a", Key: "key " + id, Fingerprint: "POST /v1/things?x=1", Status: 200,
		Body: []byte(`{"id":"` + id + `"}`), Created: time.Unix(1_700_000_000, 5).UTC()})
	return append([]byte(nil), w.Line()...)
}

func loadAll(t *testing.T, l *Log) ([]Record, error) {
	t.Helper()
	var recs []Record
	_, err := l.Load(acceptAll, func(r *Record) error { recs = append(recs, *r); return nil })
	return recs, err
}

func TestLogAppendAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	l := newLog(t, path)
	for i := 1; i <= 50; i++ {
		if err := l.Append(record(int64(i), fmt.Sprintf("th_%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for i, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("line %d is not JSON: %s", i+1, line)
		}
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	recs, err := loadAll(t, l)
	if err != nil || len(recs) != 50 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	r := recs[49]
	if r.Seq != 50 || len(r.Items) != 1 || r.Items[0].Type != "thing" || r.Items[0].Account != "acct_a" ||
		string(r.Items[0].Object) != `{"id":"th_50","note":"a \"quoted\" <b>"}` || len(r.Idem) != 1 ||
		r.Idem[0].Key != "key th_50" || string(r.Idem[0].Body) != `{"id":"th_50"}` || !r.Idem[0].Created.Equal(time.Unix(1_700_000_000, 5)) {
		t.Errorf("record: %+v", r)
	}
	if l.Size() != int64(len(b)) {
		t.Errorf("size %d, file %d", l.Size(), len(b))
	}
}

// Every way the last record can be cut short is the request in flight:
// it is cut off and the records before it load.
func TestLogTornTail(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "base")
	l := newLog(t, base)
	for i := 1; i <= 3; i++ {
		_ = l.Append(record(int64(i), fmt.Sprint(i)))
	}
	_ = l.Close()
	intact, _ := os.ReadFile(base)
	last := record(4, "4")
	for cut := 1; cut < len(last); cut += 7 {
		path := filepath.Join(dir, fmt.Sprint("cut", cut))
		if err := os.WriteFile(path, append(append([]byte(nil), intact...), last[:cut]...), 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := loadAll(t, l)
		if err != nil || len(recs) != 3 {
			t.Fatalf("cut at %d: %d records, %v", cut, len(recs), err)
		}
		if err := l.Append(record(5, "5")); err != nil { // goes on right after the intact records
			t.Fatal(err)
		}
		_ = l.Close()
		l, _ = Open(path)
		if recs, err := loadAll(t, l); err != nil || len(recs) != 4 || recs[3].Seq != 5 {
			t.Fatalf("cut at %d, then appended: %d records, %v", cut, len(recs), err)
		}
		_ = l.Close()
	}
}

// A bad record followed by good ones is corruption: an error naming the
// line, and the file is not touched.
func TestLogCorruptMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	l := newLog(t, path)
	for i := 1; i <= 3; i++ {
		_ = l.Append(record(int64(i), fmt.Sprint(i)))
	}
	_ = l.Close()
	b, _ := os.ReadFile(path)
	bad := strings.Replace(string(b), `"th_2"`, `"th_X"`, 1)
	bad = strings.Replace(bad, `"id":"2"`, `"id":"X"`, 1) // record 2's payload no longer matches its CRC
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := loadAll(t, l); err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), path) {
		t.Fatalf("corrupt middle record: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != bad {
		t.Error("the corrupt file was changed")
	}
}

func TestLogCompactionRule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	l := newLog(t, path)
	defer l.Close()
	l.MinGarbage = 1000
	for i := 1; i <= 20; i++ {
		_ = l.Append(record(int64(i), fmt.Sprint(i)))
	}
	size := l.Size()
	if l.NeedsCompaction() {
		t.Fatal("a log without garbage wants compaction")
	}
	l.Superseded(size/2 - 10)
	if l.NeedsCompaction() {
		t.Fatal("compaction with less garbage than live data")
	}
	l.Superseded(20)
	if !l.NeedsCompaction() {
		t.Fatal("no compaction with more garbage than live data")
	}
	// Rewrite: the snapshot replaces the log atomically, garbage gone.
	if err := l.Rewrite(testHeader, func(emit func([]byte) error) error { return emit(record(20, "20")) }); err != nil {
		t.Fatal(err)
	}
	if l.NeedsCompaction() || l.Garbage() != 0 {
		t.Error("garbage after a rewrite")
	}
	if err := l.Append(record(21, "21")); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 2 { // the log and its lock
		t.Errorf("directory: %v", ents)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	l2, err := Open(path)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("a second Open: %v, want ErrInUse", err)
	}
	_ = l2
}

func TestHeaderChecks(t *testing.T) {
	for content, want := range map[string]string{
		"":                           "corrupt",
		`{"version":1,"seq":3}`:      "older kasse",
		`{"format":"x","version":2}`: `format "x"`,
		`{"format":"kasse-sandbox-state","version":9,"platform_id":"a"}`: "version 9",
		`{"format":"kasse-sandbox-state","version":2}`:                   "no platform_id",
	} {
		path := filepath.Join(t.TempDir(), "log")
		if err := os.WriteFile(path, []byte(content+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		l, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := loadAll(t, l); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", content, err, want)
		}
		_ = l.Close()
	}
}

// An answer that is one of the record's objects is written once.
func TestLogBodyByReference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	l := newLog(t, path)
	obj := []byte(`{"id":"pi_1","amount":100}`)
	var w RecordWriter
	w.Begin(1)
	w.Item("payment_intent", "acct_a", 1, false, nil, obj)
	w.Idem(&IdemEntry{Account: "acct_a", Key: "k", Fingerprint: "f", Status: 200, Body: obj, Created: time.Unix(1, 0)})
	w.Idem(&IdemEntry{Key: "k2", Fingerprint: "f", Status: 200, Body: append([]byte(nil), obj...), Created: time.Unix(1, 0)}) // a copy: written out
	line := w.Line()
	if strings.Count(string(line), `"amount":100`) != 2 || !strings.Contains(string(line), `"body_item":0`) {
		t.Fatalf("record: %s", line)
	}
	if err := l.Append(line); err != nil {
		t.Fatal(err)
	}
	_ = l.Close()
	l, _ = Open(path)
	defer l.Close()
	recs, err := loadAll(t, l)
	if err != nil || len(recs) != 1 || string(recs[0].Idem[0].Body) != string(obj) || string(recs[0].Idem[1].Body) != string(obj) {
		t.Fatalf("loaded: %+v %v", recs, err)
	}
}
