package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"runtime"
)

// DaprStateConfig is parsed Dapr state.jetstream metadata: how to connect,
// and the key-value bucket the state store keeps its state in. Connect with
// ConnectDaprState, then open (never create, as the component does) the
// bucket with Client.KeyValue(ctx, d.Bucket). Close it when done
// (afterwards it is ErrInvalidHandle).
type DaprStateConfig struct {
	_ptr *C.jb_dapr_state_config
	// Bucket is the key-value bucket holding the state.
	Bucket string
}

// NewDaprStateConfig parses Dapr state.jetstream metadata (the component's
// keys, matched case-insensitively). Unknown keys, missing required ones
// and bad values are ErrInvalidArgument naming the key.
func NewDaprStateConfig(metadata map[string]string) (*DaprStateConfig, error) {
	var cs cstrings
	defer cs.free()
	first, n, err := metadataPairs(&cs, metadata)
	if err != nil {
		return nil, err
	}
	var out *C.jb_dapr_state_config
	if err := call(func() C.jb_result {
		return C.jb_dapr_state_config_from_metadata(first, n, &out)
	}); err != nil {
		return nil, err
	}
	return newDaprStateConfig(out)
}

// LoadDaprStateComponent reads a Dapr component YAML file (spec.type
// state.jetstream) like NewDaprStateConfig.
func LoadDaprStateComponent(path string) (*DaprStateConfig, error) {
	var cs cstrings
	defer cs.free()
	cpath, err := cs.add(path, "path")
	if err != nil {
		return nil, err
	}
	var out *C.jb_dapr_state_config
	if err := call(func() C.jb_result { return C.jb_dapr_state_config_from_file(cpath, &out) }); err != nil {
		return nil, err
	}
	return newDaprStateConfig(out)
}

// newDaprStateConfig owns p (freed on error, else by Close or the finalizer).
func newDaprStateConfig(p *C.jb_dapr_state_config) (*DaprStateConfig, error) {
	d := &DaprStateConfig{_ptr: p}
	runtime.SetFinalizer(d, func(d *DaprStateConfig) { C.jb_dapr_state_config_free(d._ptr) })
	info, err := d.Info()
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Bucket = info.Bucket
	return d, nil
}

// Close releases the config. Idempotent (the library ignores a second free).
func (d *DaprStateConfig) Close() error {
	C.jb_dapr_state_config_free(d._ptr)
	runtime.SetFinalizer(d, nil)
	return nil
}

// ConnectDaprState connects with the connection part of a Dapr state config.
func ConnectDaprState(ctx context.Context, d *DaprStateConfig) (*Client, error) {
	debugGC()
	r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_connect_dapr_state(d._ptr, h) }, freeClient)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return newClient((*C.jb_client)(r.handle)), nil
}

// DaprStateInfo is what a parsed Dapr state configuration holds, without
// secrets: the auth mode is named, never its material, and server URLs are
// only counted.
type DaprStateInfo struct {
	Servers       int    // number of server URLs (natsURL may list several)
	Name          string // connection name (the component's default unless set)
	Auth          string // the auth mode, named as in DaprInfo
	TLSClientCert bool   // a TLS client certificate is configured
	JSAPIPrefix   string // the JetStream API prefix in effect
	Bucket        string // the key-value bucket holding the state
	// Description is the configuration's debug text (secrets redacted).
	Description string
}

// Info returns what the configuration holds. Never blocks.
func (d *DaprStateConfig) Info() (*DaprStateInfo, error) {
	debugGC()
	var out *C.jb_dapr_state_config_info
	if err := call(func() C.jb_result { return C.jb_dapr_state_config_get_info(d._ptr, &out) }); err != nil {
		return nil, err
	}
	defer C.jb_dapr_state_config_info_free(out)
	runtime.KeepAlive(d)
	return &DaprStateInfo{
		Servers: int(out.servers_len), Name: goStrOpt(out.name), Auth: goStrOpt(out.auth),
		TLSClientCert: bool(out.tls_client_cert), JSAPIPrefix: goStrOpt(out.js_api_prefix),
		Bucket: goStrOpt(out.bucket), Description: goStrOpt(out.description),
	}, nil
}

// String is the configuration's debug text (secrets redacted), for logs.
func (d *DaprStateConfig) String() string {
	info, err := d.Info()
	if err != nil {
		return "jetbridge.DaprStateConfig{" + err.Error() + "}"
	}
	return info.Description
}

// GoString is String (for %#v).
func (d *DaprStateConfig) GoString() string { return d.String() }

// DaprStateKey is the bucket key the Dapr component stores the Dapr state
// key under (Dapr's "app-id||key" separator escaped as the component does).
// A key with a NUL byte is ErrInvalidArgument.
func DaprStateKey(key string) (string, error) {
	var cs cstrings
	defer cs.free()
	ckey, err := cs.add(key, "key")
	if err != nil {
		return "", err
	}
	var out *C.char
	if err := call(func() C.jb_result { return C.jb_dapr_state_key(ckey, &out) }); err != nil {
		return "", err
	}
	defer C.jb_string_free(out)
	return C.GoString(out), nil
}
