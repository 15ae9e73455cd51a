package jetbridge

import (
	"context"
	"strings"
	"sync/atomic"
)

// PublishHook returns the headers that carry ctx's active trace context,
// for a message whose headers has reports; nil adds none. See
// RegisterPublishHook.
type PublishHook func(ctx context.Context, has func(name string) bool) []HeaderField

// publishHook is the registered hook, nil while none is (the default): the
// publish paths then only load this pointer.
var publishHook atomic.Pointer[PublishHook]

// RegisterPublishHook is how an integration (the otel subpackage's
// Instrument) makes every publish carry the active span: each publish form
// (Client.Publish, PublishMsg, PublishMany, PublishBatch, Publisher.Publish,
// PublishMany, PublishTracked, CorePublish, CoreRequest, CoreMessage.Respond)
// calls hook with its ctx for each message and sends the headers it
// returns after the message's own. nil unregisters it. Applications use
// the otel subpackage rather than this.
func RegisterPublishHook(hook PublishHook) {
	if hook == nil {
		publishHook.Store(nil)
		return
	}
	publishHook.Store(&hook)
}

// hookHeaders is headers with what the registered hook adds for ctx
// (headers itself, unchanged, when no hook is registered or it adds none).
func hookHeaders(ctx context.Context, headers []HeaderField) []HeaderField {
	hook := publishHook.Load()
	if hook == nil {
		return headers
	}
	extra := (*hook)(ctx, func(name string) bool {
		for _, h := range headers {
			if strings.EqualFold(h.Name, name) {
				return true
			}
		}
		return false
	})
	if len(extra) == 0 {
		return headers
	}
	return append(headers[:len(headers):len(headers)], extra...)
}
