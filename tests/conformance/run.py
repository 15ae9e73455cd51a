#!/usr/bin/env python3
"""The conformance driver: every scenario through every runner, against real servers.

For each (scenario, runner) it starts a fresh nats-server with the project's harness
(tests/harness/python/jb_harness.py), runs the runner with the scenario path as its only
argument and the server's address in JB_URL (plus JB_TOKEN / JB_WRONG_TOKEN for token
servers), and reads the transcript from its stdout. Then it checks:

1. the runner exited 0 within the time limit, and printed one canonical JSON line per
   step, with the right step number and op;
2. every step met its expectation (`expect`: subset match of the result; `expect_error`:
   that error kind);
3. all runners printed identical transcripts, byte for byte.

It writes out/matrix.md (scenario x language) and, with --readme, the same table into
the README between the conformance markers. Exit status: 0 when everything passed,
1 on any failure (a MISSING runner, or a step a runner reports UNSUPPORTED, included),
2 on bad usage or a malformed scenario.

Standard library only; Python 3.9+. See SPEC.md for the formats and README.md for use.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import os
import shutil
import signal
import subprocess
import tempfile
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCENARIOS = HERE / "scenarios"
OUT = HERE / "out"
REGISTRY = HERE / "runners.json"
README = REPO / "README.md"
START_MARK = "<!-- conformance:start -->"
END_MARK = "<!-- conformance:end -->"

sys.path.insert(0, str(REPO / "tests" / "harness" / "python"))
from jb_harness import Harness, HarnessError  # noqa: E402

import server_state  # noqa: E402  (beside this file)

sys.path.insert(0, str(HERE))
import materials  # noqa: E402
import relay  # noqa: E402

#: Matrix columns, in order; registry entries with other names are appended.
LANGUAGES = ["rust", "python", "node", "c", "go"]
DEFAULT_TIMEOUT_S = 60
STEP_KEYS = {"op", "args", "expect", "expect_error", "expect_api_code", "show_text", "catch", "note"}
SCENARIO_KEYS = ({"name", "description", "server", "timeout_s", "steps", "secrets", "min_server",
                  "before_server", "relay"}
                 | server_state.KEYS)
SERVER_KEYS = {"auth", "server_cert", "max_payload"}
AUTH_MODES = {"none", "token", "user", "nkey", "jwt", "tls", "mtls", "tls-first", "callout"}
SERVER_CERTS = {"valid", "localhost-only", "expired"}
#: Secrets shorter than this are not searched for (too likely to match by chance).
MIN_SECRET_LEN = 8


class UsageError(Exception):
    """Bad command line, registry or scenario file (exit 2)."""


# ---------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    name: str
    path: Path
    description: str
    server: Dict[str, Any]
    timeout_s: float
    steps: List[Dict[str, Any]]
    secrets: List[str] = field(default_factory=list)
    #: raw_streams / unchanged_after (server_state.py), done by the driver itself.
    server_side: Dict[str, Any] = field(default_factory=dict)
    #: The oldest nats-server version the scenario's features exist in (``min_server``).
    min_server: Optional[Tuple[int, ...]] = None
    #: The scenario is for servers older than this (``before_server``): what an
    #: older server gives for a newer feature.
    before_server: Optional[Tuple[int, ...]] = None
    #: The steps are parts played by the languages in turn on one server (relay.py).
    relay: bool = False


def load_scenario(path: Path) -> Scenario:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsageError(f"{path.name}: not readable JSON: {e}") from None
    where = path.name
    if not isinstance(doc, dict):
        raise UsageError(f"{where}: must be a JSON object")
    unknown = set(doc) - SCENARIO_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown keys {sorted(unknown)}")
    if doc.get("name") != path.stem:
        raise UsageError(f"{where}: \"name\" must be {path.stem!r}")
    if not isinstance(doc.get("description"), str) or not doc["description"]:
        raise UsageError(f"{where}: \"description\" is required")
    server = doc.get("server", {})
    if not isinstance(server, dict) or set(server) - SERVER_KEYS:
        raise UsageError(f"{where}: \"server\" may only hold {sorted(SERVER_KEYS)}")
    if server.get("auth", "none") not in AUTH_MODES:
        raise UsageError(f"{where}: server.auth must be one of {sorted(AUTH_MODES)}")
    if server.get("server_cert", "valid") not in SERVER_CERTS:
        raise UsageError(f"{where}: server.server_cert must be one of {sorted(SERVER_CERTS)}")
    if "server_cert" in server and server.get("auth") not in ("tls", "mtls", "tls-first"):
        raise UsageError(f"{where}: server.server_cert needs a TLS auth mode")
    if "max_payload" in server and not isinstance(server["max_payload"], int):
        raise UsageError(f"{where}: server.max_payload must be an integer")
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        raise UsageError(f"{where}: \"steps\" must be a non-empty list")
    for i, step in enumerate(steps, 1):
        if not isinstance(step, dict) or not isinstance(step.get("op"), str):
            raise UsageError(f"{where}: step {i} needs an \"op\"")
        if set(step) - STEP_KEYS:
            raise UsageError(f"{where}: step {i} has unknown keys {sorted(set(step) - STEP_KEYS)}")
        if "args" in step and not isinstance(step["args"], dict):
            raise UsageError(f"{where}: step {i} \"args\" must be an object")
        if "expect" in step and "expect_error" in step:
            raise UsageError(f"{where}: step {i} has both expect and expect_error")
        if "expect_error" in step and not isinstance(step["expect_error"], str):
            raise UsageError(f"{where}: step {i} expect_error must be an error kind name")
        if "expect_api_code" in step and (
                "expect_error" not in step or type(step["expect_api_code"]) is not int):
            raise UsageError(f"{where}: step {i} expect_api_code must be an integer, with expect_error")
        if "show_text" in step and step["show_text"] is not True:
            raise UsageError(f"{where}: step {i} show_text can only be true")
        if "catch" in step and (step["catch"] is not True or "expect_error" not in step):
            raise UsageError(f"{where}: step {i} catch can only be true, on a step with expect_error")
    if not isinstance(doc.get("relay", False), bool):
        raise UsageError(f"{where}: relay must be true or false")
    for i, step in enumerate(steps, 1):
        if step["op"] == relay.HANDOFF and (not doc.get("relay") or set(step) - {"op", "note"}):
            raise UsageError(f"{where}: step {i}: a handoff belongs to a relay and takes only a note")
    bad = server_state.validate(doc, where)
    if bad:
        raise UsageError(bad)
    timeout = doc.get("timeout_s", DEFAULT_TIMEOUT_S)
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise UsageError(f"{where}: timeout_s must be a positive number")
    secrets = doc.get("secrets", [])
    if not isinstance(secrets, list) or not all(
        isinstance(x, str) and len(x) >= MIN_SECRET_LEN for x in secrets
    ):
        raise UsageError(f"{where}: \"secrets\" must be a list of strings of {MIN_SECRET_LEN}+ characters")
    bounds = {}
    for key in ("min_server", "before_server"):
        version = doc.get(key)
        if version is None:
            continue
        if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+(\.\d+)?", version):
            raise UsageError(f"{where}: {key} must be a version such as \"2.11\"")
        if server.get("auth", "none") != "none":
            raise UsageError(f"{where}: {key} needs a server without auth")
        bounds[key] = tuple(int(x) for x in version.split("."))
    return Scenario(path.stem, path, doc["description"], server, float(timeout), steps, secrets,
                    {k: doc[k] for k in server_state.KEYS if k in doc}, **bounds,
                    relay=doc.get("relay", False))


def load_scenarios(names: List[str]) -> List[Scenario]:
    paths = sorted(SCENARIOS.glob("*.json"))
    if names:
        wanted = set(names)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            raise UsageError(f"no such scenario(s): {', '.join(sorted(missing))}")
    if not paths:
        raise UsageError(f"no scenarios in {SCENARIOS}")
    return [load_scenario(p) for p in paths]


# ---------------------------------------------------------------- runners


@dataclass
class Runner:
    name: str
    command: List[str]
    build: Optional[List[str]]
    missing: Optional[str] = None  # why the runner cannot run, if it cannot


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")


def expand(text: str) -> str:
    return (
        text.replace("{target}", str(target_dir()))
        .replace("{repo}", str(REPO))
        .replace("{conformance}", str(HERE))
        .replace("{python}", str(REPO / ".venv" / "bin" / "python"))
    )


def load_registry() -> Dict[str, Runner]:
    try:
        doc = json.loads(REGISTRY.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsageError(f"{REGISTRY}: {e}") from None
    runners = {}
    for name, entry in doc.items():
        if name.startswith("_"):
            continue  # comments
        if not isinstance(entry, dict) or not isinstance(entry.get("command"), list):
            raise UsageError(f"runners.json: {name} needs a \"command\" list")
        build = entry.get("build")
        runners[name] = Runner(
            name,
            [expand(str(a)) for a in entry["command"]],
            [expand(str(a)) for a in build] if build else None,
        )
    return runners


def check_present(r: Runner) -> None:
    exe = r.command[0]
    found = shutil.which(exe) if "/" not in exe else (exe if os.access(exe, os.X_OK) else None)
    if not found:
        r.missing = f"command not found: {exe}"


def build_runner(r: Runner) -> None:
    if not r.build:
        return
    print(f"building {r.name}: {' '.join(r.build)}", flush=True)
    proc = subprocess.run(r.build, cwd=REPO)
    if proc.returncode != 0:
        r.missing = f"build failed (exit {proc.returncode}): {' '.join(r.build)}"


# ---------------------------------------------------------------- one run


@dataclass
class Run:
    scenario: str
    runner: str
    lines: List[str] = field(default_factory=list)
    stderr: str = ""
    code: Optional[int] = None
    timed_out: bool = False
    problems: List[str] = field(default_factory=list)
    leaks: List[str] = field(default_factory=list)  # secret hygiene, SPEC.md §7
    server_side: List[str] = field(default_factory=list)  # unchanged_after (server_state.py)
    secret_values: List[str] = field(default_factory=list)  # masked in the driver's report
    seconds: float = 0.0
    #: Why the scenario does not apply to this server (older than its min_server), or None.
    not_applicable: Optional[str] = None


def harness_for(s: Scenario) -> Harness:
    return Harness(auth=s.server.get("auth", "none"), max_payload=s.server.get("max_payload"),
                   server_cert=s.server.get("server_cert"))


def not_applicable(s: Scenario, url: str) -> Optional[str]:
    """Why `s` does not apply to the server at `url` (its version is outside
    the scenario's min_server / before_server), or None when it applies."""
    if not (s.min_server or s.before_server):
        return None
    version = server_state.server_version(url)
    show = lambda v: ".".join(map(str, v))  # noqa: E731
    if s.min_server and version < s.min_server:
        return f"needs nats-server {show(s.min_server)}+, this one is {show(version)}"
    if s.before_server and version >= s.before_server:
        return f"for servers older than {show(s.before_server)}, this one is {show(version)}"
    return None


def run_once(s: Scenario, r: Runner, timeout: float, order: List[Runner]) -> Run:
    """One run of `s` led by `r`; a relay's parts go to the runners of `order`
    in rotation from `r`."""
    run = Run(s.name, r.name)
    started = time.monotonic()
    try:
        with harness_for(s) as h:
            run.not_applicable = not_applicable(s, h.urls[0])
            if run.not_applicable:
                return run
            made = server_state.prepare(h.urls[0], s.server_side)
            env = {k: v for k, v in os.environ.items() if k not in materials.ALL_VARS}
            env.update(materials.runner_env(h.info))
            if s.relay:
                out, err = run_relay(s, r, order, env, timeout, run)
            else:
                out, err = launch(r, s.path, env, timeout, run)
            secret_list = materials.secrets(h.info, MIN_SECRET_LEN)
            secret_list += [(f"scenario secret {i}", v) for i, v in enumerate(s.secrets, 1)]
            run.secret_values = [v for _, v in secret_list]
            for where, text in (("stdout", out), ("stderr", err)):
                for leak in materials.leaks(text, secret_list):
                    run.leaks.append(f"a secret leaked into the runner's {where}: {leak}")
            run.server_side = server_state.verify(h.urls[0], s.server_side, made)
    except HarnessError as e:
        run.problems.append(f"could not start the server: {e}")
    run.seconds = time.monotonic() - started
    return run


def launch(r: Runner, path: Path, env: Dict[str, str], timeout: float, run: Run) -> Tuple[str, str]:
    """Runs `r` on the scenario file `path`; its lines and exit status go to
    `run` (the first failing status is kept); returns stdout and stderr."""
    proc = subprocess.Popen(
        [*r.command, str(path)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        run.timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    if not run.code:
        run.code = proc.returncode
    run.lines += out.splitlines()
    run.stderr += err
    return out, err


def run_relay(s: Scenario, lead: Runner, order: List[Runner], env: Dict[str, str],
              timeout: float, run: Run) -> Tuple[str, str]:
    """Each part of relay `s` in its own runner process, in rotation from
    `lead`, on the server of `env`; lines renumbered into the scenario's."""
    outs, errs = [], []
    turns = relay.rotation(order, lead)
    with tempfile.TemporaryDirectory(prefix=f"jb-relay-{s.name}-") as tmp:
        for k, (first, steps) in enumerate(relay.parts(s.steps)):
            if k > 0:
                run.lines.append(relay.handoff_line(first - 1))
            r = turns[k % len(turns)]
            part = Path(tmp) / f"part{k + 1}.json"
            part.write_text(json.dumps({"name": s.name, "steps": steps}), encoding="utf-8")
            before = len(run.lines)
            out, err = launch(r, part, env, timeout, run)
            run.lines[before:] = relay.renumber(run.lines[before:], first)
            outs.append(out)
            errs.append(f"--- part {k + 1}: {r.name}\n{err}")
            if run.timed_out:
                break
    run.stderr = "".join(errs)
    return "".join(outs), run.stderr


# ---------------------------------------------------------------- checks


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def subset(expected: Any, actual: Any, path: str) -> List[str]:
    """Where `actual` fails to contain `expected` (SPEC.md, "Expectations")."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {canonical(actual)}"]
        out = []
        for k, v in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: missing")
            else:
                out += subset(v, actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {canonical(actual)}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, got {len(actual)}: {canonical(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += subset(e, a, f"{path}[{i}]")
        return out
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: expected {canonical(expected)}, got {canonical(actual)}"]
    return []


def check(s: Scenario, run: Run) -> None:
    """Fills run.problems: exit status, line format, step numbering, expectations."""
    if run.problems or run.not_applicable:
        return
    run.problems += run.leaks + run.server_side
    if run.timed_out:
        run.problems.append(f"timed out after {s.timeout_s:.0f}s (killed)")
    elif run.code != 0:
        run.problems.append(f"exited with code {run.code}")
    for i, step in enumerate(s.steps, 1):
        where = f"step {i} ({step['op']})"
        if i > len(run.lines):
            run.problems.append(f"{where}: no transcript line")
            break
        line = run.lines[i - 1]
        try:
            obj = json.loads(line)
        except ValueError:
            run.problems.append(f"{where}: not JSON: {line[:200]}")
            continue
        if canonical(obj) != line:
            run.problems.append(f"{where}: not canonical JSON (SPEC.md): {line[:200]}")
        if not isinstance(obj, dict) or obj.get("step") != i or obj.get("op") != step["op"]:
            run.problems.append(f"{where}: wrong step/op in {line[:200]}")
            continue
        if set(obj) != {"step", "op", "ok"} and not (
                {"step", "op", "error"} <= set(obj) <= {"step", "op", "error", "api_code", "text", "caught_as"}):
            run.problems.append(f"{where}: needs exactly one of ok / error: {line[:200]}")
            continue
        if "error" in obj and ("text" in obj) != bool(step.get("show_text")):
            run.problems.append(f"{where}: an error line has \"text\" exactly when the step has show_text")
        if "error" in obj and ("caught_as" in obj) != bool(step.get("catch")):
            run.problems.append(f"{where}: an error line has \"caught_as\" exactly when the step has catch")
        elif "caught_as" in obj and obj["caught_as"] != obj["error"]:
            run.problems.append(
                f"{where}: the language's way of catching errors sees {obj['caught_as']}, not {obj['error']}")
        if "text" in obj and not str(obj["text"]).startswith(f"{obj['error']}: "):
            run.problems.append(f"{where}: the error text must start with \"{obj['error']}: \"")
        if "expect_api_code" in step and obj.get("api_code") != step["expect_api_code"]:
            run.problems.append(
                f"{where}: expected api_code {step['expect_api_code']}, got {obj.get('api_code')}")
        if "expect_error" in step:
            if obj.get("error") != step["expect_error"]:
                got = obj["error"] if "error" in obj else "success"
                run.problems.append(f"{where}: expected error {step['expect_error']}, got {got}")
        elif "error" in obj:
            run.problems.append(f"{where}: unexpected error {obj['error']}")
        else:
            for p in subset(step.get("expect", {}), obj["ok"], "ok"):
                run.problems.append(f"{where}: {p}")
    if len(run.lines) > len(s.steps):
        run.problems.append(f"{len(run.lines) - len(s.steps)} extra line(s) after the last step")


def compare(s: Scenario, runs: List[Run]) -> None:
    """Marks every run whose transcript differs from the majority's."""
    runs = [r for r in runs if not r.not_applicable]
    if len(runs) < 2:
        return
    # The reference is the majority transcript; on a tie, the first runner's (registry order).
    counts = Counter(tuple(r.lines) for r in runs)
    top = max(counts.values())
    reference = next(r for r in runs if counts[tuple(r.lines)] == top)
    for r in runs:
        if r.lines == reference.lines:
            continue
        every_secret = [v for x in runs for v in x.secret_values]
        n = max(len(r.lines), len(reference.lines))
        for i in range(n):
            a = reference.lines[i] if i < len(reference.lines) else "<no line>"
            b = r.lines[i] if i < len(r.lines) else "<no line>"
            if a != b:
                op = s.steps[i]["op"] if i < len(s.steps) else "?"
                r.problems.append(
                    f"transcript differs from {reference.runner} at step {i + 1} ({op}):\n"
                    f"        {reference.runner}: {mask(a, every_secret)}\n"
                    f"        {r.runner}: {mask(b, every_secret)}"
                )
                break


# ---------------------------------------------------------------- output


def save(run: Run, tag: str = "") -> None:
    d = OUT / "transcripts" / run.runner
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{run.scenario}{tag}.jsonl").write_text("".join(line + "\n" for line in run.lines))
    (d / f"{run.scenario}{tag}.stderr").write_text(run.stderr)


def mask(text: str, secret_values: List[str]) -> str:
    """``text`` with every secret replaced, so that the report never shows one."""
    for v in sorted(secret_values, key=len, reverse=True):
        text = text.replace(v, "[SECRET]")
    return text


def matrix(scenarios: List[Scenario], columns: List[str], results: Dict[Tuple[str, str], Run],
           missing: Dict[str, str]) -> str:
    lines = [
        "| Scenario | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for s in scenarios:
        cells = []
        for c in columns:
            run = results.get((s.name, c))
            cells.append("—" if run is None else cell(run))
        lines.append(f"| `{s.name}` | " + " | ".join(cells) + " |")
    totals = []
    for c in columns:
        runs = [results[(s.name, c)] for s in scenarios if (s.name, c) in results]
        if runs:
            passed = sum(1 for r in runs if not r.problems and not r.not_applicable)
            na = sum(1 for r in runs if r.not_applicable)
            totals.append(f"{c} {passed}/{len(scenarios)}" + (f" ({na} n/a)" if na else ""))
        else:
            totals.append(f"{c} not run" + (f" ({missing[c]})" if c in missing else ""))
    commit = git_commit()
    head = (
        f"Generated by `tests/conformance/run.py` from its last run"
        f"{f' (commit {commit})' if commit else ''}: {len(scenarios)} scenarios; "
        + "; ".join(totals)
        + ". ✓ passed and agreed with the other languages, ✗ failed, — not run,"
        " n/a: the server is outside the scenario's `min_server`/`before_server`."
    )
    return head + "\n\n" + "\n".join(lines) + "\n"


def cell(run: Run) -> str:
    return "✗" if run.problems else "n/a" if run.not_applicable else "✓"


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


def update_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < 0 or end < start:
        raise UsageError(f"{README} has no {START_MARK} … {END_MARK} section")
    new = text[: start + len(START_MARK)] + "\n" + table + text[end:]
    README.write_text(new, encoding="utf-8")
    print(f"updated the conformance section of {README}")


# ---------------------------------------------------------------- main


def parse_args(argv: List[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runners", "--only", dest="runners", default="",
                   help="comma-separated runner names (default: every runner in runners.json)")
    p.add_argument("--scenario", action="append", default=[],
                   help="run only this scenario (repeatable; default: all)")
    p.add_argument("--jobs", type=int, default=2, help="runs in parallel (default 2)")
    p.add_argument("--timeout", type=float, default=None,
                   help="per-run time limit in seconds (default: the scenario's timeout_s, else 60)")
    p.add_argument("--repeat", type=int, default=1,
                   help="run each (scenario, runner) N times; the N transcripts must agree")
    p.add_argument("--no-build", action="store_true", help="skip the registry's build commands")
    p.add_argument("--readme", action="store_true",
                   help="also write the matrix into the README's conformance section")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return p.parse_args(argv)


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    scenarios = load_scenarios(args.scenario)
    if args.list:
        for s in scenarios:
            print(f"{s.name}: {s.description}")
        return 0
    registry = load_registry()
    names = [n.strip() for n in args.runners.split(",") if n.strip()] or list(registry)
    selected: List[Runner] = []
    missing: Dict[str, str] = {}
    for n in names:
        r = registry.get(n) or Runner(n, [n], None, missing="not in runners.json")
        if not r.missing and r.build and not args.no_build:
            build_runner(r)
        if not r.missing:
            check_present(r)
        if r.missing:
            missing[n] = r.missing
            print(f"MISSING runner {n}: {r.missing}", flush=True)
        else:
            selected.append(r)
    harness_bin = target_dir() / "release" / "jb-harness"
    if "JB_HARNESS_BIN" not in os.environ and harness_bin.exists():
        os.environ["JB_HARNESS_BIN"] = str(harness_bin)

    for r in selected:
        stale = OUT / "transcripts" / r.name
        if stale.is_dir():
            shutil.rmtree(stale)
    started = time.monotonic()
    results: Dict[Tuple[str, str], Run] = {}
    lock = threading.Lock()
    tasks = [(s, r) for s in scenarios for r in selected]

    def work(s: Scenario, r: Runner) -> Run:
        timeout = args.timeout or s.timeout_s
        runs = []
        for k in range(max(1, args.repeat)):
            run = run_once(s, r, timeout, selected)
            check(s, run)
            save(run, "" if k == 0 else f".{k + 1}")
            runs.append(run)
        first = runs[0]
        for k, other in enumerate(runs[1:], 2):
            if other.lines != first.lines:
                first.problems.append(f"unstable: repeat {k} printed a different transcript")
            first.problems += [f"repeat {k}: {p}" for p in other.problems]
            first.secret_values += other.secret_values
        with lock:
            mark = "FAIL" if first.problems else "n/a " if first.not_applicable else "ok  "
            print(f"{mark} {r.name:<7} {s.name:<40} {first.seconds:5.1f}s", flush=True)
        return first

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(work, s, r): (s, r) for s, r in tasks}
        for f in concurrent.futures.as_completed(futures):
            s, r = futures[f]
            results[(s.name, r.name)] = f.result()

    for s in scenarios:
        compare(s, [results[(s.name, r.name)] for r in selected])

    failures = 0
    for s in scenarios:
        for r in selected:
            run = results[(s.name, r.name)]
            if run.problems:
                failures += 1
                print(f"\n✗ scenario {s.name}, runner {r.name}:")
                for p in run.problems:
                    print(f"    {mask(p, run.secret_values)}")
                print(f"    (transcript and stderr: {OUT / 'transcripts' / r.name / s.name}.*)")

    columns = LANGUAGES + [n for n in registry if n not in LANGUAGES]
    columns += [n for n in names if n not in columns]
    table = matrix(scenarios, columns, results, missing)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "matrix.md").write_text("# Conformance matrix\n\n" + table, encoding="utf-8")
    if args.readme:
        update_readme(table)

    elapsed = time.monotonic() - started
    per_runner = ", ".join(
        f"{r.name} {sum(results[(s.name, r.name)].seconds for s in scenarios):.0f}s" for r in selected
    )
    print(f"\n{len(scenarios)} scenarios x {len(selected)} runner(s) in {elapsed:.0f}s "
          f"(run time per runner: {per_runner or 'none'}); {failures} failed run(s); "
          f"matrix: {OUT / 'matrix.md'}")
    if missing:
        print(f"MISSING runner(s): {', '.join(f'{k} ({v})' for k, v in missing.items())}")
    return 1 if failures or missing else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as e:
        print(f"run.py: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
