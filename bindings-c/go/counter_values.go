package jetbridge

/*
#include "shim.h"
*/
import "C"

// CounterValue is one of a client's counters under the core's name (e.g.
// "published", "unknown_outcomes").
type CounterValue struct {
	Name  string
	Value uint64
}

// CounterValues returns the client's counters with the core's names, in
// the core's order (what Counters returns as struct fields): for tools that
// export every counter without listing them, such as the otel subpackage's
// InstrumentMetrics.
func (c *Client) CounterValues() ([]CounterValue, error) {
	var k C.jb_counters
	err := c.with(func(p *C.jb_client) error {
		return call(func() C.jb_result { return C.jb_client_counters(p, &k) })
	})
	if err != nil {
		return nil, err
	}
	values := countersAsSlice(&k)
	out := make([]CounterValue, 0, len(values))
	for i, v := range values {
		out = append(out, CounterValue{Name: counterName(i), Value: v})
	}
	return out, nil
}

// Name is the client name given in Options.Name to Connect ("" when none,
// or for a client from ConnectDapr).
func (c *Client) Name() string { return c.name }
