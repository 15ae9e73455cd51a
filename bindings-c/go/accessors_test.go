package jetbridge

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStartPositionAccessors(t *testing.T) {
	at := time.Unix(0, 1630349391000000000)
	for _, tc := range []struct {
		start  StartPosition
		policy string
		seq    uint64
		isSeq  bool
		isTime bool
	}{
		{StartPosition{}, "all", 0, false, false},
		{StartAll, "all", 0, false, false},
		{StartLast, "last", 0, false, false},
		{StartLastPerSubject, "last_per_subject", 0, false, false},
		{StartNew, "new", 0, false, false},
		{StartAtSequence(7), "by_start_sequence", 7, true, false},
		{StartAtTime(at), "by_start_time", 0, false, true},
	} {
		if got := tc.start.Policy(); got != tc.policy {
			t.Errorf("%v: Policy() = %q, want %q", tc.policy, got, tc.policy)
		}
		if seq, ok := tc.start.Sequence(); seq != tc.seq || ok != tc.isSeq {
			t.Errorf("%v: Sequence() = %d, %v", tc.policy, seq, ok)
		}
		if tm, ok := tc.start.Time(); ok != tc.isTime || (ok && !tm.Equal(at)) {
			t.Errorf("%v: Time() = %v, %v", tc.policy, tm, ok)
		}
	}
}

// A start position crosses in the core's wire form and reads back the same.
func TestStartPositionJSON(t *testing.T) {
	at := time.Unix(0, 1630349391000000001)
	for _, tc := range []struct {
		start StartPosition
		wire  string
	}{
		{StartPosition{}, `"all"`},
		{StartLastPerSubject, `"last_per_subject"`},
		{StartAtSequence(7), `{"policy":"sequence","sequence":7}`},
		{StartAtTime(at), `{"policy":"time","time":1630349391000000001}`},
	} {
		b, err := json.Marshal(tc.start)
		if err != nil || string(b) != tc.wire {
			t.Fatalf("Marshal(%v) = %s, %v; want %s", tc.start.Policy(), b, err, tc.wire)
		}
		var back StartPosition
		if err := json.Unmarshal(b, &back); err != nil || back.Policy() != tc.start.Policy() {
			t.Fatalf("Unmarshal(%s) = %v, %v", b, back.Policy(), err)
		}
		seq, _ := back.Sequence()
		when, _ := back.Time()
		if want, _ := tc.start.Sequence(); seq != want {
			t.Fatalf("Unmarshal(%s): sequence %d", b, seq)
		}
		if want, _ := tc.start.Time(); !when.Equal(want) {
			t.Fatalf("Unmarshal(%s): time %v", b, when)
		}
	}
	var s StartPosition
	if err := json.Unmarshal([]byte(`{"policy":"sometime"}`), &s); err == nil {
		t.Fatal("unknown policy accepted")
	}
}

func TestPublisherOptionsInEffect(t *testing.T) {
	c := connect(t)
	p, err := c.NewPublisher(PublisherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := p.Options(); *got.MaxInFlight != 1024 || *got.MaxInFlightBytes != 32<<20 {
		t.Fatalf("default window = %+v", got)
	}
	q, err := c.NewPublisher(PublisherOptions{MaxInFlight: new(uint64(2)), MaxInFlightBytes: new(uint64(1000))})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if got := q.Options(); *got.MaxInFlight != 2 || *got.MaxInFlightBytes != 1000 {
		t.Fatalf("window = %+v", got)
	}
}

func TestClosedClientState(t *testing.T) {
	c := connect(t)
	want, err := c.MaxPayload()
	if err != nil || want <= 0 {
		t.Fatalf("max payload = %d, %v", want, err)
	}
	if s, err := c.ConnectionState(); err != nil || !s.Connected || s.Closed {
		t.Fatalf("state before close = %+v, %v", s, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err := c.ConnectionState(); err != nil || s.Connected || !s.Closed {
		t.Fatalf("state after close = %+v, %v", s, err)
	}
	if n, err := c.MaxPayload(); err != nil || n != want {
		t.Fatalf("max payload after close = %d, %v (want %d)", n, err, want)
	}
}

func TestCountersFollowTheCore(t *testing.T) {
	fields := reflect.TypeOf(Counters{})
	for i := 0; i < fields.NumField() || counterName(i) != ""; i++ {
		want := ""
		for _, part := range strings.Split(counterName(i), "_") {
			if part != "" {
				want += strings.ToUpper(part[:1]) + part[1:]
			}
		}
		if i >= fields.NumField() || fields.Field(i).Name != want {
			t.Fatalf("field %d is not the core's counter %q", i, counterName(i))
		}
	}
}
