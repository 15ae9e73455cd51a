// Bench entry `nats.go`: the nats.go client's jetstream package (pinned in
// go.mod), used as its docs show: PublishAsync with
// WithPublishAsyncMaxPending + PublishAsyncComplete; Consumer.Messages with
// PullMaxMessages; an OrderedConsumer for replay; nc.Publish + Flush for core
// NATS. Contract: see internal/benchcli.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"example.invalid/jetbridge/bench/go/internal/benchcli"
)

const entry = "nats.go"

func main() {
	a := benchcli.Parse()
	ctx := context.Background()
	nc, err := nats.Connect(a.URL)
	check(err)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(a.Window))
	check(err)
	var r benchcli.Report
	switch a.Op {
	case "publish":
		r = publish(js, a, nil)
	case "publish-ids":
		r = publish(js, a, benchcli.UniqueMsgID)
	case "dedup":
		r = publish(js, a, benchcli.DedupMsgID)
	case "latency":
		r = latency(ctx, js, a)
	case "consume":
		r = consume(ctx, js, a)
	case "replay":
		r = replay(ctx, js, a)
	case "kv-put", "kv-get", "kv-watch":
		r = keyValue(ctx, js, a)
	case "obj-put", "obj-get":
		r = objects(ctx, js, a)
	case "core":
		r = core(nc, a)
	default:
		benchcli.Fail(entry, "unknown op "+a.Op)
	}
	check(nc.Drain())
	r.Print()
}

func check(err error) {
	if err != nil {
		benchcli.Fail(entry, err)
	}
}

func publish(js jetstream.JetStream, a *benchcli.Args, msgID func(int) string) benchcli.Report {
	futures := make([]jetstream.PubAckFuture, 0, a.Count)
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		var opts []jetstream.PublishOpt
		if msgID != nil {
			opts = append(opts, jetstream.WithMsgID(msgID(i)))
		}
		f, err := js.PublishAsync(a.Subject, a.Data, opts...)
		check(err)
		futures = append(futures, f)
	}
	select {
	case <-js.PublishAsyncComplete():
	case <-time.After(time.Minute):
		benchcli.Fail(entry, "publishes did not complete within a minute")
	}
	elapsed := time.Since(start)
	acked, duplicates := 0, 0
	for _, f := range futures {
		select {
		case ack := <-f.Ok():
			acked++
			if ack.Duplicate {
				duplicates++
			}
		case err := <-f.Err():
			benchcli.Fail(entry, fmt.Sprintf("publish failed: %v", err))
		}
	}
	r := benchcli.NewReport(entry, a, elapsed)
	r["acked"], r["duplicates"] = acked, duplicates
	return r
}

func latency(ctx context.Context, js jetstream.JetStream, a *benchcli.Args) benchcli.Report {
	lat := make([]time.Duration, 0, a.Count)
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		one := time.Now()
		_, err := js.Publish(ctx, a.Subject, a.Data)
		check(err)
		lat = append(lat, time.Since(one))
	}
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["acked"] = a.Count
	return r.WithLatencies(lat)
}

func consume(ctx context.Context, js jetstream.JetStream, a *benchcli.Args) benchcli.Report {
	cons, err := js.CreateOrUpdateConsumer(ctx, a.Stream, jetstream.ConsumerConfig{
		Durable: benchcli.Durable, AckPolicy: jetstream.AckExplicitPolicy,
	})
	check(err)
	start := time.Now()
	it, err := cons.Messages(jetstream.PullMaxMessages(a.Batch))
	check(err)
	received := 0
	for received < a.Count {
		m, err := it.Next(jetstream.NextMaxWait(10 * time.Second))
		check(err)
		check(m.Ack())
		received++
	}
	for deadline := time.Now().Add(benchcli.SettleTimeout); time.Now().Before(deadline); {
		info, err := cons.Info(ctx)
		check(err)
		if info.NumAckPending == 0 && info.NumPending == 0 {
			r := benchcli.NewReport(entry, a, time.Since(start))
			it.Stop()
			r["received"], r["acked"] = received, received
			return r
		}
		time.Sleep(2 * time.Millisecond)
	}
	benchcli.Fail(entry, "acks did not settle")
	return nil
}

func replay(ctx context.Context, js jetstream.JetStream, a *benchcli.Args) benchcli.Report {
	start := time.Now()
	cons, err := js.OrderedConsumer(ctx, a.Stream, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: 1,
	})
	check(err)
	it, err := cons.Messages(jetstream.PullMaxMessages(a.Batch))
	check(err)
	defer it.Stop()
	var seqs benchcli.Sequences
	for seqs.Received < uint64(a.Count) {
		m, err := it.Next(jetstream.NextMaxWait(10 * time.Second))
		check(err)
		meta, err := m.Metadata()
		check(err)
		seqs.Add(meta.Sequence.Stream)
	}
	return seqs.Into(benchcli.NewReport(entry, a, time.Since(start)))
}

func core(nc *nats.Conn, a *benchcli.Args) benchcli.Report {
	start := time.Now()
	for i := 0; i < a.Count; i++ {
		check(nc.Publish(benchcli.CoreSubject, a.Data))
	}
	check(nc.FlushTimeout(time.Minute))
	r := benchcli.NewReport(entry, a, time.Since(start))
	r["sent"] = a.Count
	return r
}
