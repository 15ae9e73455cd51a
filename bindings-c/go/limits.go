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

func count(name string, n int) unsignedField {
	return unsignedField{name, n < 0, n}
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
