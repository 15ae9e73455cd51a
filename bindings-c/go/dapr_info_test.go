package jetbridge

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDaprConfigInfo(t *testing.T) {
	secret := "s3cr3t-token-value"
	d, err := NewDaprConfig(map[string]string{
		"natsURL": "nats://a:4222,nats://b:4222", "name": "orders-service", "token": secret,
		"domain": "hub", "streamName": "ORDERS", "concurrencyMode": "parallel",
		"durableName": "orders-sub", "ackWait": "10s", "maxDeliver": "5",
		"deliverPolicy": "time", "startTime": "1630349391",
	})
	if err != nil {
		t.Fatal(err)
	}
	info, err := d.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Servers != 2 || info.Name != "orders-service" || info.Auth != "token" || info.TLSClientCert ||
		info.JSAPIPrefix != "$JS.hub.API" || info.StreamName != "ORDERS" || info.Concurrency != "parallel" {
		t.Fatalf("info = %+v", info)
	}
	c := info.Consumer
	if c.DurableName == nil || *c.DurableName != "orders-sub" || c.AckWait == nil || *c.AckWait != 10*time.Second || c.MaxDeliver == nil || *c.MaxDeliver != 5 {
		t.Fatalf("consumer = %+v", c)
	}
	if at, ok := c.Start.Time(); !ok || at.UnixNano() != 1630349391000000000 {
		t.Fatalf("start = %v %v", at, ok)
	}
	for _, text := range []string{info.Description, d.String(), fmt.Sprintf("%v %#v", d, d)} {
		if text == "" || strings.Contains(text, secret) {
			t.Fatalf("description %q is empty or shows the token", text)
		}
	}
	d.Close()
	if _, err := d.Info(); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("info of a closed config: %v", err)
	}
}
