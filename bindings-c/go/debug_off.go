//go:build !jetbridge_debug

package jetbridge

// debugGC does nothing outside debug builds (see debug_on.go).
func debugGC() {}
