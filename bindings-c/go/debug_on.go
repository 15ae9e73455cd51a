//go:build jetbridge_debug

package jetbridge

import "runtime"

// debugGC forces a collection on every handle access in debug builds
// (go test -tags jetbridge_debug), so a missing runtime.KeepAlive shows up as
// a freed handle instead of hiding behind a lucky GC schedule.
func debugGC() { runtime.GC() }
