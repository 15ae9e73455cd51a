package jetbridge

// #include "shim.h"
import "C"

import (
	"context"
	"errors"
	"strings"
)

// msgIDHeader is the header that carries a message's id: the core's
// MSG_ID_HEADER.
var msgIDHeader = C.GoString(C.jb_msg_id_header())

// PublishCanceledError is the error of Client.Publish, PublishMsg or
// PublishMany when their ctx ended before the outcome came back: the
// message may or may not be stored. MsgID (PublishMany: MsgIDs, in order)
// is the id it was sent with — yours, or the one generated for it — so
// resending with that MsgID is safe (the stream's duplicate window drops a
// second copy). It unwraps to ctx.Err():
//
//	var canceled *jetbridge.PublishCanceledError
//	if errors.As(err, &canceled) {
//		msg.MsgID = &canceled.MsgID // resend later with the same id
//	}
//	errors.Is(err, context.DeadlineExceeded) // still true on a deadline
type PublishCanceledError struct {
	MsgID  string   // Publish, PublishMsg: the message's id
	MsgIDs []string // PublishMany: each message's id, in order
	Err    error    // ctx.Err()
}

func (e *PublishCanceledError) Error() string {
	if e.MsgIDs != nil {
		return "publish canceled (msg ids " + strings.Join(e.MsgIDs, ", ") + "): " + e.Err.Error()
	}
	return "publish canceled (msg id " + e.MsgID + "): " + e.Err.Error()
}

func (e *PublishCanceledError) Unwrap() error { return e.Err }

// canceled wraps err as a PublishCanceledError when it is ctx's own error
// (the core's errors are *Error values), else returns it unchanged.
func canceled(ctx context.Context, err error, id string) error {
	if !ctxEnded(ctx, err) {
		return err
	}
	return &PublishCanceledError{MsgID: id, Err: err}
}

// ctxEnded reports whether err is ctx's own error.
func ctxEnded(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
}

// withMsgID returns msg with its msg id fixed before it is sent, and that
// id: the one given (MsgID, else a Nats-Msg-Id header), else a generated
// one set as MsgID. The core would generate one too; generating it here is
// what lets a cancelled publish name it.
func withMsgID(msg PublishMessage) (PublishMessage, string) {
	if msg.MsgID != nil {
		return msg, *msg.MsgID
	}
	for _, h := range msg.Headers {
		if strings.EqualFold(h.Name, msgIDHeader) {
			return msg, h.Value
		}
	}
	if id, ok := msg.Header.key(msgIDHeader); ok && len(msg.Header[id]) > 0 {
		return msg, msg.Header[id][0]
	}
	id := newMsgID()
	if id != "" {
		msg.MsgID = &id
	}
	return msg, id
}

// newMsgID is a fresh message id from the core, in the form a publish
// without one gets.
func newMsgID() string {
	var out *C.char
	if err := call(func() C.jb_result { return C.jb_msg_id_new(&out) }); err != nil {
		// Only an allocation failure: let the core generate it instead (the
		// id is then not known to a cancelled publish's error).
		return ""
	}
	defer C.jb_string_free(out)
	return C.GoString(out)
}
