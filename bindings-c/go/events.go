package jetbridge

// Connection events: the core calls back on its own thread for each event;
// the callback only appends to a queue, and a goroutine per listener hands
// the queue to the channel Events returned.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// EventKind is the core's name of a connection event, e.g. "disconnected"
// (the same name in every JetBridge language).
type EventKind string

// The event kinds: the core's names, in the order of its codes (the C
// enum jb_event_kind). TestEventKindsFollowTheCore checks them.
const (
	EventConnected    EventKind = "connected"     // connected (after the initial connect)
	EventDisconnected EventKind = "disconnected"  // the connection was lost; the client reconnects
	EventReconnected  EventKind = "reconnected"   // connected again after a disconnect
	EventLameDuck     EventKind = "lame_duck"     // the server is shutting down gracefully
	EventSlowConsumer EventKind = "slow_consumer" // the client fell behind and messages were dropped
	EventServerError  EventKind = "server_error"  // the server reported an error (Detail: its text)
	EventClosed       EventKind = "closed"        // the client closed or drained; always the last event
	EventMissed       EventKind = "missed"        // this listener fell behind (Detail: how many it missed)
)

// eventKinds are the constants indexed by the C enum's values.
var eventKinds = [...]EventKind{
	C.JB_EVENT_KIND_CONNECTED:     EventConnected,
	C.JB_EVENT_KIND_DISCONNECTED:  EventDisconnected,
	C.JB_EVENT_KIND_RECONNECTED:   EventReconnected,
	C.JB_EVENT_KIND_LAME_DUCK:     EventLameDuck,
	C.JB_EVENT_KIND_SLOW_CONSUMER: EventSlowConsumer,
	C.JB_EVENT_KIND_SERVER_ERROR:  EventServerError,
	C.JB_EVENT_KIND_CLOSED:        EventClosed,
	C.JB_EVENT_KIND_MISSED:        EventMissed,
}

// eventKindName is the core's name of event code n ("unknown" past the last).
func eventKindName(n uint32) string { return C.GoString(C.jb_event_kind_name(C.uint32_t(n))) }

// Event is one connection event: its Kind and its Detail (the server's
// error text of EventServerError, the count of EventMissed; "" for the
// others).
type Event struct {
	Kind   EventKind
	Detail string
}

// eventListener is what the C callback reaches through its cgo.Handle.
type eventListener struct {
	mu     sync.Mutex
	queue  []Event
	closed bool          // EventClosed was queued: nothing comes after it
	wake   chan struct{} // capacity 1: something was queued
}

func (l *eventListener) add(e Event) {
	l.mu.Lock()
	l.queue = append(l.queue, e)
	if e.Kind == EventClosed {
		l.closed = true
	}
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *eventListener) take() ([]Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queue
	l.queue = nil
	return q, l.closed
}

//export goEvent
func goEvent(ud unsafe.Pointer, kind C.uint32_t, detail *C.char) {
	l := cgo.Handle(uintptr(ud)).Value().(*eventListener)
	l.add(Event{Kind: EventKind(eventKindName(uint32(kind))), Detail: goStrOpt(detail)})
}

// Events returns the client's connection events from now on, in order, on
// a channel that is closed after EventClosed (the client closed or
// drained) or when ctx ends. On a client that is already closed the
// channel is closed at once, empty. Each call is its own listener, getting
// every event.
//
// The core's thread is never blocked: each event is queued in Go, without
// bound, until it is read, so a slow reader loses nothing (events are
// rare: connection changes), and unread events are dropped when ctx ends.
// EventMissed comes only from the core, should this listener fall more
// than 256 events behind inside it.
func (c *Client) Events(ctx context.Context) <-chan Event {
	out := make(chan Event)
	l := &eventListener{wake: make(chan struct{}, 1)}
	h := cgo.NewHandle(l)
	var lp *C.jb_event_listener
	err := c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.go_on_event(p, C.uintptr_t(h), &lp) })
	})
	if err != nil {
		// Not listening (a freed client): nothing will come.
		h.Delete()
		close(out)
		return out
	}
	// On a client already closed no call comes and the listener ends by
	// itself, soon: forward then watches for that.
	state, _ := c.ConnectionState()
	go l.forward(ctx, out, lp, h, state.Closed)
	return out
}

// ended reports whether the C listener has ended (no call comes any more).
func listenerEnded(lp *C.jb_event_listener) bool {
	var ended C.bool
	return C.jb_event_listener_ended(lp, &ended) == C.JB_RESULT_OK && bool(ended)
}

// forward hands the queued events to out until EventClosed went out (or,
// on a client that was closed when listening began, the listener ended),
// or ctx ends; then stops the calls, releases the handle and closes out.
func (l *eventListener) forward(ctx context.Context, out chan<- Event, lp *C.jb_event_listener, h cgo.Handle, poll bool) {
	defer func() {
		C.jb_event_listener_free(lp) // no call after this returns
		h.Delete()
		close(out)
	}()
	for {
		// Read before taking the queue: once ended, nothing more is queued.
		ended := poll && listenerEnded(lp)
		batch, closed := l.take()
		for _, e := range batch {
			select {
			case out <- e:
			case <-ctx.Done():
				return
			}
		}
		if closed || ended {
			return
		}
		var tick <-chan time.Time
		if poll {
			tick = time.After(5 * time.Millisecond)
		}
		select {
		case <-l.wake:
		case <-tick:
		case <-ctx.Done():
			return
		}
	}
}
