// The Go package's throughput: pipelined publish (window 1,024) and durable
// consume-and-ack (fetch 500, AckAll). `jb-go <publish|consume> [messages]`,
// NATS_URL from the env; prints `go-jetbridge <mode> <n> <s> <msgs/s>`.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"
)

const subject = "bench.jbgo.x"

func publishAll(ctx context.Context, c *jetbridge.Client, n int) {
	p, err := c.NewPublisher(jetbridge.PublisherOptions{MaxInFlight: new(1024)})
	check(err)
	msg := jetbridge.PublishMessage{Subject: subject, Data: make([]byte, 128)}
	for i := 0; i < n; i++ {
		_, err := p.Publish(ctx, msg)
		check(err)
	}
	rep, err := p.Close()
	check(err)
	if len(rep.Failures) > 0 {
		log.Fatalf("%d publishes failed", len(rep.Failures))
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
	run(mode, n)
}

func run(mode string, n int) {
	if f := os.Getenv("JB_CPUPROFILE"); f != "" {
		out, err := os.Create(f)
		check(err)
		check(pprof.StartCPUProfile(out))
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	c, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{os.Getenv("NATS_URL")}})
	check(err)
	defer c.Close()
	_ = c.DeleteStream(ctx, "BENCH_JBGO")
	_, err = c.CreateStream(ctx, jetbridge.StreamConfig{Name: "BENCH_JBGO", Subjects: []string{"bench.jbgo.>"}, Storage: jetbridge.StorageMemory})
	check(err)
	var elapsed time.Duration
	if mode == "publish" {
		start := time.Now()
		publishAll(ctx, c, n)
		elapsed = time.Since(start)
	} else {
		publishAll(ctx, c, n)
		cons, err := c.CreateConsumer(ctx, "BENCH_JBGO", jetbridge.ConsumerConfig{Durable: new("bench")})
		check(err)
		start := time.Now()
		for acked := 0; acked < n; {
			batch, err := cons.Fetch(ctx, 500, 5*time.Second)
			check(err)
			check(jetbridge.AckAll(batch))
			acked += len(batch)
		}
		elapsed = time.Since(start)
		cons.Close()
	}
	fmt.Printf("go-jetbridge %s %d %.3f %.0f\n", mode, n, elapsed.Seconds(), float64(n)/elapsed.Seconds())
	_ = c.DeleteStream(ctx, "BENCH_JBGO")
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
