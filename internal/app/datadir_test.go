package app

import (
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

// A permission error in the data directory names the path and the
// permission to fix, never a file to delete (the journal holds the sales).
func TestPermissionHintNamesPathAndPermission(t *testing.T) {
	err := &fs.PathError{Op: "open", Path: "/srv/kasse/journal-sandbox.db", Err: syscall.EACCES}
	h := permissionHint(err, "/srv/kasse")
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
	if h := sandboxStartHint(err, "/srv/kasse", "/srv/kasse/sandbox-state.json", "/srv/kasse/journal-sandbox.db"); !strings.Contains(h, "permission on /srv/kasse/sandbox-state.json.lock") ||
		strings.Contains(h, "mv ") {
		t.Errorf("sandbox hint:\n%s", h)
	}
	if h := permissionHint(&fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOSPC}, "/srv"); h != "" {
		t.Errorf("a full disk is not a permission problem: %q", h)
	}
}
