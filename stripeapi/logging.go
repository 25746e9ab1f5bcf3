package stripeapi

import (
	"context"
	"fmt"
	"log/slog"
)

// slogBridge feeds stripe-go's leveled log into a *slog.Logger.
//
//   - Debugf is dropped: stripe-go logs whole response bodies at that level.
//   - Infof ("Requesting POST …", "Request completed …") becomes Debug.
//   - Warnf (retries) stays Warn.
//   - Errorf becomes Warn: stripe-go logs every 4xx as an error, but a busy
//     reader or a decline is normal control flow here; the caller gets the
//     *pos.Error and decides how loud to be.
//
// Every line is scrubbed of the API key.
type slogBridge struct {
	log   *slog.Logger
	scrub func(string) string
}

func (b *slogBridge) emit(level slog.Level, format string, v ...interface{}) {
	ctx := context.Background()
	if !b.log.Enabled(ctx, level) {
		return
	}
	b.log.Log(ctx, level, b.scrub(fmt.Sprintf(format, v...)), "source", "stripe-go")
}

// Debugf implements stripe.LeveledLoggerInterface; see slogBridge.
func (b *slogBridge) Debugf(format string, v ...interface{}) {}

// Infof implements stripe.LeveledLoggerInterface.
func (b *slogBridge) Infof(format string, v ...interface{}) {
	b.emit(slog.LevelDebug, format, v...)
}

// Warnf implements stripe.LeveledLoggerInterface.
func (b *slogBridge) Warnf(format string, v ...interface{}) {
	b.emit(slog.LevelWarn, format, v...)
}

// Errorf implements stripe.LeveledLoggerInterface.
func (b *slogBridge) Errorf(format string, v ...interface{}) {
	b.emit(slog.LevelWarn, format, v...)
}
