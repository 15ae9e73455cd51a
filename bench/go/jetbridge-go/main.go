// Bench entry `jetbridge-go`: the JetBridge Go package (over the C ABI),
// used as its docs show: Publisher.Publish (waits only while the window is
// full) + Close; Consumer.Messages + NextBatch + AckAll; Client.Replay.
// Contract: see internal/benchcli.
package main

import (
	"context"
	"fmt"
	"time"

	jetbridge "github.com/jetbridge/jetbridge-go"

	"example.invalid/jetbridge/bench/go/internal/benchcli"
)

const entry = "jetbridge-go"

func main() {
	a := benchcli.Parse()
	if a.Op == "core" {
		benchcli.Unsupported(entry, a, "JetBridge has no core NATS publish")
	}
	ctx := context.Background()
	c, err := jetbridge.Connect(ctx, jetbridge.Options{Servers: []string{a.URL}})
	check(err)
	var r benchcli.Report
	switch a.Op {
	case "publish", "publish-ids":
		r = publish(ctx, c, a, false)
	case "dedup":
		r = publish(ctx, c, a, true)
	case "latency":
		r = latency(ctx, c, a)
	case "consume":
		r = consume(ctx, c, a, false)
	case "consume-each":
		r = consume(ctx, c, a, true)
	case "replay":
		r = replay(ctx, c, a)
	case "kv-put", "kv-get", "kv-watch":
		r = keyValue(ctx, c, a)
	case "obj-put", "obj-get":
		r = objects(ctx, c, a)
	default:
		benchcli.Fail(entry, "unknown op "+a.Op)
	}
	check(c.Close())
	r.Print()
}

func check(err error) {
	if err != nil {
		benchcli.Fail(entry, err)
	}
}

func publish(ctx context.Context, c *jetbridge.Client, a *benchcli.Args, dedup bool) benchcli.Report {
	p, err := c.NewPublisher(jetbridge.PublisherOptions{MaxInFlight: new(uint64(a.Window))})
	check(err)
	msg := jetbridge.PublishMessage{Subject: a.Subject, Data: a.Data}
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		if dedup {
			msg.MsgID = new(benchcli.DedupMsgID(i))
		}
		_, err := p.Publish(ctx, msg)
		check(err)
	}
	rep, err := p.Close()
	check(err)
	elapsed := time.Since(start)
	if len(rep.Failures) > 0 {
		benchcli.Fail(entry, fmt.Sprintf("%d publishes failed, first: %v", len(rep.Failures), rep.Failures[0].Err))
	}
	r := benchcli.NewReport(entry, a, elapsed)
	r["acked"], r["duplicates"] = rep.Acked, rep.Duplicates
	return r
}

func latency(ctx context.Context, c *jetbridge.Client, a *benchcli.Args) benchcli.Report {
	lat := make([]time.Duration, 0, a.Count)
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		one := time.Now()
		_, err := c.Publish(ctx, a.Subject, a.Data)
		check(err)
		lat = append(lat, time.Since(one))
	}
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["acked"] = a.Count
	return r.WithLatencies(lat)
}

// consume acks per batch (NextBatch, AckAll), or with each ranges over All
// and acks every message with Ack (the first loop a Go user writes).
func consume(ctx context.Context, c *jetbridge.Client, a *benchcli.Args, each bool) benchcli.Report {
	cons, err := c.CreateConsumer(ctx, a.Stream, jetbridge.ConsumerConfig{DurableName: new(benchcli.Durable)})
	check(err)
	defer cons.Close()
	start := time.Now()
	sub, err := cons.Messages(ctx, jetbridge.MessagesOptions{Batch: new(uint64(a.Batch))})
	check(err)
	defer sub.Close()
	received := 0
	if each {
		for m, err := range sub.All(ctx) {
			check(err)
			check(m.Ack())
			if received++; received == a.Count {
				break
			}
		}
	}
	for received < a.Count {
		batch, err := sub.NextBatch(ctx, a.Batch, 10*time.Second)
		check(err)
		if len(batch) == 0 {
			benchcli.Fail(entry, fmt.Sprintf("stalled after %d messages", received))
		}
		check(jetbridge.AckAll(batch))
		received += len(batch)
	}
	// Acks are queued in the core; the run ends when the server has them all.
	for deadline := time.Now().Add(benchcli.SettleTimeout); time.Now().Before(deadline); {
		info, err := cons.Info(ctx)
		check(err)
		if info.NumAckPending == 0 && info.NumPending == 0 {
			r := benchcli.NewReport(entry, a, time.Since(start))
			r["received"], r["acked"] = received, received
			return r
		}
		time.Sleep(2 * time.Millisecond)
	}
	benchcli.Fail(entry, "acks did not settle")
	return nil
}

func replay(ctx context.Context, c *jetbridge.Client, a *benchcli.Args) benchcli.Report {
	start := time.Now()
	sub, err := c.Replay(ctx, a.Stream, jetbridge.ReplayOptions{
		Start:    jetbridge.StartAtSequence(1),
		Messages: jetbridge.MessagesOptions{Batch: new(uint64(a.Batch))},
	})
	check(err)
	defer sub.Close()
	var seqs benchcli.Sequences
	for seqs.Received < uint64(a.Count) {
		batch, err := sub.NextBatch(ctx, a.Batch, 10*time.Second)
		check(err)
		if len(batch) == 0 {
			benchcli.Fail(entry, fmt.Sprintf("stalled after %d messages", seqs.Received))
		}
		for _, m := range batch {
			seqs.Add(m.StreamSeq())
		}
	}
	return seqs.Into(benchcli.NewReport(entry, a, time.Since(start)))
}
