package jetbridge

/*
#include "shim.h"
*/
import "C"

import "runtime"

// DaprInfo is what a parsed Dapr configuration holds, without secrets: the
// auth mode is named, never its material, and server URLs are only counted.
type DaprInfo struct {
	Servers       int    // number of server URLs (natsURL may list several)
	Name          string // connection name ("" = none)
	Auth          string // "none", "token", "user_password", "nkey", "jwt" or "creds_file"
	TLSClientCert bool   // a TLS client certificate is configured
	JSAPIPrefix   string // the JetStream API prefix in effect ($JS.API, $JS.<domain>.API or apiPrefix)
	StreamName    string // streamName ("" = looked up by the topic)
	Concurrency   string // concurrencyMode: "single" or "parallel"
	// Consumer is the configuration a subscription uses (Start from
	// startTime, acks, limits, deliver group).
	Consumer ConsumerConfig
	// Description is the configuration's debug text (secrets redacted).
	Description string
}

// Info returns what the configuration holds. Never blocks.
func (d *DaprConfig) Info() (*DaprInfo, error) {
	debugGC()
	var out *C.jb_dapr_config_info
	if err := call(func() C.jb_result { return C.jb_dapr_config_get_info(d._ptr, &out) }); err != nil {
		return nil, err
	}
	defer C.jb_dapr_config_info_free(out)
	runtime.KeepAlive(d)
	consumer, err := consumerConfigFromC(out.consumer)
	if err != nil {
		return nil, err
	}
	return &DaprInfo{
		Servers: int(out.servers_len), Name: goStrOpt(out.name), Auth: goStrOpt(out.auth),
		TLSClientCert: bool(out.tls_client_cert), JSAPIPrefix: goStrOpt(out.js_api_prefix),
		StreamName: goStrOpt(out.stream_name), Concurrency: goStrOpt(out.concurrency),
		Consumer: consumer, Description: goStrOpt(out.description),
	}, nil
}

// String is the configuration's debug text (secrets redacted), for logs.
func (d *DaprConfig) String() string {
	info, err := d.Info()
	if err != nil {
		return "jetbridge.DaprConfig{" + err.Error() + "}"
	}
	return info.Description
}

// GoString is String (for %#v).
func (d *DaprConfig) GoString() string { return d.String() }
