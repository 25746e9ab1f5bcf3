package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"kasse/config"
	"kasse/pos"
	"kasse/ui/app"
	"kasse/ui/widgets"
)

// Notices: what Stripe's events changed since the console started (a
// refund made in the Dashboard, a capture or cancel elsewhere, a dispute)
// is said in the status line, and every screen is told (a list reloads).
// The journal holds the notices (package events writes them, whichever
// process heard the event); the root reads the new ones every
// Deps.NoticeEvery. Dispute notices are a supervisor's: they show to a
// supervisor's session, or while the back office is open.

type (
	noticeTickMsg struct{}
	noticesMsg    struct {
		after   int64 // the seq asked after (-1: the first read, which only learns where to start)
		last    int64
		notices []pos.Notice
		err     error
	}
)

// noticeBatch bounds the notices read at once.
const noticeBatch = 50

// watchNotices starts the reading (Init): it learns the newest notice,
// so that only what comes after it is told.
func (m *Model) watchNotices() tea.Cmd {
	if m.deps.Notices == nil {
		return nil
	}
	if from := m.deps.NoticesFrom; from != nil {
		m.noticeSeq, m.noticesOn = *from, true
		return m.readNotices(*from)
	}
	return m.readNotices(-1)
}

func (m *Model) readNotices(after int64) tea.Cmd {
	feed, timeout := m.deps.Notices, m.deps.Timeout
	return app.Timed(timeout, func(ctx context.Context) tea.Msg {
		if after < 0 {
			last, err := feed.LastNotice(ctx)
			return noticesMsg{after: after, last: last, err: err}
		}
		ns, err := feed.Notices(ctx, after, noticeBatch)
		out := noticesMsg{after: after, last: after, notices: ns, err: err}
		if n := len(ns); n > 0 {
			out.last = ns[n-1].Seq
		}
		return out
	})
}

// notices handles a read: says what is new, tells the screens, and reads
// again after NoticeEvery (a failed read is tried again then too).
func (m *Model) notices(msg noticesMsg) tea.Cmd {
	next := m.deps.After(m.deps.NoticeEvery, noticeTickMsg{})
	switch {
	case msg.err != nil && msg.after < 0:
		return next // where to start is not known yet: try again
	case msg.err != nil:
		return next
	case msg.after < 0:
		m.noticeSeq, m.noticesOn = msg.last, true
		return next
	}
	m.noticeSeq = msg.last
	var shown []pos.Notice
	for _, n := range msg.notices {
		if !n.Kind.ForSupervisors() || m.supervising() {
			shown = append(shown, n)
		}
	}
	cmds := []tea.Cmd{next}
	if len(msg.notices) > 0 {
		for _, s := range m.stack {
			cmds = append(cmds, s.Update(app.NoticesMsg{Notices: msg.notices}))
		}
	}
	if len(shown) > 0 {
		last := sayFirst(shown)
		text := widgets.NoticeText(m.sess, last)
		if more := len(shown) - 1; more > 0 {
			text += " " + m.sess.N("events.notice.more", more)
		}
		tone := app.ToneInfo
		if last.Kind == pos.NoticeDisputeOpened {
			tone = app.ToneWarn
		}
		cmds = append(cmds, app.Say(tone, text))
	}
	if len(msg.notices) == noticeBatch { // more waiting: read on at once
		cmds[0] = m.readNotices(m.noticeSeq)
	}
	return tea.Batch(cmds...)
}

// sayFirst is the notice the status line says when several arrive at once:
// the newest dispute opened (a chargeback is what a supervisor must act
// on, and must not hide behind "+1 more"), else the newest notice.
func sayFirst(shown []pos.Notice) pos.Notice {
	for i := len(shown) - 1; i >= 0; i-- {
		if shown[i].Kind == pos.NoticeDisputeOpened {
			return shown[i]
		}
	}
	return shown[len(shown)-1]
}

// supervising: the session is a supervisor's, or the back office is open.
func (m *Model) supervising() bool {
	return m.sess.RoleOrCashier() == config.RoleSupervisor || m.sess.Approver != ""
}
