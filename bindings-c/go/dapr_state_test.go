package jetbridge

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Metadata -> config -> connect to a real server -> open the bucket (never
// created by opening) -> a Dapr key stored as the component stores it.
func TestDaprStateConnectOpen(t *testing.T) {
	ctx := testCtx(t)
	d, err := NewDaprStateConfig(map[string]string{"natsURL": env(t, "NATS_URL"), "bucket": "go_dapr_state"})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	defer d.Close()
	if d.Bucket != "go_dapr_state" {
		t.Fatalf("bucket %q", d.Bucket)
	}
	info, err := d.Info()
	if err != nil || info.Servers != 1 || info.Auth != "none" || info.Name == "" || info.Bucket != d.Bucket {
		t.Fatalf("info %+v %v", info, err)
	}
	c, err := ConnectDaprState(ctx, d)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer c.Close()
	_ = c.DeleteKeyValue(ctx, d.Bucket)
	if _, err := c.KeyValue(ctx, d.Bucket); !errors.Is(err, ErrNotFound) {
		t.Fatalf("opening a missing bucket: %v", err)
	}
	freshKv(t, c, KvConfig{Bucket: d.Bucket})
	kv, err := c.KeyValue(ctx, d.Bucket)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer kv.Close()
	key, err := DaprStateKey("myapp||order-1")
	if err != nil || key != "myapp.order-1" {
		t.Fatalf("key %q %v", key, err)
	}
	rev, err := kv.Put(ctx, key, []byte("{}"))
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	e, err := kv.Get(ctx, "myapp.order-1")
	if err != nil || e.Revision != rev || string(e.Value) != "{}" {
		t.Fatalf("get %+v %v", e, err)
	}
}

func TestDaprStateComponentFile(t *testing.T) {
	yaml := "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n" +
		"  type: state.jetstream\n  version: v1\n  metadata:\n  - name: natsURL\n    value: \"" +
		env(t, "NATS_URL") + "\"\n  - name: name\n    value: orders-state\n  - name: bucket\n    value: state\n"
	path := filepath.Join(t.TempDir(), "statestore.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := LoadDaprStateComponent(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	info, err := d.Info()
	if err != nil || d.Bucket != "state" || info.Name != "orders-state" {
		t.Fatalf("info %+v %v", info, err)
	}
	d.Close()
	if _, err := ConnectDaprState(testCtx(t), d); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("a closed config connected: %v", err)
	}
}

func TestDaprStateErrorsNameTheKey(t *testing.T) {
	_, err := NewDaprStateConfig(map[string]string{"natsURL": "nats://127.0.0.1:4222"})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "bucket") {
		t.Fatalf("missing bucket: %v", err)
	}
	_, err = NewDaprStateConfig(map[string]string{"natsURL": "nats://127.0.0.1:4222", "bucket": "b", "durableName": "x"})
	if !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "durableName") {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := DaprStateKey("a\x00b"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("a NUL in a key: %v", err)
	}
}

func TestDaprStateShowsNoSecret(t *testing.T) {
	seed := "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY"
	jwt := "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5In0.state-jwt"
	d, err := NewDaprStateConfig(map[string]string{
		"natsURL": "nats://127.0.0.1:4222", "bucket": "state", "jwt": jwt, "seedKey": seed})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	defer d.Close()
	info, err := d.Info()
	if err != nil || info.Auth != "jwt" {
		t.Fatalf("info %+v %v", info, err)
	}
	for _, s := range []string{d.String(), fmt.Sprintf("%#v", d), fmt.Sprintf("%v", d), info.Description} {
		if strings.Contains(s, seed) || strings.Contains(s, jwt) {
			t.Fatalf("a secret shown: %s", s)
		}
	}
}
