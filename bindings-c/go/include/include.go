// Package include holds jetbridge.h, the header of the C library the
// jetbridge package is built on. It has no Go code: it is a package only so
// that `go mod vendor` keeps this directory (see ../vendor.go).
package include
