//go:build jetbridge_vendor

package jetbridge

// `go mod vendor` copies only package directories, considering every build
// tag: these imports, behind a tag no build sets, make it keep the directories
// holding the header and the static library (wasmtime-go does the same).
import (
	_ "github.com/jetbridge/jetbridge-go/include"
	_ "github.com/jetbridge/jetbridge-go/lib/linux-amd64"
)
