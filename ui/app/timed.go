package app

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Timed is the command that runs call with a context that ends after
// timeout. Every request of the console runs in one: it captures copies of
// what it needs (ports are interfaces, ids are strings), never the screen,
// and turns success and failure into one message.
func Timed(timeout time.Duration, call func(ctx context.Context) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return call(ctx)
	}
}
