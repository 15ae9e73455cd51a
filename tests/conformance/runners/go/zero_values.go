package main

// The Go binding's zero values mean "default" or "not set" (a zero limit,
// duration or string). A scenario argument that is explicitly 0 or "" where
// the core would see Some(0) / Some("") cannot be passed through the Go API:
// these getters report it as UNSUPPORTED instead of silently sending the
// default.

import "time"

// nonZero stores an integer argument that the binding takes as "zero = default".
func nonZero[T int | int32 | int64](a *args, key string, dst *T) error {
	n, ok, err := a.i64(key)
	if err != nil || !ok {
		return err
	}
	if n == 0 {
		return unsupported("%s 0: the Go binding's zero keeps the default", a.full(key))
	}
	if int64(T(n)) != n {
		return runnerError("argument %s is out of range", a.full(key))
	}
	*dst = T(n)
	return nil
}

// positiveMillis stores a duration argument that the binding takes as "zero = default".
func positiveMillis(a *args, key string, dst *time.Duration) error {
	d, ok, err := a.millis(key)
	if err != nil || !ok {
		return err
	}
	if d == 0 {
		return unsupported("%s 0: the Go binding's zero keeps the default", a.full(key))
	}
	*dst = d
	return nil
}

// nonEmpty stores a string argument that the binding takes as "empty = not set".
func nonEmpty(a *args, key string, dst *string) error {
	s, ok, err := a.str(key)
	if err != nil || !ok {
		return err
	}
	if s == "" {
		return unsupported(`%s "": the Go binding's empty string means "not set"`, a.full(key))
	}
	*dst = s
	return nil
}
