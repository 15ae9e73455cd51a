package main

// Declared types (the binding's generated ConsumerConfig and StreamConfig)
// read from a scenario and printed without naming a field, by reflection: a
// field's key is its json name (the core's snake-case name), a duration (a
// time.Duration, a pointer to one or a list of them) as `<name>_ms` in
// milliseconds, a point in time (a time.Time or a pointer to one) as integer
// Unix nanoseconds, a map (map[string]string) as an object of strings.

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"
)

// jsonName is a struct field's name in its json tag.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
)

// isDuration: a time.Duration, a pointer to one or a list of them.
func isDuration(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t == durationType
}

// isTime: a time.Time or a pointer to one.
func isTime(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t == timeType
}

// recordArg is a T from a scenario's arguments: each key is a field's key;
// the fields named in skip are the caller's to read. Any other key stays
// unread, so the step is RUNNER (args.finish), as is a value of the wrong
// JSON type; every value is passed as given (0 included) and the core judges
// it through the binding (an unknown enum name is its INVALID_ARGUMENT).
func recordArg[T any](a *args, skip ...string) (T, error) {
	var c T
	fields, err := recordFields(a, reflect.TypeFor[T](), skip...)
	if err != nil {
		return c, err
	}
	b, err := json.Marshal(fields)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		return c, runnerError("argument %s: %v", a.path, err)
	}
	return c, nil
}

// nestedType is the declared type a field holds (a struct, a pointer to one
// or a list of them; never a time.Time), if it holds one.
func nestedType(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t, t.Kind() == reflect.Struct && t != timeType
}

// recordFields are the arguments of a declared type t in its JSON form, by
// the rules of recordArg; a nested declared type (or a list of them) is an
// object (a list of objects) read by the same rules.
func recordFields(a *args, t reflect.Type, skip ...string) (map[string]any, error) {
	durations := map[string]bool{}
	times := map[string]bool{}
	maps := map[string]bool{}
	nested := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		durations[jsonName(f)] = isDuration(f.Type)
		times[jsonName(f)] = isTime(f.Type)
		maps[jsonName(f)] = f.Type.Kind() == reflect.Map
		if nt, ok := nestedType(f.Type); ok {
			nested[jsonName(f)] = nt
		}
	}
	fields := map[string]any{}
	for key := range a.m {
		name, ms := strings.CutSuffix(key, "_ms")
		d, known := durations[name]
		if !known || d != ms || slices.Contains(skip, name) {
			continue
		}
		var err error
		v := a.raw(key)
		if nt, ok := nested[name]; ok && v != nil {
			v, err = nestedFields(a, key, nt)
		} else if _, list := v.([]any); ms && list {
			v, _, err = a.millisList(key)
		} else if ms && v != nil {
			v, _, err = a.millis(key)
		} else if times[name] && v != nil {
			var ns int64
			ns, _, err = a.i64(key)
			v = time.Unix(0, ns).UTC()
		} else if maps[name] && v != nil {
			v, _, err = a.stringMap(key)
		}
		if err != nil {
			return nil, err
		}
		fields[name] = v
	}
	return fields, nil
}

// nestedFields is the value of key, a nested declared type t or a list of
// them, in its JSON form.
func nestedFields(a *args, key string, t reflect.Type) (any, error) {
	if _, list := a.raw(key).([]any); list {
		items, err := a.objects(key)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(items))
		for i, item := range items {
			if out[i], err = recordFields(item, t); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	item, err := a.object(key)
	if err != nil {
		return nil, err
	}
	return recordFields(item, t)
}

// record prints v (a declared type's value): each field under its key, unset
// as null; the fields named in skip are the caller's to print.
func record(v any, skip ...string) obj {
	out := obj{}
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		name := jsonName(f)
		switch {
		case slices.Contains(skip, name):
		case isDuration(f.Type):
			out[name+"_ms"] = plain(rv.Field(i))
		default:
			out[name] = plain(rv.Field(i))
		}
	}
	return out
}
