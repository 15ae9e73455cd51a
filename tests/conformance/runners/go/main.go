// Command jb-conformance-go runs one conformance scenario through the public
// API of the Go binding (bindings-c/go, package jetbridge) and prints its
// transcript, one canonical JSON line per step (tests/conformance/SPEC.md).
//
//	jb-conformance-go SCENARIO.json
//
// Exit code 0 when every step was executed (whatever its outcome), 2 when the
// scenario cannot be read. Diagnostics go to stderr: each step's op, for
// every error its message and %#v, and the core's logs at debug (secret
// hygiene, SPEC.md §7).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// step is the op and args of one step; expectations are the driver's business.
type step struct {
	op       string
	args     map[string]any
	showText bool // print the error's text (SPEC.md §2)
	catch    bool // print the kind errors.Is catches (SPEC.md §2)
}

// load reads the steps of a scenario file.
func load(path string) ([]step, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc struct {
		Steps []map[string]any `json:"steps"`
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Steps == nil {
		return nil, fmt.Errorf(`%s: "steps" must be a list`, path)
	}
	steps := make([]step, len(doc.Steps))
	for i, s := range doc.Steps {
		op, ok := s["op"].(string)
		if !ok {
			return nil, fmt.Errorf(`%s: step %d has no "op"`, path, i+1)
		}
		a := map[string]any{}
		if v, present := s["args"]; present && v != nil {
			if a, ok = v.(map[string]any); !ok {
				return nil, fmt.Errorf(`%s: step %d "args" must be an object`, path, i+1)
			}
		}
		show, _ := s["show_text"].(bool)
		catch, _ := s["catch"].(bool)
		steps[i] = step{op: op, args: a, showText: show, catch: catch}
	}
	return steps, nil
}

// emit writes one transcript line to stdout at once (unbuffered).
func emit(text string) {
	if _, err := os.Stdout.WriteString(text + "\n"); err != nil {
		os.Exit(3)
	}
}

func main() {
	if len(os.Args) != 2 {
		logf("usage: jb-conformance-go SCENARIO.json")
		os.Exit(2)
	}
	steps, err := load(os.Args[1])
	if err != nil {
		logf("jb-conformance-go: %v", err)
		os.Exit(2)
	}
	installLogs()
	st := newState()
	for i, s := range steps {
		n := i + 1
		logf("step %d %s", n, s.op)
		result, err := run(st, s.op, s.args)
		if err != nil {
			emit(errorLine(n, s.op, err, s.showText, s.catch))
		} else {
			emit(line(n, s.op, result))
		}
	}
	st.shutdown()
}
