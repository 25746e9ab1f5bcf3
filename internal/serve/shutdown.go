package serve

import (
	"context"
	"slices"
	"time"

	"github.com/charmbracelet/ssh"

	"kasse/ui"
	uiapp "kasse/ui/app"
)

// Shutdown stops the server gracefully: no new sessions; every payment
// under way is canceled through its machine (compare before cancel: a
// payment the customer completed meanwhile stands) and given
// ShutdownWait to finish; then every console ends (its cart taken off the
// reader), the connections close and the audit trail is written. The
// caller closes the journal afterwards (App.Close).
func (s *Server) Shutdown(srv *ssh.Server) {
	s.mu.Lock()
	s.closing = true
	var sts []*station
	for _, st := range s.stations {
		sts = append(sts, st)
	}
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(sts))
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.shutdownWait()+15*time.Second)
	defer cancel()
	go func() { _ = srv.Shutdown(ctx) }() // stops listening at once, then waits for the connections
	for _, st := range sts {
		go func() {
			st.prog.Send(uiapp.StatusMsg{Text: st.loc.T("serve.shutdown"), Tone: uiapp.ToneWarn})
			st.prog.Send(ui.ShutdownMsg{})
		}()
	}
	deadline := time.Now().Add(s.opts.shutdownWait())
	for time.Now().Before(deadline) && slices.ContainsFunc(sts, func(st *station) bool { return !st.ended() && st.live() }) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, st := range sts {
		if st.live() && !st.ended() {
			s.log.Error("a payment did not settle before the shutdown; the journal keeps it for the next start",
				"counter", st.counter, "sale", st.snapshot().Sale.ID)
			st.prog.Kill()
			continue
		}
		go st.prog.Send(ui.HangUpMsg{})
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		for _, st := range sts {
			st.prog.Kill()
		}
		<-done
	}
	// The counters' handlers write their last frame and exit status
	// before the connections are closed under them.
	for end := time.Now().Add(5 * time.Second); s.handlers.Load() > 0 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	_ = srv.Close()
	s.settling.Wait()
	s.auditMu.Lock()
	s.auditClosed = true
	close(s.auditQ)
	s.auditMu.Unlock()
	<-s.auditDone
	s.log.Info("shut down")
}
