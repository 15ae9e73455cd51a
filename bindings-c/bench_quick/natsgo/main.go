// nats.go (jetstream package) throughput, the same two workloads:
// PublishAsync with 1,024 pending then PublishAsyncComplete; a durable pull
// consumer fetching batches of 500 and acking each message.
// `natsgo <publish|consume> [messages]`; prints `nats.go <mode> <n> <s> <msgs/s>`.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const subject = "bench.natsgo.x"

// withID: BENCH_MSG_ID=1 adds a Nats-Msg-Id to every message, as JetBridge
// always does.
var withID = os.Getenv("BENCH_MSG_ID") == "1"

func publishAll(ctx context.Context, js jetstream.JetStream, n int) {
	data := make([]byte, 128)
	for i := 0; i < n; i++ {
		// Wait for window room like the other clients do (the default 200 ms
		// stall wait fails under load).
		opts := []jetstream.PublishOpt{jetstream.WithStallWait(time.Minute)}
		if withID {
			opts = append(opts, jetstream.WithMsgID("natsgo-"+strconv.Itoa(i)))
		}
		if _, err := js.PublishAsync(subject, data, opts...); err != nil {
			log.Fatal(err)
		}
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(time.Minute):
		log.Fatal("publish did not complete")
	}
}

func main() {
	mode, n := "publish", 200000
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	ctx := context.Background()
	nc, err := nats.Connect(os.Getenv("NATS_URL"))
	check(err)
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(1024))
	check(err)
	_ = js.DeleteStream(ctx, "BENCH_NATSGO")
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: "BENCH_NATSGO", Subjects: []string{"bench.natsgo.>"}, Storage: jetstream.MemoryStorage})
	check(err)
	var elapsed time.Duration
	if mode == "publish" {
		start := time.Now()
		publishAll(ctx, js, n)
		elapsed = time.Since(start)
	} else {
		publishAll(ctx, js, n)
		cons, err := js.CreateOrUpdateConsumer(ctx, "BENCH_NATSGO", jetstream.ConsumerConfig{Durable: "bench", AckPolicy: jetstream.AckExplicitPolicy})
		check(err)
		start := time.Now()
		for acked := 0; acked < n; {
			batch, err := cons.Fetch(500, jetstream.FetchMaxWait(5*time.Second))
			check(err)
			for m := range batch.Messages() {
				check(m.Ack())
				acked++
			}
			check(batch.Error())
		}
		elapsed = time.Since(start)
	}
	info, err := js.Stream(ctx, "BENCH_NATSGO")
	check(err)
	if got := info.CachedInfo().State.Msgs; got != uint64(n) {
		log.Fatalf("stream holds %d messages, want %d", got, n)
	}
	name := "nats.go"
	if withID {
		name += "+id"
	}
	fmt.Printf("%s %s %d %.3f %.0f\n", name, mode, n, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	_ = js.DeleteStream(ctx, "BENCH_NATSGO")
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
