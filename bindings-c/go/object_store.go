package jetbridge

// Object stores: an ObjectStore handle; objects are written from an
// io.Reader through the C object writer and read back through the C object
// reader (an io.ReadCloser), a chunk at a time, each call over the C ABI's
// _async form (shim.c) awaited with a ctx.

/*
#include "shim.h"
*/
import "C"

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"sync"
	"unsafe"
)

// objectInfoFromC reads a C object info (recordFromC).
func objectInfoFromC(p *C.jb_object_info) (*ObjectInfo, error) {
	var info ObjectInfo
	err := recordFromC(&info, func(js **C.char) C.jb_result { return C.jb_object_info_to_json(p, js) })
	return &info, err
}

//export goObjectInfo
func goObjectInfo(ud unsafe.Pointer, code C.jb_result, msg *C.char, info *C.jb_object_info) {
	r := asyncResult{err: callbackError(code)}
	if info != nil && r.err == nil {
		r.value, r.err = objectInfoFromC(info)
	}
	deliver(ud, r)
}

//export goObjectInfoList
func goObjectInfoList(ud unsafe.Pointer, code C.jb_result, msg *C.char, l *C.jb_object_info_list) {
	r := asyncResult{err: callbackError(code)}
	if l != nil && r.err == nil {
		out := make([]ObjectInfo, 0, int(l.len))
		if l.items != nil {
			items := unsafe.Slice(l.items, int(l.len))
			for i := range items {
				info, err := objectInfoFromC(&items[i])
				if err != nil {
					r.err = err
					break
				}
				out = append(out, *info)
			}
		}
		r.value = out
	}
	deliver(ud, r)
}

//export goObjectChunk
func goObjectChunk(ud unsafe.Pointer, code C.jb_result, msg *C.char, data *C.uint8_t, n C.size_t) {
	r := asyncResult{err: callbackError(code)}
	if r.err == nil {
		r.value = goBytes(data, n) // empty: the end
	}
	deliver(ud, r)
}

// ObjectStore is an object store. Safe for concurrent use; Close it when
// done (a finalizer releases it otherwise). After the client's Close its
// calls fail with ErrClosed.
type ObjectStore struct {
	_ptr   *C.jb_object_store
	bucket string
}

func newObjectStore(p *C.jb_object_store) *ObjectStore {
	o := &ObjectStore{_ptr: p, bucket: goStrOpt(C.jb_object_store_bucket(p))}
	runtime.SetFinalizer(o, func(o *ObjectStore) { C.jb_object_store_free(o._ptr) })
	return o
}

func freeObjectStore(r asyncResult) { C.jb_object_store_free((*C.jb_object_store)(r.handle)) }

// with runs f with the handle, keeping the store alive.
func (o *ObjectStore) with(f func(p *C.jb_object_store) error) error {
	debugGC()
	err := f(o._ptr)
	runtime.KeepAlive(o)
	return err
}

// Bucket is the store's name.
func (o *ObjectStore) Bucket() string { return o.bucket }

// Close releases the handle (the store stays). Idempotent (the library
// ignores a second free).
func (o *ObjectStore) Close() error {
	C.jb_object_store_free(o._ptr)
	runtime.SetFinalizer(o, nil)
	return nil
}

// objectStoreCall runs an async client call that yields a store handle.
func (c *Client) objectStoreCall(ctx context.Context, start func(p *C.jb_client, h C.uintptr_t) C.jb_result) (*ObjectStore, error) {
	var out *ObjectStore
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, freeObjectStore)
		if err == nil {
			out = newObjectStore((*C.jb_object_store)(r.handle))
		}
		return err
	})
	return out, err
}

// CreateObjectStore creates an object store (ObjectStoreConfig,
// types_gen.go) and returns it. The same configuration again returns the
// existing store. A bad name is ErrInvalidArgument.
func (c *Client) CreateObjectStore(ctx context.Context, cfg ObjectStoreConfig) (*ObjectStore, error) {
	cc, err := recordToC(cfg, func(js *C.char, out **C.jb_object_store_config) C.jb_result {
		return C.jb_object_store_config_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_object_store_config_free(cc)
	return c.objectStoreCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_create_object_store(p, cc, h) })
}

