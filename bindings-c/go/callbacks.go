package jetbridge

// The //export trampolines the C library calls back. Each one finds its Go
// receiver through a cgo.Handle passed as user_data (never a Go pointer kept
// by C), converts what C lent it into Go values before returning, and hands
// the result to a channel. One-shot handles are deleted by their single
// callback; subscription handles by the closure's drop.

/*
#include <jetbridge.h>
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// asyncResult is what a one-shot callback delivers.
type asyncResult struct {
	err    error
	handle unsafe.Pointer // a new handle (client, consumer, subscription)
	value  any            // a converted Go value
}

func deliver(ud unsafe.Pointer, r asyncResult) {
	h := cgo.Handle(uintptr(ud))
	ch := h.Value().(chan asyncResult)
	h.Delete()
	ch <- r // buffered: never blocks
}

// callbackError is the error a callback received. It runs on the library
// thread that calls back, where the library's last error is that error
// (its text is msg), with its API code.
func callbackError(code C.jb_result) error { return lastError(code) }

//export goDone
func goDone(ud unsafe.Pointer, code C.jb_result, msg *C.char) {
	deliver(ud, asyncResult{err: callbackError(code)})
}

//export goHandle
func goHandle(ud unsafe.Pointer, code C.jb_result, msg *C.char, handle unsafe.Pointer) {
	deliver(ud, asyncResult{err: callbackError(code), handle: handle})
}

//export goPubAck
func goPubAck(ud unsafe.Pointer, code C.jb_result, msg *C.char, ack *C.jb_pub_ack) {
	r := asyncResult{err: callbackError(code)}
	if ack != nil {
		r.value = pubAckFromC(ack)
	}
	deliver(ud, r)
}

//export goPublishResults
func goPublishResults(ud unsafe.Pointer, code C.jb_result, msg *C.char, res *C.jb_publish_results) {
	r := asyncResult{err: callbackError(code)}
	if res != nil {
		r.value = publishResultsFromC(res)
	}
	deliver(ud, r)
}

//export goTickets
func goTickets(ud unsafe.Pointer, code C.jb_result, msg *C.char, tickets *C.uint64_t, n C.size_t) {
	r := asyncResult{err: callbackError(code)}
	if tickets != nil && n > 0 {
		out := make([]uint64, int(n))
		for i, t := range unsafe.Slice(tickets, int(n)) {
			out[i] = uint64(t)
		}
		r.value = out
	}
	deliver(ud, r)
}

//export goFlushReport
func goFlushReport(ud unsafe.Pointer, code C.jb_result, msg *C.char, rep *C.jb_flush_report) {
	r := asyncResult{err: callbackError(code)}
	if rep != nil {
		r.value = flushReportFromC(rep)
	}
	deliver(ud, r)
}

//export goStreamInfo
func goStreamInfo(ud unsafe.Pointer, code C.jb_result, msg *C.char, info *C.jb_stream_info) {
	r := asyncResult{err: callbackError(code)}
	if info != nil && r.err == nil {
		r.value, r.err = streamInfoFromC(info)
	}
	deliver(ud, r)
}

//export goStreamInfoList
func goStreamInfoList(ud unsafe.Pointer, code C.jb_result, msg *C.char, list *C.jb_stream_info_list) {
	r := asyncResult{err: callbackError(code)}
	if list != nil && r.err == nil {
		r.value, r.err = streamInfoListFromC(list)
	}
	deliver(ud, r)
}

//export goAccountInfo
func goAccountInfo(ud unsafe.Pointer, code C.jb_result, msg *C.char, info *C.jb_account_info) {
	r := asyncResult{err: callbackError(code)}
	if info != nil && r.err == nil {
		r.value, r.err = accountInfoFromC(info)
	}
	deliver(ud, r)
}

//export goStoredMessage
func goStoredMessage(ud unsafe.Pointer, code C.jb_result, msg *C.char, m *C.jb_stored_message) {
	r := asyncResult{err: callbackError(code)}
	if m != nil {
		r.value = storedFromC(m)
	}
	deliver(ud, r)
}

//export goStoredMessageList
func goStoredMessageList(ud unsafe.Pointer, code C.jb_result, msg *C.char, list *C.jb_stored_message_list) {
	r := asyncResult{err: callbackError(code)}
	if list != nil && r.err == nil {
		r.value = storedListFromC(list)
	}
	deliver(ud, r)
}

//export goConsumerInfo
func goConsumerInfo(ud unsafe.Pointer, code C.jb_result, msg *C.char, info *C.jb_consumer_info) {
	r := asyncResult{err: callbackError(code)}
	if info != nil && r.err == nil {
		r.value, r.err = consumerInfoFromC(info)
	}
	deliver(ud, r)
}

//export goConsumerInfoList
func goConsumerInfoList(ud unsafe.Pointer, code C.jb_result, msg *C.char, list *C.jb_consumer_info_list) {
	r := asyncResult{err: callbackError(code)}
	if list != nil && r.err == nil {
		r.value, r.err = consumerInfoListFromC(list)
	}
	deliver(ud, r)
}

//export goConsumerPauseState
func goConsumerPauseState(ud unsafe.Pointer, code C.jb_result, msg *C.char, state *C.jb_consumer_pause_state) {
	r := asyncResult{err: callbackError(code)}
	if state != nil && r.err == nil {
		r.value, r.err = consumerPauseStateFromC(state)
	}
	deliver(ud, r)
}

//export goCount
func goCount(ud unsafe.Pointer, code C.jb_result, msg *C.char, count C.uint64_t) {
	deliver(ud, asyncResult{err: callbackError(code), value: uint64(count)})
}

//export goString
func goString(ud unsafe.Pointer, code C.jb_result, msg *C.char, s *C.char) {
	r := asyncResult{err: callbackError(code)}
	if s != nil {
		r.value = C.GoString(s)
	}
	deliver(ud, r)
}

//export goMessages
func goMessages(ud unsafe.Pointer, code C.jb_result, msg *C.char, msgs **C.jb_message, n C.size_t) {
	r := asyncResult{err: callbackError(code)}
	if msgs != nil && n > 0 {
		// The handles become ours; the array is only lent.
		r.value = append([]*C.jb_message(nil), unsafe.Slice(msgs, int(n))...)
	}
	deliver(ud, r)
}

//export goSubMany
func goSubMany(ctx unsafe.Pointer, code C.jb_result, msg *C.char, msgs **C.jb_message, n C.size_t) {
	s := cgo.Handle(uintptr(ctx)).Value().(*subscriptionState)
	if code != C.JB_RESULT_OK {
		s.fail(callbackError(code))
		return
	}
	// The handles become ours; the array is only lent.
	s.push(append([]*C.jb_message(nil), unsafe.Slice(msgs, int(n))...))
}

//export goSubDrop
func goSubDrop(ctx unsafe.Pointer) {
	h := cgo.Handle(uintptr(ctx))
	s := h.Value().(*subscriptionState)
	h.Delete()
	s.dropped()
}
