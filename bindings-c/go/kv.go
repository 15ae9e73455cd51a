package jetbridge

// Key-value buckets: a KeyValue handle with get, put, compare-and-set,
// delete, purge, history, keys and watch, each over the C ABI's _async call
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

// KvOperation is what an entry records: a value, a delete marker or a purge
// marker. Its values are the core's names, the same in every JetBridge
// language.
type KvOperation string

// The operations of a KvEntry.
const (
	KvPut    KvOperation = "put"    // a value
	KvDelete KvOperation = "delete" // a delete marker (the key's older revisions are kept)
	KvPurge  KvOperation = "purge"  // a purge marker (the key's older revisions are gone)
)

// kvOperations are the constants indexed by the C enum jb_kv_operation.
var kvOperations = [...]KvOperation{
	C.JB_KV_OPERATION_PUT:    KvPut,
	C.JB_KV_OPERATION_DELETE: KvDelete,
	C.JB_KV_OPERATION_PURGE:  KvPurge,
}

// KvEntry is one revision of a key. Value is empty for delete and purge
// markers.
type KvEntry struct {
	Bucket    string
	Key       string
	Value     []byte
	Revision  uint64
	Created   time.Time
	Operation KvOperation
}

// kvEntryFromC copies a (lent or owned) C entry into Go memory.
func kvEntryFromC(e *C.jb_kv_entry) *KvEntry {
	op := KvOperation("unknown")
	if n := int(e.operation); n >= 0 && n < len(kvOperations) {
		op = kvOperations[n]
	}
	return &KvEntry{
		Bucket: goStrOpt(e.bucket), Key: goStrOpt(e.key), Value: goBytes(e.value, e.value_len),
		Revision: uint64(e.revision), Created: time.Unix(0, int64(e.created_ns)), Operation: op,
	}
}

func kvEntryListFromC(l *C.jb_kv_entry_list) []*KvEntry {
	out := make([]*KvEntry, 0, int(l.len))
	if l.items == nil {
		return out
	}
	items := unsafe.Slice(l.items, int(l.len))
	for i := range items {
		out = append(out, kvEntryFromC(&items[i]))
	}
	return out
}

//export goKvEntry
func goKvEntry(ud unsafe.Pointer, code C.jb_result, msg *C.char, e *C.jb_kv_entry) {
	r := asyncResult{err: callbackError(code)}
	if e != nil && r.err == nil {
		r.value = kvEntryFromC(e)
	}
	deliver(ud, r)
}

//export goKvEntryList
func goKvEntryList(ud unsafe.Pointer, code C.jb_result, msg *C.char, l *C.jb_kv_entry_list) {
	r := asyncResult{err: callbackError(code)}
	if l != nil && r.err == nil {
		r.value = kvEntryListFromC(l)
	}
	deliver(ud, r)
}

//export goKvKeyList
func goKvKeyList(ud unsafe.Pointer, code C.jb_result, msg *C.char, l *C.jb_kv_key_list) {
	r := asyncResult{err: callbackError(code)}
	if l != nil && r.err == nil {
		keys := goStrings((**C.char)(unsafe.Pointer(l.items)), l.len)
		if keys == nil {
			keys = []string{}
		}
		r.value = keys
	}
	deliver(ud, r)
}

// KeyValue is a key-value bucket. Safe for concurrent use; Close it when
// done (a finalizer releases it otherwise). After the client's Close its
// calls fail with ErrClosed.
type KeyValue struct {
	_ptr   *C.jb_kv
	bucket string
}

func newKeyValue(p *C.jb_kv) *KeyValue {
	kv := &KeyValue{_ptr: p, bucket: goStrOpt(C.jb_kv_bucket(p))}
	runtime.SetFinalizer(kv, func(kv *KeyValue) { C.jb_kv_free(kv._ptr) })
	return kv
}

func freeKeyValue(r asyncResult) { C.jb_kv_free((*C.jb_kv)(r.handle)) }

