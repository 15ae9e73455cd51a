package main

import "testing"

// The expected texts are what Python prints with json.dumps(v,
// sort_keys=True, separators=(",", ":"), ensure_ascii=True).
func TestCanonical(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"a\"b\\\\c\b\f\n\r\t\x01\x1f\x7f", `"a\"b\\\\c\b\f\n\r\t\u0001\u001f\u007f"`},
		{"é€😀", `"\u00e9\u20ac\ud83d\ude00"`},
		{"</script>&", `"</script>&"`},
		{"\u2028", `"\u2028"`},
		{obj{"b": 1, "a": []any{true, nil, int64(-5)}, "é": "x", "Z": obj{}}, `{"Z":{},"a":[true,null,-5],"b":1,"\u00e9":"x"}`},
		{obj{"seqs": []uint64{1, 18446744073709551615}, "s": []string{}}, `{"s":[],"seqs":[1,18446744073709551615]}`},
	} {
		if got := encode(tc.v); got != tc.want {
			t.Errorf("encode(%#v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

func TestData(t *testing.T) {
	if got := data([]byte{'a', 0xff, 'b'}); got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8 printed as %q", got)
	}
	long := make([]byte, 201)
	if got := data(long); got != "<201 bytes>" {
		t.Errorf("long payload printed as %q", got)
	}
}