// ObjectStore opens an existing object store (ErrNotFound if there is none).
func (c *Client) ObjectStore(ctx context.Context, bucket string) (*ObjectStore, error) {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return nil, err
	}
	return c.objectStoreCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result { return C.go_object_store(p, cbucket, h) })
}

// DeleteObjectStore deletes an object store with every object (ErrNotFound
// if there is none).
func (c *Client) DeleteObjectStore(ctx context.Context, bucket string) error {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_delete_object_store(p, cbucket, h) }, nil)
		return err
	})
}

// nameCall runs an async call on the store with the C object name.
func (o *ObjectStore) nameCall(ctx context.Context, name string, release func(asyncResult),
	start func(p *C.jb_object_store, name *C.char, h C.uintptr_t) C.jb_result) (asyncResult, error) {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "object name")
	if err != nil {
		return asyncResult{}, err
	}
	var r asyncResult
	err = o.with(func(p *C.jb_object_store) error {
		var err error
		r, err = await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, cname, h) }, release)
		return err
	})
	return r, err
}

// Info returns what the store knows about an object (ErrNotFound for a
// missing or deleted one).
func (o *ObjectStore) Info(ctx context.Context, name string) (*ObjectInfo, error) {
	r, err := o.nameCall(ctx, name, nil, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_info(p, n, h)
	})
	if err != nil {
		return nil, err
	}
	return r.value.(*ObjectInfo), nil
}

// Delete deletes an object (ErrNotFound for a missing or deleted one).
func (o *ObjectStore) Delete(ctx context.Context, name string) error {
	_, err := o.nameCall(ctx, name, nil, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_delete(p, n, h)
	})
	return err
}

// List returns the objects of the store (deleted ones left out).
func (o *ObjectStore) List(ctx context.Context) ([]ObjectInfo, error) {
	var out []ObjectInfo
	err := o.with(func(p *C.jb_object_store) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_object_store_list(p, h) }, nil)
		if err == nil {
			out = r.value.([]ObjectInfo)
		}
		return err
	})
	return out, err
}

// ObjectPutOption is an option of Put.
type ObjectPutOption func(*objectPutOptions)

type objectPutOptions struct {
	description string // "" is none
	metadata    map[string]string
}

// WithDescription gives the object a description (free text).
func WithDescription(description string) ObjectPutOption {
	return func(o *objectPutOptions) { o.description = description }
}

// WithMetadata gives the object free-form text keys and values.
func WithMetadata(metadata map[string]string) ObjectPutOption {
	return func(o *objectPutOptions) { o.metadata = metadata }
}

// objectPiece is the most Put reads from its reader at a time: the core's
// chunk size, so a piece never spans more than two chunks.
var objectPiece = int(C.jb_object_chunk_size())

// Put writes an object from r, read to its end a piece at a time and
// streamed to the store as it is read (never held whole in memory), and
// returns its info. An object of the same name is replaced once the new one
// is complete; until then (and if r fails, ctx ends or the store refuses a
// chunk) nothing of it is visible. An empty name is ErrInvalidArgument.
func (o *ObjectStore) Put(ctx context.Context, name string, r io.Reader, opts ...ObjectPutOption) (*ObjectInfo, error) {
	var po objectPutOptions
	for _, f := range opts {
		f(&po)
	}
	meta := ObjectMeta{Name: name, Metadata: po.metadata}
	if po.description != "" {
		meta.Description = &po.description
	}
	cm, err := objectMetaToC(meta)
	if err != nil {
		return nil, err
	}
	defer C.jb_object_meta_free(cm)
	var info *ObjectInfo
	err = o.with(func(p *C.jb_object_store) error {
		var w *C.jb_object_writer
		if err := call(func() C.jb_result { return C.jb_object_store_writer_meta(p, cm, &w) }); err != nil {
			return err
		}
		// Freeing an unfinished writer aborts it: nothing becomes visible.
		defer C.jb_object_writer_free(w)
		var err error
		info, err = writeObject(ctx, w, r)
		return err
	})
	return info, err
}

