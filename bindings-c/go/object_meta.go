package jetbridge

// What an object store keeps besides content: links (to an object or a
// whole store) and an object's name, description and metadata, each call
// over the C ABI's _async form (shim.c) awaited with a ctx.

/*
#include "shim.h"
*/
import "C"

import "context"

// infoCall runs an async call on the store with the C object name that
// yields an info.
func (o *ObjectStore) infoCall(ctx context.Context, name string,
	start func(p *C.jb_object_store, name *C.char, h C.uintptr_t) C.jb_result) (*ObjectInfo, error) {
	r, err := o.nameCall(ctx, name, nil, start)
	if err != nil {
		return nil, err
	}
	return r.value.(*ObjectInfo), nil
}

// AddLink makes name a link to the object target describes (an info read
// from this store or another, e.g. by Info); reading the link reads the
// target. ErrAlreadyExists when name is an object (a link of that name is
// replaced); ErrInvalidArgument for a deleted target or a link.
func (o *ObjectStore) AddLink(ctx context.Context, name string, target *ObjectInfo) (*ObjectInfo, error) {
	if target == nil {
		return nil, invalid("target", "is nil")
	}
	ct, err := recordToC(target, func(js *C.char, out **C.jb_object_info) C.jb_result {
		return C.jb_object_info_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_object_info_free(ct)
	return o.infoCall(ctx, name, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_add_link(p, n, ct, h)
	})
}

// AddBucketLink makes name a link to the whole store bucket. Such a link
// has no content: GetObject of it is ErrInvalidArgument. ErrAlreadyExists
// when name is an object.
func (o *ObjectStore) AddBucketLink(ctx context.Context, name, bucket string) (*ObjectInfo, error) {
	var cs cstrings
	defer cs.free()
	cbucket, err := cs.add(bucket, "bucket")
	if err != nil {
		return nil, err
	}
	return o.infoCall(ctx, name, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_add_bucket_link(p, n, cbucket, h)
	})
}

// UpdateMeta sets object name's name, description and metadata to meta's
// (ObjectMeta, types_gen.go); the content stays. ErrNotFound for a missing
// or deleted object; ErrAlreadyExists when renaming onto another object.
func (o *ObjectStore) UpdateMeta(ctx context.Context, name string, meta ObjectMeta) (*ObjectInfo, error) {
	cm, err := objectMetaToC(meta)
	if err != nil {
		return nil, err
	}
	defer C.jb_object_meta_free(cm)
	return o.infoCall(ctx, name, func(p *C.jb_object_store, n *C.char, h C.uintptr_t) C.jb_result {
		return C.go_object_store_update_meta(p, n, cm, h)
	})
}

// objectMetaToC is the C form of meta (free it with jb_object_meta_free).
func objectMetaToC(meta ObjectMeta) (*C.jb_object_meta, error) {
	return recordToC(meta, func(js *C.char, out **C.jb_object_meta) C.jb_result {
		return C.jb_object_meta_from_json(js, out)
	})
}
