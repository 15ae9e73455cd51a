package jetbridge

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Listing streams and consumers, deleting one message and the account's
// usage and limits. Other tests (and the second run against the same
// server) leave streams behind, so lists are checked by the names they hold
// and counts as differences.

func streamNames(infos []StreamInfo) []string {
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Config.Name
	}
	return names
}

func TestListStreams(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOADMB", "goadm.b.>")
	freshStream(t, c, "GOADMA", "goadm.a.>")
	mustPublish(t, c, "goadm.b.x", "one")
	mustPublish(t, c, "goadm.b.x", "two")

	all, err := c.ListStreams(ctx, "")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	names := streamNames(all)
	a, b := slices.Index(names, "GOADMA"), slices.Index(names, "GOADMB")
	if a < 0 || b < a {
		t.Fatalf("streams %v: want GOADMA, then GOADMB", names)
	}
	// Each item is a whole StreamInfo, as Client.StreamInfo gives it.
	if info := all[b]; info.State.Messages != 2 || info.State.LastSequence != 2 ||
		!slices.Equal(info.Config.Subjects, []string{"goadm.b.>"}) || info.Config.Storage != StorageTypeMemory ||
		info.Created.IsZero() {
		t.Fatalf("GOADMB listed as %+v", info)
	}

	got, err := c.ListStreams(ctx, "goadm.b.x")
	if err != nil || !slices.Equal(streamNames(got), []string{"GOADMB"}) {
		t.Fatalf("filtered by goadm.b.x: %v, %v", streamNames(got), err)
	}
	got, err = c.ListStreams(ctx, "goadm.*.x")
	if err != nil || !slices.Equal(streamNames(got), []string{"GOADMA", "GOADMB"}) {
		t.Fatalf("filtered by goadm.*.x: %v, %v", streamNames(got), err)
	}
	got, err = c.ListStreams(ctx, "goadm.nothing.>")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("filtered by a subject nothing overlaps: %#v, %v", got, err)
	}
	_, err = c.ListStreams(ctx, "bad subject")
	expectInvalid(t, "a subject with a space", "subject", err)
	_, err = c.ListStreams(ctx, "nul\x00")
	expectInvalid(t, "a subject with a NUL", "subject", err)
}

func TestListConsumers(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOADMC", "goadmc.>")
	freshStream(t, c, "GOADME", "goadme.>")
	billing, audit := "billing", "audit"
	mustConsumer(t, c, "GOADMC", ConsumerConfig{DurableName: &billing, MaxDeliver: new(int64(3))})
	mustConsumer(t, c, "GOADMC", ConsumerConfig{DurableName: &audit})
	mustPublish(t, c, "goadmc.a", "one")

	infos, err := c.ListConsumers(ctx, "GOADMC")
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Name
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"audit", "billing"}) {
		t.Fatalf("consumers %v", names)
	}
	for _, info := range infos {
		if info.Stream != "GOADMC" || info.NumPending != 1 || *info.Config.DurableName != info.Name {
			t.Fatalf("consumer listed as %+v", info)
		}
		if info.Name == "billing" && (info.Config.MaxDeliver == nil || *info.Config.MaxDeliver != 3) {
			t.Fatalf("billing's max_deliver: %v", info.Config.MaxDeliver)
		}
	}

	if infos, err = c.ListConsumers(ctx, "GOADME"); err != nil || infos == nil || len(infos) != 0 {
		t.Fatalf("a stream without consumers: %#v, %v", infos, err)
	}
	if _, err = c.ListConsumers(ctx, "GOADMMISSING"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a missing stream: %v", err)
	}
	_, err = c.ListConsumers(ctx, "bad name")
	expectInvalid(t, "a stream name with a space", "stream", err)
}

func TestDeleteMessage(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOADMD", "goadmd.>")
	for _, m := range []string{"m0", "m1", "m2"} {
		mustPublish(t, c, "goadmd.x", m)
	}
	if err := c.DeleteMessage(ctx, "GOADMD", 2, false); err != nil {
		t.Fatalf("delete 2: %v", err)
	}
	if err := c.DeleteMessage(ctx, "GOADMD", 3, true); err != nil {
		t.Fatalf("erase 3: %v", err)
	}
	if _, err := c.GetMessage(ctx, "GOADMD", 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get a deleted message: %v", err)
	}
	if m, err := c.GetMessage(ctx, "GOADMD", 1); err != nil || string(m.Data) != "m0" {
		t.Fatalf("get 1: %v", err)
	}
	if info, err := c.StreamInfo(ctx, "GOADMD"); err != nil || info.State.Messages != 1 {
		t.Fatalf("stream info after deletes: %+v, %v", info, err)
	}

	if err := c.DeleteMessage(ctx, "GOADMD", 2, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete a deleted message: %v", err)
	}
	expectInvalid(t, "sequence 0", "sequence", c.DeleteMessage(ctx, "GOADMD", 0, false))
	if err := c.DeleteMessage(ctx, "GOADMMISSING", 1, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete from a missing stream: %v", err)
	}

	// A stream that denies deletes refuses through the server.
	_ = c.DeleteStream(ctx, "GOADMLOCK")
	deny := true
	if _, err := c.CreateStream(ctx, StreamConfig{Name: "GOADMLOCK", Subjects: []string{"goadmlock.>"},
		Storage: StorageTypeMemory, DenyDelete: &deny}); err != nil {
		t.Fatalf("create a stream denying deletes: %v", err)
	}
	t.Cleanup(func() { _ = c.DeleteStream(ctx, "GOADMLOCK") })
	mustPublish(t, c, "goadmlock.x", "kept")
	err := c.DeleteMessage(ctx, "GOADMLOCK", 1, false)
	if !errors.Is(err, ErrServer) || !strings.Contains(err.Error(), "not permitted") {
		t.Fatalf("delete from a stream denying it: %v", err)
	}
}

func TestAccountInfo(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	_ = c.DeleteStream(ctx, "GOADMI")
	before, err := c.AccountInfo(ctx)
	if err != nil {
		t.Fatalf("account info: %v", err)
	}
	// The test server sets no limits.
	if before.MaxStreams != -1 || before.MaxConsumers != -1 || before.ApiTotal == 0 {
		t.Fatalf("account info %+v", before)
	}
	freshStream(t, c, "GOADMI", "goadmi.>")
	one, two := "one", "two"
	mustConsumer(t, c, "GOADMI", ConsumerConfig{DurableName: &one})
	mustConsumer(t, c, "GOADMI", ConsumerConfig{DurableName: &two})
	after, err := c.AccountInfo(ctx)
	if err != nil {
		t.Fatalf("account info: %v", err)
	}
	if after.Streams != before.Streams+1 || after.Consumers != before.Consumers+2 || after.ApiTotal <= before.ApiTotal {
		t.Fatalf("account info before %+v, after a stream and two consumers %+v", before, after)
	}
}
