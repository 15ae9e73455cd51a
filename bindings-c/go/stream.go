package jetbridge

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"time"
	"unsafe"
)

// StreamState is a stream's contents.
type StreamState struct {
	Messages, Bytes, FirstSequence, LastSequence, Consumers uint64
}

// StreamInfo is a stream's configuration and state.
type StreamInfo struct {
	Config        StreamConfig
	State         StreamState
	Created       time.Time
	ClusterLeader string
}

// StoredMessage is a message read back from a stream.
type StoredMessage struct {
	Subject   string
	Sequence  uint64
	Data      []byte
	Headers   []HeaderField
	Timestamp time.Time
}

// storedListFromC reads a C list of stored messages, each as storedFromC
// does.
func storedListFromC(l *C.jb_stored_message_list) []*StoredMessage {
	out := make([]*StoredMessage, 0, int(l.len))
	if l.items == nil {
		return out
	}
	items := unsafe.Slice(l.items, int(l.len))
	for i := range items {
		out = append(out, storedFromC(&items[i]))
	}
	return out
}

// streamConfigToC is cfg as a library-owned C config (recordToC); the
// caller frees it with C.jb_stream_config_free.
func streamConfigToC(cfg *StreamConfig) (*C.jb_stream_config, error) {
	return recordToC(cfg, func(js *C.char, out **C.jb_stream_config) C.jb_result {
		return C.jb_stream_config_from_json(js, out)
	})
}

func streamInfoFromC(i *C.jb_stream_info) (*StreamInfo, error) {
	var cfg StreamConfig
	err := recordFromC(&cfg, func(js **C.char) C.jb_result { return C.jb_stream_config_to_json(i.config, js) })
	if err != nil {
		return nil, err
	}
	return &StreamInfo{
		Config: cfg,
		State: StreamState{
			Messages: uint64(i.messages), Bytes: uint64(i.bytes),
			FirstSequence: uint64(i.first_sequence), LastSequence: uint64(i.last_sequence),
			Consumers: uint64(i.consumers),
		},
		Created:       time.Unix(0, int64(i.created_ns)),
		ClusterLeader: goStrOpt(i.cluster_leader),
	}, nil
}

// streamInfoListFromC reads a C list of stream infos, each as
// streamInfoFromC does.
func streamInfoListFromC(l *C.jb_stream_info_list) ([]StreamInfo, error) {
	out := make([]StreamInfo, 0, int(l.len))
	if l.items == nil {
		return out, nil
	}
	items := unsafe.Slice(l.items, int(l.len))
	for i := range items {
		info, err := streamInfoFromC(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *info)
	}
	return out, nil
}

// accountInfoFromC reads a C account info (recordFromC).
func accountInfoFromC(p *C.jb_account_info) (*AccountInfo, error) {
	var a AccountInfo
	err := recordFromC(&a, func(js **C.char) C.jb_result { return C.jb_account_info_to_json(p, js) })
	return &a, err
}

func headersFromC(h *C.jb_header, n C.size_t) []HeaderField {
	if h == nil || n == 0 {
		return nil
	}
	out := make([]HeaderField, int(n))
	for i, f := range unsafe.Slice(h, int(n)) {
		out[i] = HeaderField{Name: goStr(f.name), Value: goStr(f.value)}
	}
	return out
}

func storedFromC(m *C.jb_stored_message) *StoredMessage {
	return &StoredMessage{
		Subject: goStrOpt(m.subject), Sequence: uint64(m.sequence),
		Data: goBytes(m.payload, m.payload_len), Headers: headersFromC(m.headers, m.headers_len),
		Timestamp: time.Unix(0, int64(m.timestamp_ns)),
	}
}

// streamInfoCall runs an async call that yields a stream info.
func (c *Client) streamInfoCall(ctx context.Context, start func(p *C.jb_client, h C.uintptr_t) C.jb_result) (*StreamInfo, error) {
	var out *StreamInfo
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, nil)
		if err == nil {
			out = r.value.(*StreamInfo)
		}
		return err
	})
	return out, err
}

// CreateStream creates a stream. The same configuration again returns its
// info; a different one is ErrAlreadyExists.
func (c *Client) CreateStream(ctx context.Context, cfg StreamConfig) (*StreamInfo, error) {
	cc, err := streamConfigToC(&cfg)
	defer C.jb_stream_config_free(cc)
	if err != nil {
		return nil, err
	}
	return c.streamInfoCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_create_stream(p, cc, h)
	})
}

// UpdateStream replaces a stream's configuration (ErrNotFound if missing).
func (c *Client) UpdateStream(ctx context.Context, cfg StreamConfig) (*StreamInfo, error) {
	cc, err := streamConfigToC(&cfg)
	defer C.jb_stream_config_free(cc)
	if err != nil {
		return nil, err
	}
	return c.streamInfoCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_update_stream(p, cc, h)
	})
}

// StreamInfo returns a stream's configuration and state.
func (c *Client) StreamInfo(ctx context.Context, name string) (*StreamInfo, error) {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "stream name")
	if err != nil {
		return nil, err
	}
	return c.streamInfoCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_stream_info(p, cname, h)
	})
}

