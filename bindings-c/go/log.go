package jetbridge

// The core's log records into log/slog: SetLogger connects the core's log
// sink (jb_log_set_callback) to a *slog.Logger through goLog, a cgo-exported
// function the C callback calls on the core's threads.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"log/slog"
	"sync/atomic"
)

// logger is the logger records go to; nil while logging is off.
var logger atomic.Pointer[slog.Logger]

// slogLevels maps the core's levels (jb_log_level) to slog's.
var slogLevels = map[C.jb_log_level]slog.Level{
	C.JB_LOG_LEVEL_ERROR: slog.LevelError,
	C.JB_LOG_LEVEL_WARN:  slog.LevelWarn,
	C.JB_LOG_LEVEL_INFO:  slog.LevelInfo,
	C.JB_LOG_LEVEL_DEBUG: slog.LevelDebug,
}

// coreLevels are the core's levels from the most verbose to the least.
var coreLevels = []C.jb_log_level{C.JB_LOG_LEVEL_DEBUG, C.JB_LOG_LEVEL_INFO, C.JB_LOG_LEVEL_WARN, C.JB_LOG_LEVEL_ERROR}

// SetLogger sends the core's log records (connect, disconnect and reconnect
// with the server and the reason, consumer re-created, stalls, publish
// retries and unknown outcomes, slow consumer, lame duck) to l, for the
// whole process: each is a slog record at the matching level (Error, Warn,
// Info, Debug) whose message is the core's text, with the attribute
// "topic" ("connection", "consumer" or "publish"). Records never hold
// secrets (URLs are redacted by the core).
//
// Logging is off by default; nil turns it off. The core is asked only for
// records down to the most verbose level l is Enabled for when SetLogger is
// called: call it again after making l's handler more verbose.
//
// l's handler runs on the core's threads, possibly several at once: it must
// be quick and must not call into this package (a handler that publishes
// its records with JetBridge must hand them to a goroutine).
func SetLogger(l *slog.Logger) error {
	if l != nil {
		for _, level := range coreLevels {
			if l.Enabled(context.Background(), slogLevels[level]) {
				logger.Store(l)
				return call(func() C.jb_result { return C.go_log_set_callback(C.uint32_t(level)) })
			}
		}
	}
	err := call(func() C.jb_result { return C.jb_log_set_callback(0, nil, nil) })
	logger.Store(nil)
	return err
}

//export goLog
func goLog(level C.jb_log_level, topic, message *C.char) {
	l := logger.Load()
	if l == nil {
		return
	}
	lvl, ok := slogLevels[level]
	if !ok {
		lvl = slog.LevelError
	}
	l.LogAttrs(context.Background(), lvl, C.GoString(message), slog.String("topic", C.GoString(topic)))
}
