package main

import (
	"os"
	"path/filepath"
)

// dirSaver is the console's ui.Saver: it writes a file into dir (receipts:
// cfg.ReceiptsDir; exports and diagnostics: DataDir/exports), creating the
// folder if need be. Both are private to the user (0700, files 0600).
type dirSaver struct{ dir string }

func (s dirSaver) Save(name string, data []byte) (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	p := filepath.Join(s.dir, filepath.Base(name))
	return p, os.WriteFile(p, data, 0o600)
}