// writeObject hands r's content to the writer piece by piece and finishes it.
func writeObject(ctx context.Context, w *C.jb_object_writer, r io.Reader) (*ObjectInfo, error) {
	buf := make([]byte, objectPiece)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			piece := buf[:n]
			// The C call copies the piece before it returns.
			_, err := await(ctx, func(h C.uintptr_t) C.jb_result {
				return C.go_object_writer_write(w, (*C.uint8_t)(unsafe.Pointer(&piece[0])), C.size_t(n), h)
			}, nil)
			if err != nil {
				return nil, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	res, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_object_writer_finish(w, h) }, nil)
	if err != nil {
		return nil, err
	}
	return res.value.(*ObjectInfo), nil
}

// PutBytes writes an object from data (Put with a bytes.Reader).
func (o *ObjectStore) PutBytes(ctx context.Context, name string, data []byte, opts ...ObjectPutOption) (*ObjectInfo, error) {
	return o.Put(ctx, name, bytes.NewReader(data), opts...)
}

// ObjectReader reads an object a chunk at a time (an io.ReadCloser). At
// the end its size and SHA-256 digest are checked: a mismatch is the
// error of the last Read, never data followed by io.EOF. Reads use the ctx
// given to GetObject. Close it when done (a finalizer releases it
// otherwise). Not safe for concurrent use, as any io.Reader.
type ObjectReader struct {
	_ptr *C.jb_object_reader
	ctx  context.Context
	info ObjectInfo
	rest []byte // the part of the last chunk not read yet
	err  error  // io.EOF at the end, or the error that ended the read
	once sync.Once
}

func freeObjectReader(r asyncResult) { C.jb_object_reader_free((*C.jb_object_reader)(r.handle)) }

// GetObject opens an object for reading (ErrNotFound for a missing or
// deleted one). ctx bounds the opening and every Read of the reader.
func (o *ObjectStore) GetObject(ctx context.Context, name string) (*ObjectReader, error) {
	r, err := o.nameCall(ctx, name, freeObjectReader, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_get(p, n, h)
	})
	if err != nil {
		return nil, err
	}
	or := &ObjectReader{_ptr: (*C.jb_object_reader)(r.handle), ctx: ctx}
	runtime.SetFinalizer(or, func(or *ObjectReader) { C.jb_object_reader_free(or._ptr) })
	info, err := objectInfoFromC(C.jb_object_reader_info(or._ptr))
	runtime.KeepAlive(or)
	if err != nil {
		_ = or.Close()
		return nil, err
	}
	or.info = *info
	return or, nil
}

// Info is what the store knew about the object when it was opened.
func (r *ObjectReader) Info() ObjectInfo { return r.info }

// Read reads up to len(p) bytes of the object; io.EOF at its end.
func (r *ObjectReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(r.rest) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		debugGC()
		res, err := await(r.ctx, func(h C.uintptr_t) C.jb_result { return C.go_object_reader_read(r._ptr, h) }, nil)
		runtime.KeepAlive(r)
		if err != nil {
			r.err = err
			return 0, err
		}
		r.rest = res.value.([]byte)
		if len(r.rest) == 0 {
			r.err = io.EOF
		}
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// Close releases the reader; a later Read is ErrClosed. Idempotent.
func (r *ObjectReader) Close() error {
	r.once.Do(func() {
		C.jb_object_reader_free(r._ptr)
		runtime.SetFinalizer(r, nil)
		r.rest = nil
		r.err = &Error{Code: CodeClosed, Message: "CLOSED: the object reader is closed"}
	})
	return nil
}

// GetBytes reads a whole object into memory (GetObject and io.ReadAll):
// a convenience for small objects.
func (o *ObjectStore) GetBytes(ctx context.Context, name string) ([]byte, error) {
	r, err := o.GetObject(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	// Room for the whole object and the final Read that sees the end.
	buf := bytes.NewBuffer(make([]byte, 0, int(r.info.Size)+bytes.MinRead))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
