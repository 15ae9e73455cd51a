package jetbridge

// #include "shim.h"
import "C"

import (
	"fmt"
	"time"
)

// The C ABI takes counts, sizes and durations as unsigned numbers, where a
// negative Go value would wrap to a huge one. Every conversion of such a
// value checks it first with nonNegative, so a negative one is
// ErrInvalidArgument naming the field, before anything is sent.

// unsignedField is one Go value about to become an unsigned C number.
type unsignedField struct {
	name     string
	negative bool
	value    any
}

func duration(name string, d time.Duration) unsignedField {
	return unsignedField{name, d < 0, d}
}

// nonNegative is ErrInvalidArgument for the first negative field, else nil.
func nonNegative(fields ...unsignedField) error {
	for _, f := range fields {
		if f.negative {
			return invalid(f.name, fmt.Sprintf("must not be negative, got %v", f.value))
		}
	}
	return nil
}

// ms converts a duration already checked by nonNegative to whole milliseconds.
func ms(d time.Duration) C.uint64_t { return C.uint64_t(d / time.Millisecond) }

// Optional fields. A pointer field of this package is optional: nil keeps
// the default that the C struct already holds (its jb_*_default), and a set
// value is written as given, 0 included, so the core judges it exactly as
// in every other language (a 0 it rejects is ErrInvalidArgument). These are
// the fields whose zero value is a real setting; every other field reads
// its zero value as "not set". Go 1.26's new(v) makes one: new(500).

// setMillis writes *v in whole milliseconds to dst when v is set; a
// negative value is ErrInvalidArgument.
func setMillis(dst *C.uint64_t, name string, v *time.Duration) error {
	if v == nil {
		return nil
	}
	if err := nonNegative(duration(name, *v)); err != nil {
		return err
	}
	*dst = ms(*v)
	return nil
}
