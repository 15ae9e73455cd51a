// The seed guide's walkthrough ("How to Deploy NATS JetStream…") in Go, step
// by step: create the ORDERS stream, publish with an ack, publish with dedup,
// consume with a durable pull consumer (fetch, ack, nak), a push consumer,
// and replay from the start, a sequence, a time and the last message.
//
// Connects to NATS_URL (default nats://127.0.0.1:4222) and prints exactly the
// lines of examples/rust/src/walkthrough.rs. With the released module
// (go get github.com/jetbridge/jetbridge-go) it builds with CGO_ENABLED=1
// alone; in this repository, where go.mod replaces the module with
// bindings-c/go, the static library is put there first:
//
//	make -C bindings-c go
//	go run .
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"
)

func main() {
	ctx := context.Background()
	url := os.Getenv("NATS_URL")
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	client, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{url}})
	check(err)
	defer client.Close()

	// Create the stream (the guide uses file storage, 7 days max age).
	_ = client.DeleteStream(ctx, "ORDERS")
	info, err := client.CreateStream(ctx, jetbridge.StreamConfig{
		Name: "ORDERS", Subjects: []string{"orders.*"}, MaxAge: 7 * 24 * time.Hour,
	})
	check(err)
	fmt.Printf("stream %s subjects=%s\n", info.Config.Name, strings.Join(info.Config.Subjects, ","))

	// Publish and wait for the ack.
	ack, err := client.Publish(ctx, "orders.created", []byte(`{"id": 123, "total": 99.99}`))
	check(err)
	fmt.Printf("published seq=%d stream=%s duplicate=%t\n", ack.Sequence, ack.Stream, ack.Duplicate)

	// Publish with deduplication: the second one is recognised.
	for i := 0; i < 2; i++ {
		ack, err := client.PublishMsg(ctx, jetbridge.PublishMessage{
			Subject: "orders.updated", Data: []byte(`{"id": 123, "status": "shipped"}`),
			MsgID: new("order-123-update-1"),
		})
		check(err)
		fmt.Printf("published msg_id=order-123-update-1 seq=%d duplicate=%t\n", ack.Sequence, ack.Duplicate)
	}
	mid := time.Now()
	ack, err = client.Publish(ctx, "orders.created", []byte(`{"id": 124, "total": 5.00}`))
	check(err)
	fmt.Printf("published seq=%d stream=%s duplicate=%t\n", ack.Sequence, ack.Stream, ack.Duplicate)

	// Durable pull consumer: fetch a batch, ack, nak, and get the nak'd one back.
	consumer, err := client.CreateConsumer(ctx, "ORDERS", jetbridge.ConsumerConfig{
		DurableName: new("order-processor"), FilterSubjects: []string{"orders.*"}, MaxDeliver: new(int64(3)),
	})
	check(err)
	defer consumer.Close()
	batch, err := consumer.Fetch(ctx, 3, 5*time.Second)
	check(err)
	for _, m := range batch {
		fmt.Printf("fetched seq=%d subject=%s delivered=%d data=%s\n", m.StreamSeq(), m.Subject(), m.Delivered(), m.Data())
		if m.Subject() == "orders.updated" {
			check(m.Nak(0))
			fmt.Printf("nakked seq=%d\n", m.StreamSeq())
		} else {
			check(m.Ack())
			fmt.Printf("acked seq=%d\n", m.StreamSeq())
		}
	}
	again, err := consumer.Fetch(ctx, 1, 5*time.Second)
	check(err)
	for _, m := range again {
		fmt.Printf("redelivered seq=%d delivered=%d\n", m.StreamSeq(), m.Delivered())
		check(m.AckSync(ctx))
		fmt.Printf("ack_sync confirmed seq=%d\n", m.StreamSeq())
	}
	rest, err := consumer.Fetch(ctx, 10, 500*time.Millisecond)
	check(err)
	check(jetbridge.AckAll(rest))
	fmt.Printf("fetched %d more\n", len(rest))
	empty, err := consumer.Fetch(ctx, 10, 200*time.Millisecond)
	check(err)
	fmt.Printf("empty fetch returned %d messages\n", len(empty))

	// Push consumer with a deliver group.
	push, err := client.PushSubscribe(ctx, "ORDERS", jetbridge.ConsumerConfig{
		DurableName: new("event-processor"), DeliverGroup: new("processors"),
	})
	check(err)
	for i := 0; i < 3; i++ {
		m, err := push.Next(ctx)
		check(err)
		fmt.Printf("push received seq=%d subject=%s\n", m.StreamSeq(), m.Subject())
		check(m.Ack())
	}
	check(push.Close())

	// Replay from the start, from a sequence, from a time, and the last message.
	for _, r := range []struct {
		label string
		start jetbridge.StartPosition
	}{
		{"start", jetbridge.StartAll},
		{"sequence 2", jetbridge.StartAtSequence(2)},
		{"time", jetbridge.StartAtTime(mid)},
		{"last", jetbridge.StartLast},
	} {
		replay, err := client.Replay(ctx, "ORDERS", jetbridge.ReplayOptions{Start: r.start})
		check(err)
		info, err := client.StreamInfo(ctx, "ORDERS")
		check(err)
		var seqs []string
		for m, err := range replay.All(ctx) {
			check(err)
			seqs = append(seqs, fmt.Sprint(m.StreamSeq()))
			if m.StreamSeq() >= info.State.LastSequence {
				break
			}
		}
		check(replay.Close())
		fmt.Printf("replay from %s: %s\n", r.label, strings.Join(seqs, ","))
	}

	counters, err := client.Counters()
	check(err)
	fmt.Printf("counters published=%d acked=%d duplicates=%d\n", counters.Published, counters.Acked, counters.Duplicates)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
