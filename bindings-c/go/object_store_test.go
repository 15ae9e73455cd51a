package jetbridge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

// freshObjectStore (re)creates a memory object store and deletes it after
// the test.
func freshObjectStore(t *testing.T, c *Client, bucket string) *ObjectStore {
	t.Helper()
	ctx := testCtx(t)
	_ = c.DeleteObjectStore(ctx, bucket)
	o, err := c.CreateObjectStore(ctx, ObjectStoreConfig{Bucket: bucket, Storage: StorageTypeMemory})
	if err != nil {
		t.Fatalf("create object store %s: %v", bucket, err)
	}
	t.Cleanup(func() {
		_ = o.Close()
		_ = c.DeleteObjectStore(context.Background(), bucket)
	})
	return o
}

// patternReader yields n bytes of a pattern, at most piece bytes per Read,
// and remembers the largest Read it was asked for.
type patternReader struct {
	n, pos, piece, reads, largestAsk int
}

func (r *patternReader) Read(p []byte) (int, error) {
	r.largestAsk = max(r.largestAsk, len(p))
	if r.pos == r.n {
		return 0, io.EOF
	}
	k := min(len(p), r.piece, r.n-r.pos)
	for i := range k {
		p[i] = byte((r.pos + i) * 31 % 251)
	}
	r.pos += k
	r.reads++
	return k, nil
}

func patternBytes(n int) []byte {
	r := &patternReader{n: n, piece: n}
	b, _ := io.ReadAll(r)
	return b
}

func TestObjectStoreStreamsInAndOut(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o := freshObjectStore(t, c, "go_obj_stream")
	if o.Bucket() != "go_obj_stream" {
		t.Fatalf("bucket %q", o.Bucket())
	}

	// Bigger than two chunks (128 KiB each), handed over in 10 000-byte pieces.
	const size = 300_000
	src := &patternReader{n: size, piece: 10_000}
	info, err := o.Put(ctx, "big.bin", src, WithDescription("three chunks"))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if info.Name != "big.bin" || info.Size != size || info.Chunks != 3 || info.Description == nil ||
		*info.Description != "three chunks" || info.Digest == "" || info.Deleted {
		t.Fatalf("put info: %+v", info)
	}
	if src.reads != size/10_000 || src.largestAsk > 128*1024 {
		t.Fatalf("put read the source %d times, asking for up to %d bytes", src.reads, src.largestAsk)
	}

	// Read back through a small buffer.
	r, err := o.GetObject(ctx, "big.bin")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if r.Info().Size != size || r.Info().Digest != info.Digest {
		t.Fatalf("reader info: %+v", r.Info())
	}
	h := sha256.New()
	buf := make([]byte, 7_000)
	n, err := io.CopyBuffer(h, struct{ io.Reader }{r}, buf)
	if err != nil || n != size {
		t.Fatalf("read %d bytes: %v", n, err)
	}
	if want := sha256.Sum256(patternBytes(size)); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatal("content read back differs")
	}
	if n, err := r.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("read past the end: %d, %v", n, err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("close reader: %v", err)
	}
	if _, err := r.Read(buf); !errors.Is(err, ErrClosed) {
		t.Fatalf("read after close: %v", err)
	}
	_ = r.Close() // idempotent

	// Small and empty objects, the bytes conveniences, info, list, delete.
	if _, err := o.PutBytes(ctx, "hello.txt", []byte("hello world")); err != nil {
		t.Fatalf("put bytes: %v", err)
	}
	if got, err := o.GetBytes(ctx, "hello.txt"); err != nil || string(got) != "hello world" {
		t.Fatalf("get bytes: %q, %v", got, err)
	}
	if info, err := o.PutBytes(ctx, "empty", nil); err != nil || info.Size != 0 || info.Chunks != 0 {
		t.Fatalf("put empty: %+v, %v", info, err)
	}
	if got, err := o.GetBytes(ctx, "empty"); err != nil || len(got) != 0 {
		t.Fatalf("get empty: %q, %v", got, err)
	}
	if info, err := o.Info(ctx, "hello.txt"); err != nil || info.Size != 11 || info.Bucket != "go_obj_stream" {
		t.Fatalf("info: %+v, %v", info, err)
	}
	list, err := o.List(ctx)
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if err := o.Delete(ctx, "empty"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := o.Info(ctx, "empty"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("info of a deleted object: %v", err)
	}
	if _, err := o.GetObject(ctx, "empty"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a deleted object: %v", err)
	}
	if _, err := o.GetObject(ctx, "never"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get of a missing object: %v", err)
	}
	if _, err := o.PutBytes(ctx, "", []byte("x")); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := c.ObjectStore(ctx, "go_obj_missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open a missing store: %v", err)
	}
}

// failingReader fails after some bytes.
type failingReader struct{ left int }

var errSource = errors.New("source failed")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, errSource
	}
	n := min(len(p), r.left)
	r.left -= n
	return n, nil
}

func TestObjectStorePutFailureLeavesNothing(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o := freshObjectStore(t, c, "go_obj_abort")
	if _, err := o.Put(ctx, "half", &failingReader{left: 200_000}); !errors.Is(err, errSource) {
		t.Fatalf("put from a failing reader: %v", err)
	}
	if _, err := o.Info(ctx, "half"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("info of an aborted object: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := o.PutBytes(cctx, "cancelled", []byte("x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("put with a cancelled ctx: %v", err)
	}
}

func TestObjectStoreCorruptedObjectIsAnError(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o := freshObjectStore(t, c, "go_obj_corrupt")
	info, err := o.Put(ctx, "big.bin", &patternReader{n: 300_000, piece: 64 * 1024})
	if err != nil || info.Chunks != 3 {
		t.Fatalf("put: %+v, %v", info, err)
	}
	// The store's stream holds the three chunks at sequences 1-3: remove
	// the second one.
	if err := c.DeleteMessage(ctx, "OBJ_go_obj_corrupt", 2, false); err != nil {
		t.Fatalf("delete a chunk: %v", err)
	}
	r, err := o.GetObject(ctx, "big.bin")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("read of a corrupted object: %d bytes, %v", n, err)
	}
	if n >= 300_000 {
		t.Fatalf("read %d bytes of a corrupted object", n)
	}
	if _, err := o.GetBytes(ctx, "big.bin"); !errors.Is(err, ErrServer) {
		t.Fatalf("get bytes of a corrupted object: %v", err)
	}
}

func TestObjectStoreAfterClientClose(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o, err := c.CreateObjectStore(ctx, ObjectStoreConfig{Bucket: "go_obj_closed", Storage: StorageTypeMemory})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	defer o.Close()
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := o.PutBytes(ctx, "x", []byte("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("put after close: %v", err)
	}
	if _, err := o.List(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("list after close: %v", err)
	}
	c2 := connect(t)
	_ = c2.DeleteObjectStore(context.Background(), "go_obj_closed")
}
