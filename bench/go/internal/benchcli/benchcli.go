// Package benchcli is the shared command-line contract of the bench entries,
// for Go. Same as bench/rust/src/lib.rs (the reference): --url --op --count
// [--payload 128] [--stream S] [--window 1024] [--batch 500]; one JSON line on
// stdout; exit 0 on success, 2 on failure (message on stderr), 3 when the
// client has no such operation. Publishes go to <stream>.x; `consume` creates
// the durable `bench`; `core` publishes to bench.core.
package benchcli

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"time"
)

const (
	ExitFailed      = 2
	ExitUnsupported = 3
	Durable         = "bench"
	CoreSubject     = "bench.core"
	SettleTimeout   = 60 * time.Second
)

// Args is the parsed command line.
type Args struct {
	URL, Op, Stream, Subject      string
	Count, Payload, Window, Batch int
	Data                          []byte
}

// Parse reads os.Args; exits 2 on bad input.
func Parse() *Args {
	a := &Args{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&a.URL, "url", "", "server URL")
	fs.StringVar(&a.Op, "op", "", "operation")
	fs.IntVar(&a.Count, "count", 0, "messages")
	fs.IntVar(&a.Payload, "payload", 128, "payload bytes")
	fs.StringVar(&a.Stream, "stream", "", "stream name")
	fs.IntVar(&a.Window, "window", 1024, "most unacked publishes")
	fs.IntVar(&a.Batch, "batch", 500, "pull batch")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(ExitFailed)
	}
	if a.URL == "" || a.Op == "" || a.Count <= 0 || (a.Op != "core" && a.Stream == "") {
		fmt.Fprintln(os.Stderr, "--url, --op, --count and (except for core) --stream are required")
		os.Exit(ExitFailed)
	}
	a.Subject = a.Stream + ".x"
	a.Data = make([]byte, a.Payload)
	for i := range a.Data {
		a.Data[i] = 'x'
	}
	return a
}

// DedupMsgID: every tenth message (i%10 == 9) repeats the previous message's id.
func DedupMsgID(i int) string {
	if i%10 == 9 {
		i--
	}
	return fmt.Sprintf("m%d", i)
}

// UniqueMsgID is the msg id of message i in `publish-ids`.
func UniqueMsgID(i int) string { return fmt.Sprintf("m%d", i) }

// Report is the one JSON line an entry prints.
type Report map[string]any

// NewReport starts a report for a run timed over elapsed.
func NewReport(entry string, a *Args, elapsed time.Duration) Report {
	secs := elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(a.Count) / secs
	}
	return Report{"entry": entry, "op": a.Op, "count": a.Count, "payload": a.Payload, "seconds": secs, "msgs_per_s": rate}
}

// WithLatencies adds p50_us and p99_us (nearest rank).
func (r Report) WithLatencies(lat []time.Duration) Report {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pick := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(math.Ceil(float64(len(lat))*q)) - 1
		i = max(0, min(i, len(lat)-1))
		return float64(lat[i].Nanoseconds()) / 1e3
	}
	r["p50_us"], r["p99_us"] = pick(0.50), pick(0.99)
	return r
}

// Print writes the line.
func (r Report) Print() {
	b, _ := json.Marshal(map[string]any(r))
	fmt.Println(string(b))
}

// Sequences is what a replay received, for the driver to check against the
// server: received; in_order (each stream sequence is the previous one + 1,
// starting at 1); seq_checksum, the sum of position x sequence (1-based;
// order-sensitive).
type Sequences struct {
	Received, last, checksum uint64
	outOfOrder               bool
}

// Add records the next sequence and returns how many were received.
func (s *Sequences) Add(seq uint64) uint64 {
	s.Received++
	s.outOfOrder = s.outOfOrder || seq != s.last+1
	s.last = seq
	s.checksum += s.Received * seq
	return s.Received
}

// Into adds received, in_order and seq_checksum to r.
func (s *Sequences) Into(r Report) Report {
	r["received"], r["in_order"], r["seq_checksum"] = s.Received, !s.outOfOrder, s.checksum
	return r
}

// Unsupported prints the unsupported line and exits 3.
func Unsupported(entry string, a *Args, why string) {
	b, _ := json.Marshal(map[string]any{"entry": entry, "op": a.Op, "unsupported": why})
	fmt.Println(string(b))
	os.Exit(ExitUnsupported)
}

// Fail prints the error on stderr and exits 2.
func Fail(entry string, err any) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", entry, err)
	os.Exit(ExitFailed)
}
