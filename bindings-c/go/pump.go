package jetbridge

// The goroutine behind every channel fed from a C handle's asynchronous
// "next" (KV and object-store watches, key listings): it asks for one item
// at a time and hands it to the channel, asks again when a wait ended with
// nothing, and when Stop is called, its ctx ends, an error comes or the
// items end, it stops the C handle, frees it and closes the channel.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"sync"
)

// pumpWaitMs is how long one next call waits before it is asked again.
const pumpWaitMs = 60_000

// pumpCalls is what a pump does with its C handle.
type pumpCalls[T any] struct {
	// next starts one asynchronous next call waiting at most the given
	// milliseconds; its result comes to the handle h (deliver).
	next func(waitMs C.uint64_t, h C.uintptr_t) C.jb_result
	// halt stops the C handle: a pending next answers at once.
	halt func()
	// free frees the C handle.
	free func()
	// item turns a delivered value into the channel's item; false ends
	// the pump (the end of a listing).
	item func(value any) (T, bool)
}

// pump feeds out from a C handle until it ends.
type pump[T any] struct {
	out      chan T
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{} // closed once the goroutine ended and freed the handle
	mu       sync.Mutex
	err      error
}

// startPump starts the goroutine; buffer is the channel's capacity.
func startPump[T any](ctx context.Context, buffer int, calls pumpCalls[T]) *pump[T] {
	p := &pump[T]{
		out:  make(chan T, buffer),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go p.run(ctx, calls)
	return p
}

// stopAndWait ends the pump and waits until its channel is closed (items
// still buffered in it stay readable). Idempotent.
func (p *pump[T]) stopAndWait() error {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
	return nil
}

// failure is the error that ended the pump, or nil.
func (p *pump[T]) failure() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *pump[T]) fail(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}

// startNext starts one next call; its result arrives on the returned channel.
func startNext[T any](calls pumpCalls[T]) (chan asyncResult, error) {
	debugGC()
	return startAsync(func(h C.uintptr_t) C.jb_result { return calls.next(pumpWaitMs, h) })
}

func (p *pump[T]) run(ctx context.Context, calls pumpCalls[T]) {
	defer func() {
		calls.free()
		close(p.out)
		close(p.done)
	}()
	// halt stops the C handle and waits for the pending next, which
	// answers at once.
	halt := func(pending chan asyncResult) {
		calls.halt()
		if pending != nil {
			<-pending
		}
	}
	for {
		pending, err := startNext(calls)
		if err != nil {
			p.fail(err)
			return
		}
		var r asyncResult
		select {
		case r = <-pending:
		case <-p.stop:
			halt(pending)
			return
		case <-ctx.Done():
			halt(pending)
			return
		}
		if errors.Is(r.err, ErrTimeout) {
			continue // nothing new for a while: ask again
		}
		if r.err != nil {
			p.fail(r.err)
			return
		}
		item, more := calls.item(r.value)
		if !more {
			return
		}
		select {
		case p.out <- item:
		case <-p.stop:
			halt(nil)
			return
		case <-ctx.Done():
			halt(nil)
			return
		}
	}
}