// ListStreams returns every stream of the account, in the server's order
// (by name), reading every page the server returns. A non-empty subject
// keeps only the streams whose subjects overlap it (wildcards allowed; an
// invalid subject is ErrInvalidArgument); "" lists them all.
func (c *Client) ListStreams(ctx context.Context, subject string) ([]StreamInfo, error) {
	var cs cstrings
	defer cs.free()
	csubject, err := cs.opt(subject, "subject")
	if err != nil {
		return nil, err
	}
	var out []StreamInfo
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_list_streams(p, csubject, h) }, nil)
		if err == nil {
			out = r.value.([]StreamInfo)
		}
		return err
	})
	return out, err
}

// DeleteStream deletes a stream with its messages and consumers.
func (c *Client) DeleteStream(ctx context.Context, name string) error {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "stream name")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_delete_stream(p, cname, h) }, nil)
		return err
	})
}

// PurgeStream removes messages and returns how many (PurgeOptions,
// types_gen.go: the zero value removes all).
func (c *Client) PurgeStream(ctx context.Context, name string, opts PurgeOptions) (uint64, error) {
	var cs cstrings
	defer cs.free()
	cname, err := cs.add(name, "stream name")
	if err != nil {
		return 0, err
	}
	po, err := recordToC(opts, func(js *C.char, out **C.jb_purge_options) C.jb_result {
		return C.jb_purge_options_from_json(js, out)
	})
	if err != nil {
		return 0, err
	}
	defer C.jb_purge_options_free(po)
	var n uint64
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_purge_stream(p, cname, po, h) }, nil)
		if err == nil {
			n = r.value.(uint64)
		}
		return err
	})
	return n, err
}

// GetMessage reads a stored message by sequence (ErrNotFound if absent).
func (c *Client) GetMessage(ctx context.Context, stream string, seq uint64) (*StoredMessage, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	return c.storedCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_get_message(p, cstream, C.uint64_t(seq), h)
	})
}

// GetLastMessage reads the newest stored message on subject.
func (c *Client) GetLastMessage(ctx context.Context, stream, subject string) (*StoredMessage, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return nil, err
	}
	return c.storedCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_get_last_message(p, cstream, csubject, h)
	})
}

// GetNextMessage reads the first stored message at or after fromSeq whose
// subject matches subject (wildcards allowed); ErrNotFound if none, fromSeq
// 0 is ErrInvalidArgument.
func (c *Client) GetNextMessage(ctx context.Context, stream, subject string, fromSeq uint64) (*StoredMessage, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return nil, err
	}
	return c.storedCall(ctx, func(p *C.jb_client, h C.uintptr_t) C.jb_result {
		return C.go_get_next_message(p, cstream, csubject, C.uint64_t(fromSeq), h)
	})
}

// GetMessages reads a batch of stored messages in stream order
// (GetMessagesOptions, types_gen.go: the zero value reads up to the core's
// default count from the first message, on every subject). It needs server
// 2.11+ (ErrServerTooOld before) and a stream with AllowDirect
// (ErrInvalidArgument otherwise). Nothing after the start is an empty slice.
func (c *Client) GetMessages(ctx context.Context, stream string, opts GetMessagesOptions) ([]*StoredMessage, error) {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return nil, err
	}
	o, err := recordToC(opts, func(js *C.char, out **C.jb_get_messages_options) C.jb_result {
		return C.jb_get_messages_options_from_json(js, out)
	})
	if err != nil {
		return nil, err
	}
	defer C.jb_get_messages_options_free(o)
	var out []*StoredMessage
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_get_messages(p, cstream, o, h) }, nil)
		if err == nil {
			out = r.value.([]*StoredMessage)
		}
		return err
	})
	return out, err
}

// DeleteMessage deletes the message at seq from stream. With erase, its
// bytes are overwritten on disk too (secure erase; slower). seq 0 is
// ErrInvalidArgument; a sequence that holds no message, or a missing
// stream, ErrNotFound; a stream with DenyDelete refuses with ErrServer.
func (c *Client) DeleteMessage(ctx context.Context, stream string, seq uint64, erase bool) error {
	var cs cstrings
	defer cs.free()
	cstream, err := cs.add(stream, "stream name")
	if err != nil {
		return err
	}
	return c.with(func(p *C.jb_client) error {
		_, err := await(ctx, func(h C.uintptr_t) C.jb_result {
			return C.go_delete_message(p, cstream, C.uint64_t(seq), C.bool(erase), h)
		}, nil)
		return err
	})
}

// AccountInfo returns the account's JetStream usage and limits (the
// generated AccountInfo; a limit of -1 is unlimited).
func (c *Client) AccountInfo(ctx context.Context) (*AccountInfo, error) {
	var out *AccountInfo
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_account_info(p, h) }, nil)
		if err == nil {
			out = r.value.(*AccountInfo)
		}
		return err
	})
	return out, err
}

func (c *Client) storedCall(ctx context.Context, start func(p *C.jb_client, h C.uintptr_t) C.jb_result) (*StoredMessage, error) {
	var out *StoredMessage
	err := c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return start(p, h) }, nil)
		if err == nil {
			out = r.value.(*StoredMessage)
		}
		return err
	})
	return out, err
}

// StreamBySubject returns the name of the stream that captures subject.
func (c *Client) StreamBySubject(ctx context.Context, subject string) (string, error) {
	var cs cstrings
	defer cs.free()
	csubject, err := cs.add(subject, "subject")
	if err != nil {
		return "", err
	}
	var name string
	err = c.with(func(p *C.jb_client) error {
		r, err := await(ctx, func(h C.uintptr_t) C.jb_result { return C.go_stream_by_subject(p, csubject, h) }, nil)
		if err == nil {
			name = r.value.(string)
		}
		return err
	})
	return name, err
}
