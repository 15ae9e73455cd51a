package jetbridge

import (
	"slices"
	"strings"
)

// Header is a message's headers in the shape of nats.go's nats.Header
// (map[string][]string): a name's values in the order sent. It converts
// both ways with a plain conversion (Header(m), map[string][]string(h),
// Header(natsHeader)).
//
// Lookup (Get, Values, Has, Del, Set) is case-insensitive, as the core's
// (Msg.Header): the exact name first, then any name differing only in case.
// A delivered message's Header has one key per name, spelled as the first
// header of that name, holding every value in the order sent.
//
// The zero value (nil) is an empty header set; Add and Set need a non-nil
// Header (make(Header) or Header{}).
type Header map[string][]string

// HeaderFromFields is fields as a Header (names differing only in case are
// one key, spelled as the first; values in the order given).
func HeaderFromFields(fields []HeaderField) Header {
	if len(fields) == 0 {
		return Header{}
	}
	h := make(Header, len(fields))
	for _, f := range fields {
		key := f.Name
		if found, ok := h.key(f.Name); ok {
			key = found
		}
		h[key] = append(h[key], f.Value)
	}
	return h
}

// key is the map key that name matches: name itself, else the first key
// (in sorted order, so the answer never depends on map order) equal to it
// ignoring case.
func (h Header) key(name string) (string, bool) {
	if _, ok := h[name]; ok {
		return name, true
	}
	var found string
	for k := range h {
		if strings.EqualFold(k, name) && (found == "" || k < found) {
			found = k
		}
	}
	return found, found != ""
}

// Get is the first value of name, "" when absent (Has tells absent from
// empty).
func (h Header) Get(name string) string {
	if v := h.Values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values is every value of name, in order; nil when absent. The slice is
// the Header's own.
func (h Header) Values(name string) []string {
	if k, ok := h.key(name); ok {
		return h[k]
	}
	return nil
}

// Has reports whether name is present (with any value, "" included).
func (h Header) Has(name string) bool {
	_, ok := h.key(name)
	return ok
}

// Add appends value to name (to the key it matches, else a new one spelled
// as given).
func (h Header) Add(name, value string) {
	key := name
	if k, ok := h.key(name); ok {
		key = k
	}
	h[key] = append(h[key], value)
}

// Set replaces every value of name (in any case) with value, spelled as
// given.
func (h Header) Set(name, value string) {
	h.Del(name)
	h[name] = []string{value}
}

// Del removes name in any case.
func (h Header) Del(name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

// Fields is h as header fields, as a publish sends them: names in sorted
// order (a map has none), each name's values in order.
func (h Header) Fields() []HeaderField {
	if len(h) == 0 {
		return nil
	}
	names := make([]string, 0, len(h))
	n := 0
	for k, v := range h {
		names = append(names, k)
		n += len(v)
	}
	slices.Sort(names)
	out := make([]HeaderField, 0, n)
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, HeaderField{Name: k, Value: v})
		}
	}
	return out
}
