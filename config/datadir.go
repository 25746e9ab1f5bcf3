package config

import "path/filepath"

// The files Kasse keeps in the data directory (Config.DataDir).
const (
	// SandboxStateFile is where the embedded sandbox keeps its state, so
	// sales, refunds and paired readers outlive a restart as they do on
	// Stripe (and as the journal remembers them).
	SandboxStateFile = "sandbox-state.json"
	// PrefsFile remembers the console's last seller, locations and readers.
	PrefsFile = "prefs.json"
	// ExportsDir receives exports and diagnostics bundles.
	ExportsDir = "exports"
)

// JournalFile is the journal's file in the data directory for a mode
// (ModeSandbox, ModeTest or ModeLive): sandbox, test and live sales never
// share a journal, so reports, reconciliation and refunds only ever see
// sales of the Stripe they run on.
func JournalFile(mode string) string {
	if mode == ModeLive {
		return "journal.db"
	}
	return "journal-" + mode + ".db"
}

// JournalPath is the journal of this configuration's mode (KeyMode).
func (c *Config) JournalPath() string { return filepath.Join(c.DataDir, JournalFile(c.KeyMode())) }

// SandboxStatePath is the embedded sandbox's state file.
func (c *Config) SandboxStatePath() string { return filepath.Join(c.DataDir, SandboxStateFile) }

// PrefsPath is the console's remembered choices.
func (c *Config) PrefsPath() string { return filepath.Join(c.DataDir, PrefsFile) }

// ExportsPath is the folder for exports and diagnostics bundles.
func (c *Config) ExportsPath() string { return filepath.Join(c.DataDir, ExportsDir) }
