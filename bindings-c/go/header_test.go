package jetbridge

import (
	"net/http"
	"reflect"
	"testing"
)

// Header reads as the core looks headers up (case-insensitive), keeps the
// order sent, and converts to and from map[string][]string.
func TestHeaderLookupAndConversions(t *testing.T) {
	h := HeaderFromFields([]HeaderField{{"X-Multi", "a"}, {"x-multi", "b"}, {"X-Empty", ""}, {"Nats-Msg-Id", "id-1"}})
	if got := h.Values("X-MULTI"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("Values = %q", got)
	}
	if h.Get("x-multi") != "a" || h.Get("nats-msg-id") != "id-1" {
		t.Fatalf("Get = %q, %q", h.Get("x-multi"), h.Get("nats-msg-id"))
	}
	if !h.Has("x-empty") || h.Get("x-empty") != "" || h.Has("X-Missing") || h.Values("X-Missing") != nil {
		t.Fatal("presence: absent and empty must differ")
	}
	// One key per name, spelled as the first header of that name.
	if _, ok := h["X-Multi"]; !ok || len(h) != 3 {
		t.Fatalf("keys = %v", h)
	}
	// To and from the map shape (nats.Header, http.Header).
	m := map[string][]string(h)
	if back := Header(m); back.Get("X-MULTI") != "a" {
		t.Fatal("conversion back")
	}
	if Header(http.Header{"X-A": {"1"}}).Get("x-a") != "1" {
		t.Fatal("from another map[string][]string type")
	}
	h.Set("X-MULTI", "c")
	if got := h.Values("x-multi"); !reflect.DeepEqual(got, []string{"c"}) || h["X-Multi"] != nil {
		t.Fatalf("after Set: %v", h)
	}
	h.Add("x-multi", "d")
	h.Del("X-Empty")
	want := []HeaderField{{"Nats-Msg-Id", "id-1"}, {"X-MULTI", "c"}, {"X-MULTI", "d"}}
	if got := h.Fields(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Fields = %v", got)
	}
	var none Header
	if none.Get("x") != "" || none.Has("x") || none.Fields() != nil {
		t.Fatal("nil Header")
	}
}
