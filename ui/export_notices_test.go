package ui

// NoticeTick is the root's timer for the next read of the notices.
type NoticeTick = noticeTickMsg
