package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/json"
	"unsafe"
)

// recordToC is cfg (a generated type of types_gen.go) as a library-owned C
// struct, crossing as JSON in the wire convention through fromJSON (a
// jb_<type>_from_json): the core reads it, and a value it cannot take is
// ErrInvalidArgument naming the field. The caller frees the struct with the
// type's jb_<type>_free.
func recordToC[P any](cfg any, fromJSON func(js *C.char, out *P) C.jb_result) (P, error) {
	var out P
	b, err := json.Marshal(cfg)
	if err != nil {
		return out, err
	}
	js := C.CString(string(b)) // JSON escapes NUL: never truncated
	defer C.free(unsafe.Pointer(js))
	err = call(func() C.jb_result { return fromJSON(js, &out) })
	return out, err
}

// recordFromC reads a C struct into dst (a pointer to a generated type)
// through its wire JSON from toJSON (a jb_<type>_to_json).
func recordFromC(dst any, toJSON func(out **C.char) C.jb_result) error {
	var js *C.char
	if err := call(func() C.jb_result { return toJSON(&js) }); err != nil {
		return err
	}
	defer C.jb_string_free(js)
	if err := json.Unmarshal([]byte(C.GoString(js)), dst); err != nil {
		return &Error{Code: CodeInternal, Message: "INTERNAL: reading a declared type: " + err.Error()}
	}
	return nil
}
