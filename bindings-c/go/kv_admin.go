package jetbridge

// Bucket and store administration: create-or-update, status, the account's
// buckets and stores, sealing a store; keys matching a filter and keys with
// their own time to live. Each call goes through the C ABI's _async form
// (shim.c) awaited with the caller's ctx.

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime"
	"time"
	"unsafe"
)

// KvWatchAll is the filter that matches every key (the core's WATCH_ALL),
// for Watch.
var KvWatchAll = C.GoString(C.jb_kv_watch_all())

func kvStatusFromC(p *C.jb_kv_status) (*KvStatus, error) {
	var s KvStatus
	err := recordFromC(&s, func(js **C.char) C.jb_result { return C.jb_kv_status_to_json(p, js) })
	return &s, err
}

func objectStoreStatusFromC(p *C.jb_object_store_status) (*ObjectStoreStatus, error) {
	var s ObjectStoreStatus
	err := recordFromC(&s, func(js **C.char) C.jb_result { return C.jb_object_store_status_to_json(p, js) })
	return &s, err
}

//export goKvStatus
func goKvStatus(ud unsafe.Pointer, code C.jb_result, msg *C.char, s *C.jb_kv_status) {
	r := asyncResult{err: callbackError(code)}
	if s != nil && r.err == nil {
		r.value, r.err = kvStatusFromC(s)
	}
	deliver(ud, r)
}

//export goObjectStoreStatus
func goObjectStoreStatus(ud unsafe.Pointer, code C.jb_result, msg *C.char, s *C.jb_object_store_status) {
	r := asyncResult{err: callbackError(code)}
	if s != nil && r.err == nil {
		r.value, r.err = objectStoreStatusFromC(s)
	}
	deliver(ud, r)
}

// clientValueCall runs an async client call and returns the value its
// callback converted.
func (c *Client) clientValueCall(ctx context.Context, start func(p *C.jb_client, h C.uintptr_t) C.jb_result) (any, error) {
	var out any
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, nil)
		out = r.value
		return err
	})
	return out, err
}

// bucketValueCall is clientValueCall with a C bucket (or store) name.
func (c *Client) bucketValueCall(ctx context.Context, bucket string, start func(p *C.jb_client, b *C.char, h C.uintptr_t) C.jb_result) (any, error) {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return nil, err
	}
	return c.clientValueCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return start(p, cbucket, h) })
}

// CreateOrUpdateKeyValue creates a bucket (KvConfig, types_gen.go), or
// updates the existing one to cfg, and returns it.
func (c *Client) CreateOrUpdateKeyValue(ctx context.Context, cfg KvConfig) (*KeyValue, error) {
	cc, err := recordToC(cfg, func(js *C.char, out **C.jb_kv_config) C.jb_result {
		return C.jb_kv_config_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_kv_config_free(cc)
	return c.kvHandleCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_create_or_update_kv(p, cc, h) })
}

// KeyValueStatus returns a bucket's configuration, as the server holds it,
// and what it stores (ErrNotFound if there is none).
func (c *Client) KeyValueStatus(ctx context.Context, bucket string) (*KvStatus, error) {
	v, err := c.bucketValueCall(ctx, bucket, func(p *C.jb_client, b *C.char, h C.uintptr_t) C.jb_result {
		return C.go_client_kv_status(p, b, h)
	})
	if err != nil {
		return nil, err
	}
	return v.(*KvStatus), nil
}

// KeyValueNames returns the names of the account's buckets, sorted.
func (c *Client) KeyValueNames(ctx context.Context) ([]string, error) {
	v, err := c.clientValueCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_kv_names(p, h) })
	if err != nil {
		return nil, err
	}
	return v.([]string), nil
}

// ObjectStoreStatus returns a store's configuration, as the server holds
// it, whether it is sealed and the bytes it stores (ErrNotFound if there is
// none).
func (c *Client) ObjectStoreStatus(ctx context.Context, bucket string) (*ObjectStoreStatus, error) {
	v, err := c.bucketValueCall(ctx, bucket, func(p *C.jb_client, b *C.char, h C.uintptr_t) C.jb_result {
		return C.go_client_object_store_status(p, b, h)
	})
	if err != nil {
		return nil, err
	}
	return v.(*ObjectStoreStatus), nil
}

// ObjectStoreNames returns the names of the account's object stores, sorted.
func (c *Client) ObjectStoreNames(ctx context.Context) ([]string, error) {
	v, err := c.clientValueCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_object_store_names(p, h) })
	if err != nil {
		return nil, err
	}
	return v.([]string), nil
}

// Status returns this bucket's configuration and what it stores.
func (kv *KeyValue) Status(ctx context.Context) (*KvStatus, error) {
	var out *KvStatus
	err := kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_status(p, h) }, nil)
		if err == nil {
			out = r.value.(*KvStatus)
		}
		return err
	})
	return out, err
}

// KeysMatching returns the keys matching filter ("*" matches one token, a
// final ">" the rest) that have a value now, in no particular order. A bad
// filter is ErrInvalidArgument.
func (kv *KeyValue) KeysMatching(ctx context.Context, filter string) ([]string, error) {
	var cs cstrings
	defer cs.free()
	cfilter, err := cs.add(filter, "filter")
	if err != nil {
		return nil, err
	}
	var out []string
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_keys_matching(p, cfilter, h) }, nil)
		if err == nil {
			out = r.value.([]string)
		}
		return err
	})
	return out, err
}

// KvCreateOption is an option of Create.
type KvCreateOption func(*kvCreateOptions)

type kvCreateOptions struct {
	ttl *time.Duration
}

// KeyTTL gives the created key its own time to live: then the server
// removes it. The bucket needs LimitMarkerTtl in its KvConfig
// (nats-server 2.11+; older is ErrServerTooOld); the core judges the value
// (a negative one is ErrInvalidArgument before anything is sent).
func KeyTTL(d time.Duration) KvCreateOption {
	return func(o *kvCreateOptions) { o.ttl = &d }
}

// createWithTTL is Create with a KeyTTL.
func (kv *KeyValue) createWithTTL(ctx context.Context, key string, value []byte, ttl time.Duration) (uint64, error) {
	if err := nonNegative(duration("ttl", ttl)); err != nil {
		return 0, err
	}
	v, n := valuePtr(value)
	rev, err := kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_create_with_ttl(p, k, v, n, ttlMillis(ttl), h)
	})
	runtime.KeepAlive(value)
	return rev, err
}

// Status returns this store's configuration, whether it is sealed and the
// bytes it stores.
func (o *ObjectStore) Status(ctx context.Context) (*ObjectStoreStatus, error) {
	return o.statusCall(ctx, func(p *C.jb_object_store, h C.uintptr_t) C.jb_result { return C.go_object_store_status(p, h) })
}

// Seal seals the store and returns its status: from then on the server
// refuses writes and deletes (ErrInvalidArgument, APICode 10109). It cannot
// be undone.
func (o *ObjectStore) Seal(ctx context.Context) (*ObjectStoreStatus, error) {
	return o.statusCall(ctx, func(p *C.jb_object_store, h C.uintptr_t) C.jb_result { return C.go_object_store_seal(p, h) })
}

func (o *ObjectStore) statusCall(ctx context.Context, start func(p *C.jb_object_store, h C.uintptr_t) C.jb_result) (*ObjectStoreStatus, error) {
	var out *ObjectStoreStatus
	err := o.with(func(p *C.jb_object_store) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, nil)
		if err == nil {
			out = r.value.(*ObjectStoreStatus)
		}
		return err
	})
	return out, err
}
