package jetbridgeotel

import (
	"context"

	jetbridge "github.com/jetbridge/jetbridge-go"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// InstrumentMetrics offers client's counters (the core's, by the core's
// names: Client.CounterValues) as observable counters "jetbridge.<name>"
// of a meter from mp, with the attribute jetbridge.client.name when the
// client has a name. It returns the registration: Unregister stops it
// (e.g. once the client is closed).
func InstrumentMetrics(client *jetbridge.Client, mp metric.MeterProvider) (metric.Registration, error) {
	values, err := client.CounterValues()
	if err != nil {
		return nil, err
	}
	meter := mp.Meter(tracerName)
	instruments := make([]metric.Int64ObservableCounter, len(values))
	observables := make([]metric.Observable, len(values))
	for i, v := range values {
		c, err := meter.Int64ObservableCounter("jetbridge." + v.Name)
		if err != nil {
			return nil, err
		}
		instruments[i], observables[i] = c, c
	}
	var opts []metric.ObserveOption
	if name := client.Name(); name != "" {
		opts = append(opts, metric.WithAttributes(attribute.String("jetbridge.client.name", name)))
	}
	return meter.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		values, err := client.CounterValues()
		if err != nil {
			return nil // a closed client: nothing to observe
		}
		for i, v := range values {
			if i < len(instruments) {
				o.ObserveInt64(instruments[i], int64(v.Value), opts...)
			}
		}
		return nil
	}, observables...)
}
