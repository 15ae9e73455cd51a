package main

// The core's logs on stderr (never stdout, the transcript), at the most
// verbose level, one line per record: `jetbridge <level> <topic>: <message>`
// (SPEC.md §7: the secret scan reads them).

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	jb "github.com/jetbridge/jetbridge-go"
)

// stderrLog is a slog.Handler enabled for every level that writes each
// record as one line on stderr.
type stderrLog struct{}

func (stderrLog) Enabled(context.Context, slog.Level) bool { return true }
func (stderrLog) WithAttrs([]slog.Attr) slog.Handler       { return stderrLog{} }
func (stderrLog) WithGroup(string) slog.Handler            { return stderrLog{} }

func (stderrLog) Handle(_ context.Context, r slog.Record) error {
	topic := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "topic" {
			topic = a.Value.String()
		}
		return true
	})
	_, err := fmt.Fprintf(os.Stderr, "jetbridge %s %s: %s\n", strings.ToLower(r.Level.String()), topic, r.Message)
	return err
}

// installLogs sends the core's records to stderr at debug.
func installLogs() {
	if err := jb.SetLogger(slog.New(stderrLog{})); err != nil {
		logf("jb-conformance-go: logs: %v", err)
	}
}