// with runs f with the handle, keeping the bucket alive.
func (kv *KeyValue) with(f func(p *C.jb_kv) error) error {
	debugGC()
	err := f(kv._ptr)
	runtime.KeepAlive(kv)
	return err
}

// Bucket is the bucket's name.
func (kv *KeyValue) Bucket() string { return kv.bucket }

// Close releases the handle (the bucket stays). Idempotent (the library
// ignores a second free).
func (kv *KeyValue) Close() error {
	C.jb_kv_free(kv._ptr)
	runtime.SetFinalizer(kv, nil)
	return nil
}

// kvHandleCall runs an async client call that yields a bucket handle.
func (c *Client) kvHandleCall(ctx context.Context, start func(p *C.jb_client, h C.uintptr_t) C.jb_result) (*KeyValue, error) {
	var out *KeyValue
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, freeKeyValue)
		if err == nil {
			out = newKeyValue((*C.jb_kv)(r.handle))
		}
		return err
	})
	return out, err
}

// CreateKeyValue creates a bucket (KvConfig, types_gen.go) and returns it.
// The same configuration again returns the existing bucket; a different one
// is ErrAlreadyExists. A bad name, history or TTL is ErrInvalidArgument
// naming it.
func (c *Client) CreateKeyValue(ctx context.Context, cfg KvConfig) (*KeyValue, error) {
	cc, err := recordToC(cfg, func(js *C.char, out **C.jb_kv_config) C.jb_result {
		return C.jb_kv_config_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_kv_config_free(cc)
	return c.kvHandleCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_create_kv(p, cc, h) })
}

// KeyValue opens an existing bucket (ErrNotFound if there is none).
func (c *Client) KeyValue(ctx context.Context, bucket string) (*KeyValue, error) {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return nil, err
	}
	return c.kvHandleCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_kv(p, cbucket, h) })
}

// DeleteKeyValue deletes a bucket with every key (ErrNotFound if there is
// none).
func (c *Client) DeleteKeyValue(ctx context.Context, bucket string) error {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_delete_kv(p, cbucket, h) }, nil)
		return err
	})
}

// call runs an async call on the bucket with the C key and returns its value.
func (kv *KeyValue) call(ctx context.Context, key string, start func(p *C.jb_kv, key *C.char, h C.uintptr_t) C.jb_result) (any, error) {
	var cs cstrings
	defer cs.free()
	ckey, err := cs.add(key, "key")
	if err != nil {
		return nil, err
	}
	var out any
	err = kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, ckey, h) }, nil)
		out = r.value
		return err
	})
	return out, err
}

// revisionCall is call for the writes, which yield the new revision.
func (kv *KeyValue) revisionCall(ctx context.Context, key string, start func(p *C.jb_kv, key *C.char, h C.uintptr_t) C.jb_result) (uint64, error) {
	v, err := kv.call(ctx, key, start)
	if err != nil {
		return 0, err
	}
	return v.(uint64), nil
}

// valuePtr is value's first byte for the C call (which copies it before
// returning), or NULL when empty.
func valuePtr(value []byte) (*C.uint8_t, C.size_t) {
	if len(value) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&value[0])), C.size_t(len(value))
}

// entryCall is call for the reads that yield one entry.
func (kv *KeyValue) entryCall(ctx context.Context, key string, start func(p *C.jb_kv, key *C.char, h C.uintptr_t) C.jb_result) (*KvEntry, error) {
	v, err := kv.call(ctx, key, start)
	if err != nil {
		return nil, err
	}
	e, _ := v.(*KvEntry)
	return e, nil
}

// Get returns the key's value (its latest revision). A key never written,
// deleted or purged is ErrNotFound (its text says which).
func (kv *KeyValue) Get(ctx context.Context, key string) (*KvEntry, error) {
	return kv.GetRevision(ctx, key, 0)
}

// GetRevision returns revision rev of the key (0: the latest, as Get).
// A revision that is not the key's (or no longer kept) is ErrNotFound.
func (kv *KeyValue) GetRevision(ctx context.Context, key string, rev uint64) (*KvEntry, error) {
	return kv.entryCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_get(p, k, C.uint64_t(rev), h)
	})
}

