package ui

// request is the state of a screen's request to a port (a read or a form
// sent): busy while one runs, seq the number of the newest, so that an
// answer to an older one is dropped, and err the outcome of the last.
// Screens embed it.
type request struct {
	busy bool
	seq  int
	err  error
}

// reloadNote says that a screen's reload runs (busy) or failed (err,
// wrapped to w columns), or is "". A reload clears the error of the last,
// so never both apply.
func reloadNote(sh *shared, busy bool, err error, w int) string {
	switch {
	case err != nil:
		return sh.errLines("Reload failed: ", err, w)
	case busy:
		return sh.spinner() + sh.st.Muted.Render(" Reloading…")
	}
	return ""
}

// begin marks a new request as running and returns its number, for its
// answer to carry.
func (r *request) begin(sh *shared) int {
	r.busy, r.err = true, nil
	r.seq = sh.nextSeq()
	return r.seq
}

// answered records the answer to request seq: false, and nothing recorded,
// when seq is not the newest request.
func (r *request) answered(seq int, err error) bool {
	if seq != r.seq {
		return false
	}
	r.busy, r.err = false, err
	return true
}
