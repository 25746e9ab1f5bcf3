package app

import (
	"context"
	"time"

	"kasse/pos"
	"kasse/supervisor"
)

// What the console hears after the sale (package events records and
// applies Stripe's events into the journal) and the disputes desk.

// AreaDisputes is the disputes desk: a supervisor's area.
const AreaDisputes = supervisor.ActionDisputes

// DisputeDesk is the disputes desk: *supervisor.Service. Every method is
// called from a tea.Cmd.
type DisputeDesk interface {
	Disputes(ctx context.Context, q supervisor.DisputeQuery) (supervisor.DisputeList, error)
	Dispute(ctx context.Context, seller pos.Account, id string) (supervisor.DisputeRow, error)
	// Evidence stages or submits evidence; Accept closes the dispute as
	// lost. Each checks the operator's PIN (inside the request).
	Evidence(ctx context.Context, r supervisor.EvidenceRequest) (pos.Dispute, error)
	Accept(ctx context.Context, r supervisor.AcceptRequest) (pos.Dispute, error)
}

// NoticeFeed is what applied events left for the consoles (the journal's
// notices, newest last). Called from a tea.Cmd.
type NoticeFeed interface {
	// LastNotice is the seq of the newest notice (0: none yet).
	LastNotice(ctx context.Context) (int64, error)
	// Notices are the notices after seq, oldest first, at most limit.
	Notices(ctx context.Context, after int64, limit int) ([]pos.Notice, error)
}

// NoticesMsg reaches every screen on the stack when events changed
// payments: a list of them reloads.
type NoticesMsg struct{ Notices []pos.Notice }

// DefaultNoticeEvery is how often the console looks for notices.
const DefaultNoticeEvery = time.Second
