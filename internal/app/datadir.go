package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"

	"kasse/sandbox"
)

// Advice for errors in the data directory, which holds the journal of
// sales (and the sandbox's state). Kasse never suggests deleting it:
// a permission problem names the path and the permission to fix; only a
// sandbox state that cannot be used is moved aside (and kept).

// permissionHint explains a permission error on a file or directory of the
// data directory ("" when err is not one).
func permissionHint(err error, dataDir string) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
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
	who := "uid " + strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = u.Username + " (" + who + ")"
	}
	return fmt.Sprintf("\n  Kasse needs read and write permission on %s and on the directory %s, as %s.\n"+
		"  Fix the permissions (e.g. chmod u+rwX %s, or chown the data directory to that user), or set data_dir\n"+
		"  to a directory of that user. Delete nothing: the data directory holds the journal of sales.", path, dir, who, dir)
}

// sandboxStartHint explains why the embedded sandbox did not start and
// what to do about it, for an error of its state file at state.
func sandboxStartHint(err error, dataDir, state, journal string) string {
	if h := permissionHint(err, dataDir); h != "" {
		return h
	}
	if !errors.Is(err, sandbox.ErrStateUnusable) {
		return ""
	}
	return fmt.Sprintf("\n  To start the sandbox over with fresh demo data, move its state aside (keep it if you need it):\n"+
		"    mv %s %s.old\n"+
		"  The sandbox journal %s records sales of the old state; move it aside too if those should go\n"+
		"  (mv %s %s.old), or keep it.", state, state, journal, journal, journal)
}
