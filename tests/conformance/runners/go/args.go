package main

// Reading a step's arguments: typed getters, ${JB_*} substitution, and a
// check that every argument given was understood (a typo in a scenario is a
// RUNNER error). Absent and null mean the same: "not given" (ok == false).
// Values come from encoding/json with UseNumber: map[string]any, []any,
// json.Number, string, bool, nil.

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var variable = regexp.MustCompile(`\$\{([^}]*)\}`)

// substitute replaces every ${JB_NAME} with that environment variable; an
// unset variable (or any other ${…}) is RUNNER.
func substitute(s string) (string, error) {
	if strings.Count(s, "${") != len(variable.FindAllStringIndex(s, -1)) {
		return "", runnerError("unterminated ${ in %q", s)
	}
	var failure error
	out := variable.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-1]
		if !strings.HasPrefix(name, "JB_") {
			failure = runnerError("only ${JB_*} variables are substituted, not %s", name)
			return ""
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			failure = runnerError("environment variable %s is not set", name)
		}
		return v
	})
	return out, failure
}

// seenKeys is shared by one step's Args and its nested objects, so that
// finish on the root checks them all.
type seenKeys struct {
	used    map[string]bool
	objects []*args
}

// args are the arguments of one step, or one nested object of them.
type args struct {
	m    map[string]any
	path string
	seen *seenKeys
}

func newArgs(m map[string]any) *args {
	return nestedArgs(m, "", &seenKeys{used: map[string]bool{}})
}

func nestedArgs(m map[string]any, path string, seen *seenKeys) *args {
	a := &args{m: m, path: path, seen: seen}
	seen.objects = append(seen.objects, a)
	return a
}

func (a *args) full(key string) string {
	if a.path == "" {
		return key
	}
	return a.path + "." + key
}

func (a *args) bad(key, want string) error {
	return runnerError("argument %s must be %s", a.full(key), want)
}

func (a *args) missing(key string) error {
	return runnerError("argument %s is required", a.full(key))
}

// raw is the JSON value (nil when absent or null), marked as read.
func (a *args) raw(key string) any {
	a.seen.used[a.full(key)] = true
	return a.m[key]
}

// toInt is v as an integer, if it is one.
func toInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	return i, err == nil
}

func (a *args) str(key string) (string, bool, error) {
	v := a.raw(key)
	if v == nil {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", false, a.bad(key, "a string")
	}
	s, err := substitute(s)
	return s, err == nil, err
}

func (a *args) requiredStr(key string) (string, error) {
	s, ok, err := a.str(key)
	if err == nil && !ok {
		err = a.missing(key)
	}
	return s, err
}

// u64 is a non-negative integer.
func (a *args) u64(key string) (uint64, bool, error) {
	v := a.raw(key)
	if v == nil {
		return 0, false, nil
	}
	i, ok := toInt(v)
	if !ok || i < 0 {
		return 0, false, a.bad(key, "a non-negative integer")
	}
	return uint64(i), true, nil
}

func (a *args) requiredU64(key string) (uint64, error) {
	n, ok, err := a.u64(key)
	if err == nil && !ok {
		err = a.missing(key)
	}
	return n, err
}

// i64 is an integer that may be negative.
func (a *args) i64(key string) (int64, bool, error) {
	v := a.raw(key)
	if v == nil {
		return 0, false, nil
	}
	i, ok := toInt(v)
	if !ok {
		return 0, false, a.bad(key, "an integer")
	}
	return i, true, nil
}

func (a *args) boolean(key string) (bool, bool, error) {
	v := a.raw(key)
	if v == nil {
		return false, false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, false, a.bad(key, "a boolean")
	}
	return b, true, nil
}

// millis is a `..._ms` duration.
func (a *args) millis(key string) (time.Duration, bool, error) {
	n, ok, err := a.u64(key)
	return time.Duration(n) * time.Millisecond, ok, err
}

func (a *args) millisList(key string) ([]time.Duration, bool, error) {
	v := a.raw(key)
	if v == nil {
		return nil, false, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, a.bad(key, "a list of integers")
	}
	out := make([]time.Duration, len(list))
	for i, x := range list {
		n, ok := toInt(x)
		if !ok || n < 0 {
			return nil, false, a.bad(key, "a list of integers")
		}
		out[i] = time.Duration(n) * time.Millisecond
	}
	return out, true, nil
}

func (a *args) strings(key string) ([]string, bool, error) {
	v := a.raw(key)
	if v == nil {
		return nil, false, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, a.bad(key, "a list of strings")
	}
	out := make([]string, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, false, a.bad(key, "a list of strings")
		}
		var err error
		if out[i], err = substitute(s); err != nil {
			return nil, false, err
		}
	}
	return out, true, nil
}

// pairs is a list of [name, value] string pairs.
func (a *args) pairs(key string) ([][2]string, bool, error) {
	v := a.raw(key)
	if v == nil {
		return nil, false, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, false, a.bad(key, "a list of [name, value] pairs")
	}
	out := make([][2]string, len(list))
	for i, x := range list {
		p, ok := x.([]any)
		if !ok || len(p) != 2 {
			return nil, false, a.bad(key, "a list of [name, value] pairs")
		}
		for j := range p {
			s, ok := p[j].(string)
			if !ok {
				return nil, false, a.bad(key, "a list of [name, value] pairs")
			}
			var err error
			if out[i][j], err = substitute(s); err != nil {
				return nil, false, err
			}
		}
	}
	return out, true, nil
}

// stringMap is an object of strings.
func (a *args) stringMap(key string) (map[string]string, bool, error) {
	v := a.raw(key)
	if v == nil {
		return nil, false, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false, a.bad(key, "an object of strings")
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		s, ok := x.(string)
		if !ok {
			return nil, false, a.bad(key, "an object of strings")
		}
		var err error
		if out[k], err = substitute(s); err != nil {
			return nil, false, err
		}
	}
	return out, true, nil
}

// object is a nested object, as args sharing this step's record of read keys.
func (a *args) object(key string) (*args, error) {
	v := a.raw(key)
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, a.bad(key, "an object")
	}
	return nestedArgs(m, a.full(key), a.seen), nil
}

func (a *args) objects(key string) ([]*args, error) {
	v := a.raw(key)
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, a.bad(key, "a list of objects")
	}
	out := make([]*args, len(list))
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, a.bad(key, "a list of objects")
		}
		out[i] = nestedArgs(m, fmt.Sprintf("%s.%d", a.full(key), i), a.seen)
	}
	return out, nil
}

// finish is RUNNER when an argument was given that no getter read.
func (a *args) finish() error {
	for _, o := range a.seen.objects {
		for key := range o.m {
			if !a.seen.used[o.full(key)] {
				return runnerError("unknown argument %s", o.full(key))
			}
		}
	}
	return nil
}
