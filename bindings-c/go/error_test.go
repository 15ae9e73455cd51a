package jetbridge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestCodesMatchTheCore(t *testing.T) {
	want := map[Code]string{
		CodeInvalidArgument: "INVALID_ARGUMENT", CodeNullParameter: "NULL_PARAMETER",
		CodeInvalidHandle: "INVALID_HANDLE", CodeTimeout: "TIMEOUT", CodeNotFound: "NOT_FOUND",
		CodeWrongLastSequence: "WRONG_LAST_SEQUENCE", CodePublishOutcomeUnknown: "PUBLISH_OUTCOME_UNKNOWN",
		CodeAlreadyAcked: "ALREADY_ACKED", CodeClosed: "CLOSED", CodePanic: "PANIC", CodeInternal: "INTERNAL",
		CodeServerTooOld: "SERVER_TOO_OLD",
	}
	for code, name := range want {
		if code.Name() != name {
			t.Errorf("%d: %s, want %s", code, code.Name(), name)
		}
	}
	if CodeTimeout != 7 || CodeInternal != 25 || CodeServerTooOld != 26 {
		t.Fatal("numbers moved")
	}
	// SERVER_TOO_OLD is the core's last kind: the next number is unknown.
	if (CodeServerTooOld + 1).Name() != "UNKNOWN" {
		t.Fatal("a kind after SERVER_TOO_OLD")
	}
	if CodeServerTooOld.Retryable() || !errors.Is(&Error{Code: CodeServerTooOld, Message: "SERVER_TOO_OLD: x"}, ErrServerTooOld) {
		t.Fatal("SERVER_TOO_OLD")
	}
	if !CodeTimeout.Retryable() || CodeInvalidArgument.Retryable() {
		t.Fatal("retryable")
	}
	err := fmt.Errorf("wrapped: %w", &Error{Code: CodeTimeout, Message: "TIMEOUT: x"})
	if !errors.Is(err, ErrTimeout) || errors.Is(err, ErrNotFound) {
		t.Fatal("errors.Is through wrapping")
	}
	if Version() == "" {
		t.Fatal("version")
	}
}

func TestBadInput(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	freshStream(t, c, "GOBAD", "gobad.>")
	bad := []PublishMessage{
		{Subject: "gobad.\xff", Data: []byte("x")},                                          // bad UTF-8
		{Subject: "gobad.o\x00ne", Data: []byte("x")},                                       // embedded NUL
		{Subject: "gobad.x", Data: []byte("x"), MsgID: new("id\x00")},                       // NUL in msg id
		{Subject: "gobad.x", Data: []byte("x"), MsgID: new("id\n")},                         // LF in msg id
		{Subject: "gobad.x", Data: []byte("x"), Headers: []HeaderField{{"X", "a\r\nB: c"}}}, // CR/LF
		{Subject: "gobad.x", Data: []byte("x"), Headers: []HeaderField{{"X\xff", "v"}}},
		{Subject: "", Data: []byte("x")},
		{Subject: "gobad two", Data: []byte("x")},
		{Subject: "gobad..x", Data: []byte("x")},
		{Subject: "gobad.*", Data: []byte("x")},
		{Subject: "gobad.x"}, // empty payload
	}
	for i, m := range bad {
		if _, err := c.PublishMsg(ctx, m); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("case %d (%q): %v", i, m.Subject, err)
		}
	}
	max, err := c.MaxPayload()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx, "gobad.x", make([]byte, max+1)); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "max_payload") {
		t.Fatalf("oversized: %v", err)
	}
	// NUL in a name never reaches C as a truncated string.
	if _, err := c.StreamInfo(ctx, "GO\x00BAD"); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("NUL in stream name: %v", err)
	}
	if _, err := c.StreamInfo(ctx, "GO.BAD"); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("dot in stream name: %v", err)
	}
	if _, err := c.CreateConsumer(ctx, "GOBAD", ConsumerConfig{DurableName: new("has space")}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad durable: %v", err)
	}
	if _, err := c.CreateConsumer(ctx, "GOBAD", ConsumerConfig{AckPolicy: "sometimes"}); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "ack_policy") {
		t.Fatalf("bad ack policy: %v", err)
	}
	if _, err := Connect(ctx, Options{Token: "a", User: "u", Password: "p"}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("two auth modes: %v", err)
	}
	if _, err := Connect(ctx, Options{Servers: []string{"nats://bad host:1"}}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad url: %v", err)
	}
	if s := fmt.Sprintf("%v %+v %#v", Options{Token: "s3cret"}, Options{Password: "s3cret"}, Options{NKeySeed: "s3cret"}); strings.Contains(s, "s3cret") {
		t.Fatalf("secret printed: %s", s)
	}
}

