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
