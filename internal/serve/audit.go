package serve

import (
	"context"
	"time"

	"kasse/journal"
)

// audit queues an audit entry; it never blocks a session.
func (s *Server) audit(who, console, key, action, subject, detail string) {
	e := journal.AuditEntry{At: time.Now(), Who: who, Console: console, Key: key, Action: action, Subject: subject, Detail: detail}
	s.auditMu.RLock()
	defer s.auditMu.RUnlock()
	if s.auditClosed {
		s.log.Warn("audit after shutdown; logged only", "action", action, "subject", subject, "who", who, "console", console, "key", key, "detail", detail)
		return
	}
	select {
	case s.auditQ <- e:
	default:
		s.log.Error("audit queue full; entry dropped", "action", action, "subject", subject, "who", who, "console", console)
	}
}

func (s *Server) writeAudit() {
	defer close(s.auditDone)
	for e := range s.auditQ {
		if err := s.app.Journal.AppendAudit(context.Background(), e); err != nil {
			s.log.Error("audit", "err", err, "action", e.Action)
		}
	}
}