func TestClosedClient(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx, "x.y", []byte("z")); !errors.Is(err, ErrClosed) {
		t.Fatalf("publish after close: %v", err)
	}
	if _, err := c.NewPublisher(PublisherOptions{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("publisher after close: %v", err)
	}
}

func TestTimeoutAndConnectionErrors(t *testing.T) {
	// A listener that accepts and never speaks: the connect times out.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	none := 0
	ctx := testCtx(t)
	_, err = Connect(ctx, Options{Servers: []string{"nats://" + l.Addr().String()}, ConnectTimeout: new(300 * time.Millisecond), MaxReconnects: &none})
	if !errors.Is(err, ErrTimeout) && !errors.Is(err, ErrConnection) {
		t.Fatalf("silent server: %v", err)
	}
	if !err.(*Error).Retryable() {
		t.Fatalf("%v should be retryable", err)
	}
	_, err = Connect(ctx, Options{Servers: []string{"nats://127.0.0.1:1"}, ConnectTimeout: new(time.Second), MaxReconnects: &none})
	if !errors.Is(err, ErrConnection) && !errors.Is(err, ErrTimeout) {
		t.Fatalf("refused: %v", err)
	}
	// The caller's context bounds a connect too.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = Connect(short, Options{Servers: []string{"nats://" + l.Addr().String()}, ConnectTimeout: new(5 * time.Second)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("context deadline: %v", err)
	}
}

func TestAuthModes(t *testing.T) {
	ctx := testCtx(t)
	none := 0
	try := func(o Options) error {
		o.MaxReconnects = &none
		o.ConnectTimeout = new(3 * time.Second)
		c, err := Connect(ctx, o)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.StreamInfo(ctx, "NOPE")
		if !errors.Is(err, ErrNotFound) { // JetStream answers
			return err
		}
		return nil
	}
	ok := func(name string, o Options) {
		if err := try(o); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	fails := func(name string, o Options, want error) {
		if err := try(o); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
	ok("token", Options{Servers: []string{env(t, "JB_TOKEN_URL")}, Token: env(t, "JB_TOKEN")})
	fails("wrong token", Options{Servers: []string{env(t, "JB_TOKEN_URL")}, Token: env(t, "JB_WRONG_TOKEN")}, ErrAuth)
	ok("user", Options{Servers: []string{env(t, "JB_USER_URL")}, User: env(t, "JB_USER"), Password: env(t, "JB_PASSWORD")})
	fails("wrong password", Options{Servers: []string{env(t, "JB_USER_URL")}, User: env(t, "JB_USER"), Password: "nope"}, ErrAuth)
	ok("nkey", Options{Servers: []string{env(t, "JB_NKEY_URL")}, NKeySeed: env(t, "JB_NKEY_SEED")})
	fails("other nkey", Options{Servers: []string{env(t, "JB_NKEY_URL")}, NKeySeed: env(t, "JB_NKEY_OTHER_SEED")}, ErrAuth)
	ok("jwt", Options{Servers: []string{env(t, "JB_JWT_URL")}, JWT: env(t, "JB_JWT"), JWTSeed: env(t, "JB_JWT_SEED")})
	ok("creds", Options{Servers: []string{env(t, "JB_JWT_URL")}, CredsFile: env(t, "JB_CREDS")})
	ok("tls", Options{Servers: []string{env(t, "JB_TLS_URL")}, TLSCAFile: env(t, "JB_TLS_CA")})
	fails("unknown ca", Options{Servers: []string{env(t, "JB_TLS_URL")}, TLSCAFile: env(t, "JB_TLS_OTHER_CA")}, ErrTLS)
	ok("mtls", Options{Servers: []string{env(t, "JB_MTLS_URL")}, TLSCAFile: env(t, "JB_MTLS_CA"), TLSClientCert: env(t, "JB_MTLS_CERT"), TLSClientKey: env(t, "JB_MTLS_KEY")})
}

func TestAPICodeAndTextFromTheCore(t *testing.T) {
	c := connect(t)
	ctx := testCtx(t)
	_, err := c.StreamInfo(ctx, "NOPE") // an async call: the code comes through the callback
	var e *Error
	if !errors.As(err, &e) || e.APICode != 10059 || !strings.HasPrefix(err.Error(), "NOT_FOUND: ") {
		t.Fatalf("stream info of a missing stream: %v (%#v)", err, err)
	}
	_ = c.Close()
	if _, err := c.StreamInfo(ctx, "NOPE"); err == nil || err.Error() != "CLOSED: client is closed" {
		t.Fatalf("after close: %v", err)
	}
}
