package main

// Two kinds of binding fields take scenario arguments.
//
// Optional fields are pointers (nil = default): a given argument is stored
// as given, 0 and "" included, and the core judges it as in every language.
//
// Plain fields read their zero value as "default" or "not set", where the
// core sees the same thing. An argument that is explicitly 0 or "" for one
// of them cannot be passed through the Go API, so these getters report it
// as UNSUPPORTED instead of silently sending the default.

import "time"

// optional stores an integer argument into an optional field.
func optional[T int | uint8](a *args, key string, dst **T) error {
	n, ok, err := a.i64(key)
	if err != nil || !ok {
		return err
	}
	if int64(T(n)) != n {
		return runnerError("argument %s is out of range", a.full(key))
	}
	*dst = new(T(n))
	return nil
}

// optionalMillis stores a duration argument into an optional field.
func optionalMillis(a *args, key string, dst **time.Duration) error {
	d, ok, err := a.millis(key)
	if err != nil || !ok {
		return err
	}
	*dst = &d
	return nil
}

// optionalStr stores a string argument into an optional field.
func optionalStr(a *args, key string, dst **string) error {
	s, ok, err := a.str(key)
	if err != nil || !ok {
		return err
	}
	*dst = &s
	return nil
}

// orEmpty is *s, or "" when s is nil.
func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// positiveMillis stores a duration argument into a plain field.
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

// nonEmpty stores a string argument into a plain field.
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
