package jetbridge

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// harness is a test's own nats-server from the project's harness CLI
// (JB_HARNESS_BIN), which it can restart; stopped after the test.
type harness struct {
	URLs  []string
	Token string // auth.token with mode "token"
	t     *testing.T
	in    interface{ Write([]byte) (int, error) }
	out   *bufio.Reader
}

// startHarness starts one server with auth mode ("none", "token").
func startHarness(t *testing.T, mode string) *harness {
	t.Helper()
	cmd := exec.Command(env(t, "JB_HARNESS_BIN"), "start", "--auth", mode)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = fmt.Fprintln(stdin, "stop")
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	h := &harness{t: t, in: stdin, out: bufio.NewReader(stdout)}
	line, err := h.out.ReadBytes('\n')
	if err != nil {
		t.Fatal(err)
	}
	var started struct {
		URLs []string `json:"urls"`
		Auth struct {
			Token string `json:"token"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(line, &started); err != nil || len(started.URLs) == 0 {
		t.Fatalf("harness start: %s (%v)", line, err)
	}
	h.URLs, h.Token = started.URLs, started.Auth.Token
	return h
}

// restart restarts server i on the same port and waits until it is back.
func (h *harness) restart(i int) {
	h.t.Helper()
	if _, err := fmt.Fprintf(h.in, "restart %d\n", i); err != nil {
		h.t.Fatal(err)
	}
	if line, err := h.out.ReadBytes('\n'); err != nil || !strings.Contains(string(line), `"ok":true`) {
		h.t.Fatalf("harness restart: %s (%v)", line, err)
	}
}
