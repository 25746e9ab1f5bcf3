// Package prefs persists what the console remembers between runs (last
// seller, location per seller, reader per location) as a small JSON file.
package prefs

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"kasse/pos"
)

// Remembered mirrors ui.Remembered; the composition root converts.
type Remembered struct {
	Seller    pos.Account            `json:"seller"`
	Locations map[pos.Account]string `json:"locations"`
	Readers   map[string]string      `json:"readers"`
}

// File stores Remembered at Path.
type File struct{ Path string }

// Load reads the file; a missing file is an empty Remembered.
func (f File) Load() (Remembered, error) {
	var r Remembered
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return Remembered{}, err
	}
	return r, nil
}

// Save writes the file atomically (temp file + rename).
func (f File) Save(r Remembered) error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := f.Path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.Path)
}
