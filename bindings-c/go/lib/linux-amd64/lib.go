// Package lib holds libjetbridge.a for linux/amd64, the static library the
// jetbridge package links. It has no Go code: it is a package only so that
// `go mod vendor` keeps this directory (see ../../vendor.go).
package lib
