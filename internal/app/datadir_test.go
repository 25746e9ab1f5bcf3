package app

import (
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"kasse/i18n"
)

// A permission error in the data directory names the path and the
// permission to fix, never a file to delete (the journal holds the sales).
func TestPermissionHintNamesPathAndPermission(t *testing.T) {
	err := &fs.PathError{Op: "open", Path: "/srv/kasse/journal-sandbox.db", Err: syscall.EACCES}
	m, ok := permissionHint(err, "/srv/kasse")
	h := i18n.Neutral().Render(m)
	if !ok {
		t.Fatal("no hint for EACCES")
	}
	for _, want := range []string{"read and write permission on /srv/kasse/journal-sandbox.db", "on the directory /srv/kasse",
		"chmod u+rwX /srv/kasse", "data_dir", "Delete nothing"} {
		if !strings.Contains(h, want) {
			t.Errorf("hint lacks %q:\n%s", want, h)
		}
	}
	lower := strings.ToLower(strings.ReplaceAll(h, "Delete nothing", ""))
	if strings.Contains(lower, "delete") || strings.Contains(lower, "rm ") || strings.Contains(lower, "remove") {
		t.Errorf("the hint suggests deleting something:\n%s", h)
	}
	// The same for the sandbox's state file, and for EPERM.
	err = &fs.PathError{Op: "open", Path: "/srv/kasse/sandbox-state.json.lock", Err: syscall.EPERM}
	m, _ = sandboxStartHint(err, "/srv/kasse", "/srv/kasse/sandbox-state.json", "/srv/kasse/journal-sandbox.db")
	if h := i18n.Neutral().Render(m); !strings.Contains(h, "permission on /srv/kasse/sandbox-state.json.lock") ||
		strings.Contains(h, "mv ") {
		t.Errorf("sandbox hint:\n%s", h)
	}
	if m, ok := permissionHint(&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOSPC}, "/srv"); ok || m.ID != "" {
		t.Errorf("a full disk is not a permission problem: %v", m)
	}
	// In German, the same paths and commands; still nothing to delete.
	m, _ = permissionHint(&fs.PathError{Op: "open", Path: "/srv/kasse/journal-sandbox.db", Err: syscall.EACCES}, "/srv/kasse")
	de := i18n.New(i18n.German).Render(m)
	for _, want := range []string{"Lese- und Schreibrechte auf /srv/kasse/journal-sandbox.db", "chmod u+rwX /srv/kasse", "data_dir", "Nichts löschen"} {
		if !strings.Contains(de, want) {
			t.Errorf("German hint lacks %q:\n%s", want, de)
		}
	}
}
