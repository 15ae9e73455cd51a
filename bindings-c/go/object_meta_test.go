package jetbridge

import (
	"errors"
	"testing"
	"time"
)

func TestObjectLinksMetadataAndRename(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	docs := freshObjectStore(t, c, "go_obj_docs")
	other := freshObjectStore(t, c, "go_obj_other")

	// Put with a description and metadata.
	info, err := other.PutBytes(ctx, "report", []byte("hello"), WithDescription("d"),
		WithMetadata(map[string]string{"owner": "ana"}))
	if err != nil {
		t.Fatal(err)
	}
	if info.Description == nil || *info.Description != "d" || info.Metadata["owner"] != "ana" || info.Link != nil {
		t.Fatalf("put info %+v", info)
	}

	// A link in another store reads its target.
	link, err := docs.AddLink(ctx, "latest", info)
	if err != nil {
		t.Fatal(err)
	}
	if link.Link == nil || link.Link.Bucket != "go_obj_other" || link.Link.Name == nil || *link.Link.Name != "report" {
		t.Fatalf("link %+v", link.Link)
	}
	if b, err := docs.GetBytes(ctx, "latest"); err != nil || string(b) != "hello" {
		t.Fatalf("read through link: %q %v", b, err)
	}
	// A link never replaces an object; a link to a link is refused.
	if _, err := docs.PutBytes(ctx, "plain", []byte("p")); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.AddLink(ctx, "plain", info); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("link onto an object: %v", err)
	}
	if _, err := docs.AddLink(ctx, "chain", link); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("link to a link: %v", err)
	}

	// A link to a whole store has no content.
	all, err := docs.AddBucketLink(ctx, "all", "go_obj_other")
	if err != nil {
		t.Fatal(err)
	}
	if all.Link == nil || all.Link.Bucket != "go_obj_other" || all.Link.Name != nil {
		t.Fatalf("store link %+v", all.Link)
	}
	if _, err := docs.GetObject(ctx, "all"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("read a store link: %v", err)
	}
	if list, err := docs.List(ctx); err != nil || len(list) != 3 {
		t.Fatalf("list with links: %d %v", len(list), err)
	}

	// UpdateMeta renames and keeps the content.
	desc := "renamed one"
	up, err := docs.UpdateMeta(ctx, "plain", ObjectMeta{Name: "renamed", Description: &desc,
		Metadata: map[string]string{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != "renamed" || up.Size != 1 || up.Metadata["k"] != "v" {
		t.Fatalf("updated %+v", up)
	}
	if _, err := docs.Info(ctx, "plain"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old name: %v", err)
	}
	if b, err := docs.GetBytes(ctx, "renamed"); err != nil || string(b) != "p" {
		t.Fatalf("renamed content: %q %v", b, err)
	}
	if _, err := docs.UpdateMeta(ctx, "renamed", ObjectMeta{Name: "all"}); !errors.Is(err, ErrAlreadyExists) {
		t.Fatalf("rename onto another: %v", err)
	}
	if _, err := docs.UpdateMeta(ctx, "missing", ObjectMeta{Name: "m"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
}

// nextInfo is the watch's next info (nil: the caught-up marker).
func nextInfo(t *testing.T, w *ObjectWatcher) *ObjectInfo {
	t.Helper()
	select {
	case i, ok := <-w.Updates():
		if !ok {
			t.Fatalf("updates closed: %v", w.Err())
		}
		return i
	case <-time.After(5 * time.Second):
		t.Fatal("no update within 5 s")
		return nil
	}
}

func TestObjectWatch(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	o := freshObjectStore(t, c, "go_obj_watch")
	if _, err := o.PutBytes(ctx, "one", []byte("1")); err != nil {
		t.Fatal(err)
	}
	w, err := o.Watch(ctx, ObjectWatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if i := nextInfo(t, w); i == nil || i.Name != "one" {
		t.Fatalf("initial %+v", i)
	}
	if i := nextInfo(t, w); i != nil {
		t.Fatalf("want the caught-up marker, got %+v", i)
	}
	if _, err := o.PutBytes(ctx, "two", []byte("2")); err != nil {
		t.Fatal(err)
	}
	if i := nextInfo(t, w); i == nil || i.Name != "two" || i.Deleted {
		t.Fatalf("change %+v", i)
	}
	if err := o.Delete(ctx, "two"); err != nil {
		t.Fatal(err)
	}
	if i := nextInfo(t, w); i == nil || i.Name != "two" || !i.Deleted {
		t.Fatalf("delete %+v", i)
	}
	_ = w.Stop()
	_ = w.Stop() // idempotent
	for range w.Updates() {
	}
	if w.Err() != nil {
		t.Fatalf("err after stop: %v", w.Err())
	}

	// Only updates: the marker first.
	w, err = o.Watch(ctx, ObjectWatchOptions{UpdatesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if i := nextInfo(t, w); i != nil {
		t.Fatalf("want the marker first, got %+v", i)
	}
}
