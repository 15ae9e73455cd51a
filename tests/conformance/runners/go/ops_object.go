package main

// Object stores (SPEC.md §4.11): ObjectStore by alias; obj_put hands the
// content to ObjectStore.Put through a reader that yields `piece` bytes per
// Read, obj_get reads the ObjectReader into a `piece`-sized buffer.

import (
	"context"
	"io"
	"slices"
	"strings"

	jb "github.com/jetbridge/jetbridge-go"
)

// defaultPiece is the piece size when `piece` is not given.
const defaultPiece = 65536

// objectInfo is an OBJECT_INFO.
func objectInfo(i *jb.ObjectInfo) obj {
	metadata := obj{}
	for k, v := range i.Metadata {
		metadata[k] = v
	}
	var link any
	if i.Link != nil {
		link = obj{"bucket": i.Link.Bucket, "name": value(i.Link.Name)}
	}
	return obj{
		"name": i.Name, "bucket": i.Bucket, "description": value(i.Description), "size": i.Size,
		"chunks": i.Chunks, "digest": i.Digest, "deleted": i.Deleted, "metadata": metadata, "link": link,
	}
}

// patternByte is byte i of the `data_size` pattern.
func patternByte(i int) byte { return byte(i * 31 % 251) }

// pieceReader yields its content `piece` bytes per Read (the pattern of
// `size` bytes when content is nil).
type pieceReader struct {
	content []byte
	size    int
	pos     int
	piece   int
}

func (r *pieceReader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	n := min(r.piece, len(p), r.size-r.pos)
	for i := range n {
		if r.content != nil {
			p[i] = r.content[r.pos+i]
		} else {
			p[i] = patternByte(r.pos + i)
		}
	}
	r.pos += n
	return n, nil
}

func pieceArg(a *args) (int, error) {
	piece, ok, err := a.u64("piece")
	if err != nil || !ok {
		return defaultPiece, err
	}
	return max(int(piece), 1), nil
}

func opObjCreate(ctx context.Context, st *state, a *args) (obj, error) {
	ca, err := a.object("config")
	if err != nil {
		return nil, err
	}
	if ca == nil {
		return nil, a.missing("config")
	}
	cfg, err := recordArg[jb.ObjectStoreConfig](ca)
	if err != nil {
		return nil, err
	}
	alias, ok, err := a.str("as")
	if err != nil {
		return nil, err
	}
	if !ok {
		alias = cfg.Bucket
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	store, err := c.CreateObjectStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	st.objectStores[alias] = store
	return obj{"bucket": store.Bucket()}, nil
}

func opObjOpen(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	alias, ok, err := a.str("as")
	if err != nil {
		return nil, err
	}
	if !ok {
		alias = bucket
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	store, err := c.ObjectStore(ctx, bucket)
	if err != nil {
		return nil, err
	}
	st.objectStores[alias] = store
	return obj{"bucket": store.Bucket()}, nil
}

func opObjDeleteStore(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return obj{}, c.DeleteObjectStore(ctx, bucket)
}

// objStatus is an OBJ_STATUS: the declared ObjectStoreStatus as a record,
// without `bytes`.
func objStatus(s *jb.ObjectStoreStatus, err error) (obj, error) {
	if err != nil {
		return nil, err
	}
	return record(*s, "bytes"), nil
}

func opObjStatus(ctx context.Context, st *state, a *args) (obj, error) {
	bucket, err := a.requiredStr("bucket")
	if err != nil {
		return nil, err
	}
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	return objStatus(c.ObjectStoreStatus(ctx, bucket))
}

func opObjSeal(ctx context.Context, st *state, a *args) (obj, error) {
	store, err := st.objectStoreFrom(a)
	if err != nil {
		return nil, err
	}
	return objStatus(store.Seal(ctx))
}

func opObjNames(ctx context.Context, st *state, a *args) (obj, error) {
	c, err := st.getClient()
	if err != nil {
		return nil, err
	}
	names, err := c.ObjectStoreNames(ctx)
	if err != nil {
		return nil, err
	}
	return obj{"names": names}, nil
}

// storeAndName are the `from` store and the object's `name`.
func storeAndName(st *state, a *args) (*jb.ObjectStore, string, error) {
	store, err := st.objectStoreFrom(a)
	if err != nil {
		return nil, "", err
	}
	name, ok, err := a.str("name")
	if err == nil && !ok {
		err = a.missing("name")
	}
	return store, name, err
}

// opObjPut: `data` or `data_size`, `description`, `piece` -> OBJECT_INFO.
func opObjPut(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	var opts []jb.ObjectPutOption
	desc, ok, err := a.str("description")
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, jb.WithDescription(desc))
	}
	metadata, ok, err := a.stringMap("metadata")
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, jb.WithMetadata(metadata))
	}
	piece, err := pieceArg(a)
	if err != nil {
		return nil, err
	}
	r := &pieceReader{piece: piece}
	size, sized, err := a.u64("data_size")
	if err != nil {
		return nil, err
	}
	text, _, err := a.str("data")
	if err != nil {
		return nil, err
	}
	if sized {
		r.size = int(size)
	} else {
		r.content = []byte(text)
		r.size = len(r.content)
	}
	info, err := store.Put(ctx, name, r, opts...)
	if err != nil {
		return nil, err
	}
	return objectInfo(info), nil
}

