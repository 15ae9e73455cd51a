package benchcli

import (
	"bytes"
	"fmt"
	"io"
)

// The object-store bench's content: byte j of an object is j % Modulus.
// PatternSource produces it in pieces of at most Piece bytes (never the whole
// object in memory); PatternCheck checks what a reader hands out, chunk by
// chunk, and keeps only the count.
const (
	Modulus = 251
	Piece   = 64 * 1024  // the most a PatternSource hands out per Read
	Chunk   = 128 * 1024 // the buffer obj-get reads into
)

// pattern holds the period repeated, long enough for any start plus a Chunk.
var pattern = func() []byte {
	p := make([]byte, (Chunk/Modulus+2)*Modulus)
	for i := range p {
		p[i] = byte(i % Modulus)
	}
	return p
}()

// expected is the pattern's n bytes (n <= Chunk) from byte offset of the object.
func expected(offset int64, n int) []byte {
	start := int(offset % Modulus)
	return pattern[start : start+n]
}

// PatternSource is an io.Reader of Size pattern bytes, at most Piece per Read.
type PatternSource struct {
	Size, pos int64
}

func (s *PatternSource) Read(p []byte) (int, error) {
	n := int(min(int64(len(p)), Piece, s.Size-s.pos))
	if n <= 0 {
		return 0, io.EOF
	}
	copy(p, expected(s.pos, n))
	s.pos += int64(n)
	return n, nil
}

// PatternCheck is an io.Writer that checks consecutive chunks against the
// pattern; Bytes is how many were checked. A wrong byte is its error.
type PatternCheck struct {
	Bytes int64
}

func (c *PatternCheck) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		n := min(len(p), Chunk)
		want := expected(c.Bytes, n)
		if !bytes.Equal(p[:n], want) {
			i := 0
			for p[i] == want[i] {
				i++
			}
			return 0, fmt.Errorf("object byte %d: %d is not %d", c.Bytes+int64(i), p[i], want[i])
		}
		c.Bytes += int64(n)
		p = p[n:]
	}
	return total, nil
}

// CheckAll reads r to its end through a Chunk-sized buffer, checking every byte.
func CheckAll(r io.Reader) (int64, error) {
	c := &PatternCheck{}
	_, err := io.CopyBuffer(c, r, make([]byte, Chunk))
	return c.Bytes, err
}

// KVKey is the key of kv-put's and kv-get's i-th operation: k.<i mod 1000>.
func KVKey(i int) string { return fmt.Sprintf("k.%d", i%1000) }

// ObjectName is the one object obj-put writes and obj-get reads.
const ObjectName = "bench"

// MiB is obj-put's and obj-get's unit of count (so msgs_per_s is MiB/s there).
const MiB = 1024 * 1024