// Entry returns the key's latest entry, delete and purge markers included
// (look at its Operation), or nil for a key never written.
func (kv *KeyValue) Entry(ctx context.Context, key string) (*KvEntry, error) {
	return kv.entryCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_get_entry(p, k, h)
	})
}

// Put stores value under key and returns its revision.
func (kv *KeyValue) Put(ctx context.Context, key string, value []byte) (uint64, error) {
	v, n := valuePtr(value)
	rev, err := kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_put(p, k, v, n, h)
	})
	runtime.KeepAlive(value)
	return rev, err
}

// Create stores value only if the key has no value (never written, deleted
// or purged); otherwise ErrWrongLastSequence. KeyTTL gives the key its own
// time to live.
func (kv *KeyValue) Create(ctx context.Context, key string, value []byte, opts ...KvCreateOption) (uint64, error) {
	var o kvCreateOptions
	for _, f := range opts {
		f(&o)
	}
	if o.ttl != nil {
		return kv.createWithTTL(ctx, key, value, *o.ttl)
	}
	v, n := valuePtr(value)
	rev, err := kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_create(p, k, v, n, h)
	})
	runtime.KeepAlive(value)
	return rev, err
}

// Update stores value only if rev is the key's latest revision
// (compare-and-set); otherwise ErrWrongLastSequence.
func (kv *KeyValue) Update(ctx context.Context, key string, value []byte, rev uint64) (uint64, error) {
	v, n := valuePtr(value)
	out, err := kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_update(p, k, v, n, C.uint64_t(rev), h)
	})
	runtime.KeepAlive(value)
	return out, err
}

// KvDeleteOption is an option of Delete and Purge.
type KvDeleteOption func(*kvDeleteOptions)

type kvDeleteOptions struct{ revision uint64 }

// LastRevision makes Delete or Purge happen only if rev is the key's latest
// revision (otherwise ErrWrongLastSequence). Revisions start at 1; 0 means
// no expectation.
func LastRevision(rev uint64) KvDeleteOption {
	return func(o *kvDeleteOptions) { o.revision = rev }
}

func deleteOptions(opts []KvDeleteOption) C.uint64_t {
	var o kvDeleteOptions
	for _, f := range opts {
		f(&o)
	}
	return C.uint64_t(o.revision)
}

// Delete writes a delete marker for key (its older revisions are kept) and
// returns the marker's revision.
func (kv *KeyValue) Delete(ctx context.Context, key string, opts ...KvDeleteOption) (uint64, error) {
	rev := deleteOptions(opts)
	return kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_delete(p, k, rev, h)
	})
}

// Purge writes a purge marker for key, removing its older revisions, and
// returns the marker's revision.
func (kv *KeyValue) Purge(ctx context.Context, key string, opts ...KvDeleteOption) (uint64, error) {
	rev := deleteOptions(opts)
	return kv.revisionCall(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_purge(p, k, rev, h)
	})
}

// History returns every kept revision of key, oldest first, markers
// included (ErrNotFound when there is none).
func (kv *KeyValue) History(ctx context.Context, key string) ([]*KvEntry, error) {
	v, err := kv.call(ctx, key, func(p *C.jb_kv, k *C.char, h C.uintptr_t) C.jb_result {
		return C.go_kv_history(p, k, h)
	})
	if err != nil {
		return nil, err
	}
	return v.([]*KvEntry), nil
}

// Keys returns the keys that have a value now (deleted and purged ones left
// out), in no particular order; an empty bucket is an empty slice.
// KeysMatching takes a filter.
func (kv *KeyValue) Keys(ctx context.Context) ([]string, error) {
	var out []string
	err := kv.with(func(p *C.jb_kv) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_kv_keys(p, h) }, nil)
		if err == nil {
			out = r.value.([]string)
		}
		return err
	})
	return out, err
}
