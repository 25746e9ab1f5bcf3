package journal

import (
	"fmt"
	"os"
	"path/filepath"
)

// Claims: which running Kasse process looks after an open sale.
//
// A sale that is open in one process (a console waiting for the card, a
// `kasse charge` under way) must not be settled by another process that
// starts meanwhile (a supervisor's `kasse refund`, `kasse reconcile`): that
// would cancel a payment a customer is about to make. The journal cannot
// tell by itself whether the process that wrote a row is still alive, so
// each process claims the sales it drives with an exclusive lock on one
// small file per sale, in a directory next to the journal
// (<journal>.claims/<sale id>). The lock is the kernel's: it goes with the
// process however the process ends (SIGKILL, power cut), so a crashed
// sale is never mistaken for a live one.
//
// Where flock is missing (not unix) every claim succeeds: run one Kasse
// per data directory there.

// ClaimSale claims sale id for this process until release is called or the
// process ends. ok is false, with no error, when another process (or
// another claim in this one) holds the sale.
func (j *Journal) ClaimSale(id string) (release func(), ok bool, err error) {
	if !safeName(id) {
		return nil, false, fmt.Errorf("journal: claim: sale id %q is not a safe file name", id)
	}
	dir := j.path + ".claims"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("journal: claim: %w", err)
	}
	release, ok, err = claimFile(filepath.Join(dir, id))
	if err != nil {
		return nil, false, fmt.Errorf("journal: claim sale %s: %w", id, err)
	}
	return release, ok, nil
}

// safeName: 1–64 of [A-Za-z0-9_-], as pos requires of sale ids.
func safeName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
