"""examples/python/walkthrough.py prints exactly what the Rust walkthrough
prints, each run against a fresh server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parents[2]


def rust_walkthrough() -> Path:
    path = Path(os.environ.get("JB_RUST_WALKTHROUGH", REPO / "target" / "release" / "walkthrough"))
    if not path.is_file():
        pytest.fail(f"{path} is missing: cargo build --release -p jetbridge-examples")
    return path


def run(cmd: list, url: str) -> str:
    out = subprocess.run(cmd, env={**os.environ, "NATS_URL": url}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_python_walkthrough_prints_the_rust_lines(harness: Callable[..., Any]) -> None:
    rust = run([str(rust_walkthrough())], harness().urls[0])
    python = run([sys.executable, str(REPO / "examples" / "python" / "walkthrough.py")], harness().urls[0])
    assert python.splitlines() == rust.splitlines()
    assert len(rust.splitlines()) == 23
