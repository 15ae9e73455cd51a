package jetbridge

/*
#include <jetbridge.h>
*/
import "C"

import "fmt"

// Code is the stable number of an error kind, shared by every JetBridge
// language (the C jb_result).
type Code uint32

// The error kinds of the core, by number. Numbers never change.
const (
	CodeInvalidArgument       Code = C.JB_RESULT_INVALID_ARGUMENT
	CodeNullParameter         Code = C.JB_RESULT_NULL_PARAMETER
	CodeInvalidHandle         Code = C.JB_RESULT_INVALID_HANDLE
	CodeConnection            Code = C.JB_RESULT_CONNECTION
	CodeAuth                  Code = C.JB_RESULT_AUTH
	CodeTLS                   Code = C.JB_RESULT_TLS
	CodeTimeout               Code = C.JB_RESULT_TIMEOUT
	CodeNotFound              Code = C.JB_RESULT_NOT_FOUND
	CodeAlreadyExists         Code = C.JB_RESULT_ALREADY_EXISTS
	CodeWrongLastSequence     Code = C.JB_RESULT_WRONG_LAST_SEQUENCE
	CodeStreamMismatch        Code = C.JB_RESULT_STREAM_MISMATCH
	CodePublishOutcomeUnknown Code = C.JB_RESULT_PUBLISH_OUTCOME_UNKNOWN
	CodeNoResponders          Code = C.JB_RESULT_NO_RESPONDERS
	CodeJetStreamUnavailable  Code = C.JB_RESULT_JETSTREAM_UNAVAILABLE
	CodeJetStreamNotEnabled   Code = C.JB_RESULT_JETSTREAM_NOT_ENABLED
	CodeHeartbeatMissed       Code = C.JB_RESULT_HEARTBEAT_MISSED
	CodeConfigMismatch        Code = C.JB_RESULT_CONFIG_MISMATCH
	CodeAlreadyAcked          Code = C.JB_RESULT_ALREADY_ACKED
	CodeLimitExceeded         Code = C.JB_RESULT_LIMIT_EXCEEDED
	CodePermissionDenied      Code = C.JB_RESULT_PERMISSION_DENIED
	CodeClosed                Code = C.JB_RESULT_CLOSED
	CodeForked                Code = C.JB_RESULT_FORKED
	CodeServer                Code = C.JB_RESULT_SERVER
	CodePanic                 Code = C.JB_RESULT_PANIC
	CodeInternal              Code = C.JB_RESULT_INTERNAL
	CodeServerTooOld          Code = C.JB_RESULT_SERVER_TOO_OLD
)

// Name is the stable SCREAMING_SNAKE_CASE name, e.g. "TIMEOUT".
func (c Code) Name() string { return C.GoString(C.jb_result_name(C.uint32_t(c))) }

// Retryable reports whether the same call may succeed later (connection,
// timeout, unknown publish outcome, no responders, JetStream unavailable,
// missed heartbeats).
func (c Code) Retryable() bool { return bool(C.jb_result_is_retryable(C.uint32_t(c))) }

// Error is every error of this package. Message is the core's text
// ("TIMEOUT: …", Error() returns it) and never contains secrets. APICode is
// the server's JetStream API err_code when it sent one (0 otherwise), for
// blocking and async calls alike.
type Error struct {
	Code    Code
	Message string
	APICode uint32
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code.Name()
	}
	return e.Message
}

// Is makes errors.Is(err, ErrTimeout) match any error of that kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == ""
}

// Retryable is shorthand for e.Code.Retryable().
func (e *Error) Retryable() bool { return e.Code.Retryable() }

// Sentinels for errors.Is, one per kind.
var (
	ErrInvalidArgument       = &Error{Code: CodeInvalidArgument}
	ErrNullParameter         = &Error{Code: CodeNullParameter}
	ErrInvalidHandle         = &Error{Code: CodeInvalidHandle}
	ErrConnection            = &Error{Code: CodeConnection}
	ErrAuth                  = &Error{Code: CodeAuth}
	ErrTLS                   = &Error{Code: CodeTLS}
	ErrTimeout               = &Error{Code: CodeTimeout}
	ErrNotFound              = &Error{Code: CodeNotFound}
	ErrAlreadyExists         = &Error{Code: CodeAlreadyExists}
	ErrWrongLastSequence     = &Error{Code: CodeWrongLastSequence}
	ErrStreamMismatch        = &Error{Code: CodeStreamMismatch}
	ErrPublishOutcomeUnknown = &Error{Code: CodePublishOutcomeUnknown}
	ErrNoResponders          = &Error{Code: CodeNoResponders}
	ErrJetStreamUnavailable  = &Error{Code: CodeJetStreamUnavailable}
	ErrJetStreamNotEnabled   = &Error{Code: CodeJetStreamNotEnabled}
	ErrHeartbeatMissed       = &Error{Code: CodeHeartbeatMissed}
	ErrConfigMismatch        = &Error{Code: CodeConfigMismatch}
	ErrAlreadyAcked          = &Error{Code: CodeAlreadyAcked}
	ErrLimitExceeded         = &Error{Code: CodeLimitExceeded}
	ErrPermissionDenied      = &Error{Code: CodePermissionDenied}
	ErrClosed                = &Error{Code: CodeClosed}
	ErrForked                = &Error{Code: CodeForked}
	ErrServer                = &Error{Code: CodeServer}
	ErrPanic                 = &Error{Code: CodePanic}
	ErrInternal              = &Error{Code: CodeInternal}
	ErrServerTooOld          = &Error{Code: CodeServerTooOld}
)

// lastError is the error of a failed call from the library's detail on this
// OS thread: of the call just made, or inside a callback the error it
// received. nil for JB_RESULT_OK.
func lastError(code C.jb_result) error {
	if code == C.JB_RESULT_OK {
		return nil
	}
	return &Error{Code: Code(code), Message: C.GoString(C.jb_last_error_message()),
		APICode: uint32(C.jb_last_error_api_code())}
}

// invalid is an INVALID_ARGUMENT raised by this package's own conversions
// (a Go string with an embedded NUL cannot become a C string).
func invalid(what, why string) error {
	return &Error{Code: CodeInvalidArgument, Message: fmt.Sprintf("INVALID_ARGUMENT: invalid %s: %s", what, why)}
}
