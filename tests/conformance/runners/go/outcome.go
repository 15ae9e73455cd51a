package main

// What one step ended with, and its transcript line (SPEC.md §2).

import (
	"errors"
	"fmt"
	"os"
	"strings"

	jb "github.com/jetbridge/jetbridge-go"
)

// stepError is a step that did not produce a result for a reason of the
// runner; kind is what the transcript shows (UNSUPPORTED or RUNNER).
type stepError struct {
	kind    string
	message string
}

func (e *stepError) Error() string { return e.message }

// unsupported: the scenario asked for something this binding cannot do.
func unsupported(format string, a ...any) error {
	return &stepError{kind: "UNSUPPORTED", message: fmt.Sprintf(format, a...)}
}

// runnerError: the scenario is malformed or refers to something that does not exist.
func runnerError(format string, a ...any) error {
	return &stepError{kind: "RUNNER", message: fmt.Sprintf(format, a...)}
}

// errorKind is the transcript's name of err: the binding's error kind name
// (its Code), UNSUPPORTED/RUNNER for the runner's own, RUNNER for anything
// else. It logs the error's message and %#v (secret hygiene, SPEC.md §7).
func errorKind(err error) string {
	var se *stepError
	if errors.As(err, &se) {
		logf("  %s: %s", strings.ToLower(se.kind), se.message)
		return se.kind
	}
	var je *jb.Error
	if errors.As(err, &je) {
		logf("  core error: %v\n  core error %%#v: %#v", err, err)
		return je.Code.Name()
	}
	logf("  runner error: %v (%#v)", err, err)
	return "RUNNER"
}

// line is the transcript line of a successful step.
func line(step int, op string, result obj) string {
	return encode(obj{"step": step, "op": op, "ok": result})
}

// errorLine is the transcript line of a failed step: its kind, the server's
// API code when the error carries one, with showText the error's text
// (err.Error()) and with catch the kind errors.Is catches (caughtAs), SPEC.md §2.
func errorLine(step int, op string, err error, showText, catch bool) string {
	line := obj{"step": step, "op": op, "error": errorKind(err)}
	var je *jb.Error
	if errors.As(err, &je) {
		if je.APICode != 0 {
			line["api_code"] = uint64(je.APICode)
		}
		if showText {
			line["text"] = err.Error()
		}
		if catch {
			line["caught_as"] = caughtAs(err)
		}
	}
	return encode(line)
}

// kindSentinels are the binding's sentinel errors, one per kind, in the
// core's order of kinds (core/src/error.rs).
var kindSentinels = []*jb.Error{
	jb.ErrInvalidArgument, jb.ErrNullParameter, jb.ErrInvalidHandle, jb.ErrConnection,
	jb.ErrAuth, jb.ErrTLS, jb.ErrTimeout, jb.ErrNotFound, jb.ErrAlreadyExists,
	jb.ErrWrongLastSequence, jb.ErrStreamMismatch, jb.ErrPublishOutcomeUnknown,
	jb.ErrNoResponders, jb.ErrJetStreamUnavailable, jb.ErrJetStreamNotEnabled,
	jb.ErrHeartbeatMissed, jb.ErrConfigMismatch, jb.ErrAlreadyAcked, jb.ErrLimitExceeded,
	jb.ErrPermissionDenied, jb.ErrClosed, jb.ErrForked, jb.ErrServer, jb.ErrPanic,
	jb.ErrInternal, jb.ErrServerTooOld,
}

// caughtAs is the kind a Go program catches err as: the first kind, in the
// core's order, with errors.Is(err, jetbridge.Err<Kind>); nil (null) when
// none matches.
func caughtAs(err error) any {
	for _, sentinel := range kindSentinels {
		if errors.Is(err, sentinel) {
			return sentinel.Code.Name()
		}
	}
	return nil
}

// logf writes one diagnostic line to stderr (saved next to the transcript).
func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", a...)
}