// opObjGet reads the object through the ObjectReader into a buffer of
// `piece` bytes.
func opObjGet(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	piece, err := pieceArg(a)
	if err != nil {
		return nil, err
	}
	r, err := store.GetObject(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, piece)
	var head []byte // the first 65 bytes at most
	total, pattern := 0, true
	for {
		n, err := r.Read(buf)
		for i := range n {
			pattern = pattern && buf[i] == patternByte(total+i)
		}
		if len(head) <= 64 {
			head = append(head, buf[:min(n, 65-len(head))]...)
		}
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	info := r.Info()
	var text any
	if total <= 64 {
		text = data(head)
	}
	return obj{"info": objectInfo(&info), "bytes": total, "data": text, "pattern": pattern}, nil
}

func opObjInfo(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	info, err := store.Info(ctx, name)
	if err != nil {
		return nil, err
	}
	return objectInfo(info), nil
}

func opObjDelete(ctx context.Context, st *state, a *args) (obj, error) {
	store, name, err := storeAndName(st, a)
	if err != nil {
		return nil, err
	}
	return obj{}, store.Delete(ctx, name)
}

// opObjList -> {"objects": [...]} sorted by name.
func opObjList(ctx context.Context, st *state, a *args) (obj, error) {
	store, err := st.objectStoreFrom(a)
	if err != nil {
		return nil, err
	}
	list, err := store.List(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(x, y jb.ObjectInfo) int { return strings.Compare(x.Name, y.Name) })
	objects := make([]any, len(list))
	for i := range list {
		objects[i] = objectInfo(&list[i])
	}
	return obj{"objects": objects}, nil
}

var objectOps = map[string]opFunc{
	"obj_create":       opObjCreate,
	"obj_open":         opObjOpen,
	"obj_delete_store": opObjDeleteStore,
	"obj_status":       opObjStatus,
	"obj_seal":         opObjSeal,
	"obj_names":        opObjNames,
	"obj_put":          opObjPut,
	"obj_get":          opObjGet,
	"obj_info":         opObjInfo,
	"obj_delete":       opObjDelete,
	"obj_list":         opObjList,
	// ops_object_meta.go
	"obj_add_link":        opObjAddLink,
	"obj_add_bucket_link": opObjAddBucketLink,
	"obj_update_meta":     opObjUpdateMeta,
	"obj_watch":           opObjWatch,
	"obj_watch_next":      opObjWatchNext,
	"obj_watch_stop":      opObjWatchStop,
}
