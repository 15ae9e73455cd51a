package main

// The canonical JSON of transcript lines (SPEC.md §2): byte for byte what
// Python prints with json.dumps(obj, sort_keys=True, separators=(",", ":"),
// ensure_ascii=True). encoding/json escapes <>& and keeps non-ASCII, hence
// this small writer.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// obj is a JSON object of a result; keys are sorted when written.
type obj = map[string]any

// encode returns the canonical JSON text of v (without a newline). It holds
// nil, bool, integers, strings, []any, []string, [][2]string, []uint64 and
// obj; anything else (a float) is a runner bug and panics.
func encode(v any) string {
	var b strings.Builder
	write(&b, v)
	return b.String()
}

func write(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case uint64:
		b.WriteString(strconv.FormatUint(x, 10))
	case string:
		writeString(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			write(b, e)
		}
		b.WriteByte(']')
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		write(b, items)
	case []uint64:
		items := make([]any, len(x))
		for i, n := range x {
			items[i] = n
		}
		write(b, items)
	case obj:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Byte order of UTF-8 is code-point order (Python's sort of str).
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			write(b, x[k])
		}
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("canonical JSON cannot hold a %T", v))
	}
}

// writeString writes a JSON string with ASCII only: \" \\ \b \f \n \r \t,
// everything else below U+0020 and from U+007F as \uXXXX (UTF-16 units).
// Invalid UTF-8 is written as U+FFFD.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			switch {
			case r < 0x20 || (r >= 0x7f && r <= 0xffff):
				fmt.Fprintf(b, `\u%04x`, r)
			case r > 0xffff:
				hi, lo := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
