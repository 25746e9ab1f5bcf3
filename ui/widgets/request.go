package widgets

import "kasse/ui/app"

// Request is the state of a screen's request to a port (a read or a form
// sent): Busy while one runs, Seq the number of the newest, so that an
// answer to an older one is dropped, and Err the outcome of the last.
// Screens embed it.
type Request struct {
	Busy bool
	Seq  int
	Err  error
}

// Begin marks a new request as running and returns its number, for its
// answer to carry.
func (r *Request) Begin(sess *app.Session) int {
	r.Busy, r.Err = true, nil
	r.Seq = sess.NextSeq()
	return r.Seq
}

// Answered records the answer to request seq: false, and nothing recorded,
// when seq is not the newest request.
func (r *Request) Answered(seq int, err error) bool {
	if seq != r.Seq {
		return false
	}
	r.Busy, r.Err = false, err
	return true
}

// ReloadNote says that a screen's reload runs (busy) or failed (err,
// wrapped to w columns), or is "". A reload clears the error of the last,
// so never both apply.
func ReloadNote(deps *app.Deps, sess *app.Session, busy bool, err error, w int) string {
	switch {
	case err != nil:
		return ErrLines(deps.Styles, sess.Loc, sess.T("widgets.reload_failed"), err, w)
	case busy:
		return deps.Spinner(sess) + deps.Styles.Muted.Render(" "+sess.T("widgets.reloading"))
	}
	return ""
}
