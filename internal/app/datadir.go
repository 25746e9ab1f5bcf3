package app

import (
	"errors"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"

	"kasse/i18n"
	"kasse/sandbox"
)

// Advice for errors in the data directory, which holds the journal of
// sales (and the sandbox's state). Kasse never suggests deleting it:
// a permission problem names the path and the permission to fix; only a
// sandbox state that cannot be used is moved aside (and kept).

// permissionHint explains a permission error on a file or directory of the
// data directory (false when err is not one).
func permissionHint(err error, dataDir string) (i18n.Message, bool) {
	if !errors.Is(err, fs.ErrPermission) {
		return i18n.Message{}, false
	}
	path := dataDir
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path != "" {
		path = pe.Path
	}
	dir := filepath.Dir(path)
	if path == dataDir {
		dir = dataDir
	}
	who := "uid " + strconv.Itoa(os.Getuid()) // i18n:ok a user id, as id(1) writes it
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = u.Username + " (" + who + ")"
	}
	return i18n.M("cli.app.permission_hint", i18n.Args{"Path": path, "Dir": dir, "User": who}), true
}

// sandboxStartHint explains why the embedded sandbox did not start and
// what to do about it, for an error of its state file at state.
func sandboxStartHint(err error, dataDir, state, journal string) (i18n.Message, bool) {
	if h, ok := permissionHint(err, dataDir); ok {
		return h, true
	}
	if !errors.Is(err, sandbox.ErrStateUnusable) {
		return i18n.Message{}, false
	}
	return i18n.M("cli.app.sandbox_state_hint", i18n.Args{"State": state, "Journal": journal}), true
}
