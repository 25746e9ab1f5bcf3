package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sandbox state that cannot be used is moved aside (kept), never
// deleted; the journal with its sales is left to the user to decide.
func TestUnusableSandboxStateIsKeptAside(t *testing.T) {
	w := newCLIWorld(t)
	data := filepath.Join(w.dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(data, "sandbox-state.json")
	if err := os.WriteFile(state, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.kasse("", "sellers")
	journal := filepath.Join(data, "journal-sandbox.db")
	if r.code != 1 || !strings.Contains(r.stderr, "mv "+state+" "+state+".old") || !strings.Contains(r.stderr, journal) ||
		strings.Contains(strings.ToLower(r.stderr), "delete") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// The same through a real permission error, where the OS gives one (root
// may read anything: there the hint's own test above covers it).
func TestDataDirPermissionErrorFromTheOS(t *testing.T) {
	w := newCLIWorld(t)
	data := filepath.Join(w.dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(data, 0o700) })
	if f, err := os.Create(filepath.Join(data, "probe")); err == nil {
		f.Close()
		t.Logf("running as uid %d, which may write a mode 0500 directory: only the hint's own test applies", os.Getuid())
		return
	}
	r := w.kasse("", "sellers")
	if r.code != 1 || !strings.Contains(r.stderr, "read and write permission on "+data) || strings.Contains(r.stderr, "delete "+data) {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}
