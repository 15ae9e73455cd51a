#!/usr/bin/env python3
"""Tests of the driver itself (no server needed): expectation matching, transcript checks,
cross-runner comparison, the matrix, the README rewrite, and that every scenario loads."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import materials  # noqa: E402
import run  # noqa: E402

HERE = Path(__file__).resolve().parent


def scenario(steps):
    return run.Scenario("s", Path("s.json"), "d", {}, 60.0, steps)


def line(step, op, **kw):
    return run.canonical({"step": step, "op": op, **kw})


class SubsetTest(unittest.TestCase):
    def test_objects_lists_and_types(self):
        self.assertEqual(run.subset({"a": 1}, {"a": 1, "b": 2}, "ok"), [])
        self.assertEqual(run.subset({"a": {"b": [1, 2]}}, {"a": {"b": [1, 2], "c": 0}}, "ok"), [])
        self.assertTrue(run.subset({"a": 1}, {"b": 1}, "ok"))
        self.assertTrue(run.subset([1], [1, 2], "ok"), "lists must have the same length")
        self.assertTrue(run.subset(1, True, "ok"), "1 must not match true")
        self.assertTrue(run.subset(None, 0, "ok"))
        self.assertEqual(run.subset([{"seq": 1}], [{"seq": 1, "data": "x"}], "ok"), [])
        self.assertIn("ok.a[1].s", run.subset({"a": [{}, {"s": 2}]}, {"a": [{}, {"s": 3}]}, "ok")[0])


class CheckTest(unittest.TestCase):
    def check(self, steps, lines, code=0):
        r = run.Run("s", "rust", lines=lines, code=code)
        run.check(scenario(steps), r)
        return r.problems

    def test_passing_transcript(self):
        steps = [{"op": "connect"}, {"op": "publish", "expect": {"seq": 1}},
                 {"op": "publish", "expect_error": "INVALID_ARGUMENT"}]
        lines = [line(1, "connect", ok={}), line(2, "publish", ok={"seq": 1, "duplicate": False}),
                 line(3, "publish", error="INVALID_ARGUMENT")]
        self.assertEqual(self.check(steps, lines), [])

    def test_every_kind_of_failure_is_reported(self):
        steps = [{"op": "a", "expect": {"n": 1}}, {"op": "b", "expect_error": "NOT_FOUND"}, {"op": "c"}, {"op": "d"}]
        lines = [line(1, "a", ok={"n": 2}), line(2, "b", ok={}), line(3, "c", error="RUNNER")]
        problems = "\n".join(self.check(steps, lines, code=1))
        self.assertIn("exited with code 1", problems)
        self.assertIn("step 1 (a): ok.n: expected 1, got 2", problems)
        self.assertIn("step 2 (b): expected error NOT_FOUND, got success", problems)
        self.assertIn("step 3 (c): unexpected error RUNNER", problems)
        self.assertIn("step 4 (d): no transcript line", problems)

    def test_format_is_enforced(self):
        steps = [{"op": "a"}, {"op": "b"}, {"op": "c"}]
        lines = ['{"op": "a", "ok": {}, "step": 1}', line(3, "b", ok={}), line(3, "c", ok={}, error="X"), "extra"]
        problems = "\n".join(self.check(steps, lines))
        self.assertIn("step 1 (a): not canonical", problems)
        self.assertIn("step 2 (b): wrong step/op", problems)
        self.assertIn("step 3 (c): needs exactly one of ok / error", problems)
        self.assertIn("1 extra line(s)", problems)

    def test_canonical_matches_the_spec(self):
        self.assertEqual(run.canonical({"b": 1, "a": "é</>&\u007f\u0001😀\t"}),
                         '{"a":"\\u00e9</>&\\u007f\\u0001\\ud83d\\ude00\\t","b":1}')


class CompareTest(unittest.TestCase):
    def test_majority_wins_and_the_first_difference_is_named(self):
        s = scenario([{"op": "connect"}, {"op": "publish"}])
        same = [line(1, "connect", ok={}), line(2, "publish", ok={"seq": 1})]
        odd = [line(1, "connect", ok={}), line(2, "publish", error="CLOSED")]
        runs = [run.Run("s", "rust", lines=list(odd)), run.Run("s", "python", lines=list(same)),
                run.Run("s", "node", lines=list(same))]
        run.compare(s, runs)
        self.assertEqual(runs[1].problems, [])
        self.assertEqual(runs[2].problems, [])
        self.assertEqual(len(runs[0].problems), 1)
        self.assertIn("differs from python at step 2 (publish)", runs[0].problems[0])
        self.assertIn('"error":"CLOSED"', runs[0].problems[0])

    def test_a_missing_line_is_a_difference(self):
        s = scenario([{"op": "connect"}, {"op": "close"}])
        full = [line(1, "connect", ok={}), line(2, "close", ok={})]
        runs = [run.Run("s", "rust", lines=list(full)), run.Run("s", "go", lines=full[:1])]
        run.compare(s, runs)
        self.assertIn("<no line>", runs[1].problems[0])


class UnsupportedTest(unittest.TestCase):
    def test_a_step_the_runner_cannot_express_fails_the_run(self):
        steps = [{"op": "connect"}, {"op": "fetch", "expect_error": "INVALID_ARGUMENT"}]
        r = run.Run("s", "go", lines=[line(1, "connect", ok={}), line(2, "fetch", error="UNSUPPORTED")], code=0)
        run.check(scenario(steps), r)
        self.assertEqual(r.problems, ["step 2 (fetch): expected error INVALID_ARGUMENT, got UNSUPPORTED"])
        table = run.matrix([scenario(steps)], ["go"], {("s", "go"): r}, {})
        self.assertIn("| `s` | ✗ |", table)


class OutputTest(unittest.TestCase):
    def test_matrix_marks_pass_fail_and_not_run(self):
        s1, s2 = run.Scenario("one", Path("one.json"), "d", {}, 60, []), run.Scenario("two", Path("two.json"), "d", {}, 60, [])
        results = {("one", "rust"): run.Run("one", "rust"), ("two", "rust"): run.Run("two", "rust", problems=["x"])}
        table = run.matrix([s1, s2], ["rust", "python"], results, {"python": "command not found: x"})
        self.assertIn("| `one` | ✓ | — |", table)
        self.assertIn("| `two` | ✗ | — |", table)
        self.assertIn("rust 1/2", table)
        self.assertIn("python not run (command not found: x)", table)

    def test_a_scenario_for_a_newer_server_is_not_applicable_not_failed_nor_compared(self):
        steps = [{"op": "connect"}]
        s = scenario(steps)
        ran = run.Run("s", "rust", lines=[line(1, "connect", ok={})], code=0)
        skipped = run.Run("s", "go", not_applicable="needs nats-server 2.11+, this one is 2.10.25")
        for r in (ran, skipped):
            run.check(s, r)
        run.compare(s, [ran, skipped])
        self.assertEqual((ran.problems, skipped.problems), ([], []))
        table = run.matrix([s], ["rust", "go"], {("s", "rust"): ran, ("s", "go"): skipped}, {})
        self.assertIn("| `s` | ✓ | n/a |", table)
        self.assertIn("go 0/1 (1 n/a)", table)

    def test_readme_rewrite_touches_only_the_section(self):
        with tempfile.TemporaryDirectory() as d:
            readme = Path(d) / "README.md"
            readme.write_text(f"# T\nbefore\n{run.START_MARK}\nold table\n{run.END_MARK}\nafter\n")
            saved, run.README = run.README, readme
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    run.update_readme("NEW\n")
            finally:
                run.README = saved
            self.assertEqual(readme.read_text(), f"# T\nbefore\n{run.START_MARK}\nNEW\n{run.END_MARK}\nafter\n")
            readme.write_text("no markers\n")
            run.README = readme
            try:
                with self.assertRaises(run.UsageError):
                    run.update_readme("NEW\n")
            finally:
                run.README = saved
            self.assertEqual(readme.read_text(), "no markers\n")


class ScenarioFilesTest(unittest.TestCase):
    def test_every_scenario_loads_and_names_known_error_kinds(self):
        kinds = {"INVALID_ARGUMENT", "NULL_PARAMETER", "INVALID_HANDLE", "CONNECTION", "AUTH", "TLS", "TIMEOUT",
                 "NOT_FOUND", "ALREADY_EXISTS", "WRONG_LAST_SEQUENCE", "STREAM_MISMATCH", "PUBLISH_OUTCOME_UNKNOWN",
                 "NO_RESPONDERS", "JETSTREAM_UNAVAILABLE", "JETSTREAM_NOT_ENABLED", "HEARTBEAT_MISSED",
                 "CONFIG_MISMATCH", "ALREADY_ACKED", "LIMIT_EXCEEDED", "PERMISSION_DENIED", "CLOSED", "FORKED",
                 "SERVER", "PANIC", "INTERNAL", "SERVER_TOO_OLD"}
        scenarios = run.load_scenarios([])
        self.assertGreaterEqual(len(scenarios), 40)
        for s in scenarios:
            for i, step in enumerate(s.steps, 1):
                if "expect_error" in step:
                    self.assertIn(step["expect_error"], kinds, f"{s.name} step {i}")

    def test_malformed_scenarios_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            bad = Path(d) / "bad.json"
            for doc in [{"name": "other", "description": "d", "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "steps": []},
                        {"name": "bad", "description": "d", "steps": [{"op": "x", "expect": {}, "expect_error": "X"}]},
                        {"name": "bad", "description": "d", "steps": [{"op": "x", "typo": 1}]},
                        {"name": "bad", "description": "d", "server": {"auth": "kerberos"}, "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "server": {"auth": "tls", "server_cert": "self-signed"},
                         "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "server": {"server_cert": "expired"}, "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "secrets": ["short"], "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "min_server": "2.x", "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "min_server": "2.11", "server": {"auth": "token"},
                         "steps": [{"op": "x"}]},
                        {"name": "bad", "description": "d", "before_server": "latest", "steps": [{"op": "x"}]}]:
                bad.write_text(json.dumps(doc))
                with self.assertRaises(run.UsageError, msg=json.dumps(doc)):
                    run.load_scenario(bad)


class MaterialsTest(unittest.TestCase):
    """The environment contract and the secret hunt (SPEC.md §4.1 and §7)."""

    def test_env_and_secrets_per_mode(self):
        url = "nats://127.0.0.1:4222"
        token = {"urls": [url], "auth": {"mode": "token", "token": "t0k-secret-1", "wrong_secret": "wrong-secret-2"}}
        env = materials.runner_env(token)
        self.assertEqual(env["JB_TOKEN"], "t0k-secret-1")
        self.assertEqual(env["JB_CREDENTIALS_URL"], "nats://t0k-secret-1@127.0.0.1:4222")
        self.assertEqual(sorted(v for _, v in materials.secrets(token, 8)), ["t0k-secret-1", "wrong-secret-2"])
        user = {"urls": [url], "auth": {"mode": "user", "user": "app", "password": "pw-secret-1",
                                         "wrong_secret": "wrong-secret-2"}}
        self.assertEqual(materials.runner_env(user)["JB_WRONG_CREDENTIALS_URL"],
                         "nats://app:wrong-secret-2@127.0.0.1:4222")
        u = {"jwt": "eyJh.eyJc.SIGNATURE-1", "seed": "SUSEED0001", "creds": "/x/u.creds", "public": "UPUB"}
        jwt = {"urls": [url], "auth": {"mode": "jwt", "jwt": {
            "operator": "OPUB", **{k: dict(u) for k in materials.JWT_USERS}, "system_user": dict(u)}}}
        env = materials.runner_env(jwt)
        for var in ("JB_JWT", "JB_JWT_SEED", "JB_CREDS", "JB_JWT_NO_JS_SEED", "JB_CREDS_MISMATCHED"):
            self.assertIn(var, env)
        self.assertTrue(set(env) <= set(materials.ALL_VARS), set(env) - set(materials.ALL_VARS))
        labels = {label for label, _ in materials.secrets(jwt, 8)}
        self.assertIn("jwt.expired.seed", labels)
        self.assertIn("jwt.system_user.jwt signature", labels)
        self.assertNotIn("OPUB", {v for _, v in materials.secrets(jwt, 8)})

    def test_private_key_pem_lines_are_secrets_and_leaks_are_found(self):
        with tempfile.TemporaryDirectory() as d:
            key = Path(d) / "k.pem"
            key.write_text("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRET\n"
                           "hRsUvG3v0Y2nPq8wT5Lk\n-----END PRIVATE KEY-----\n")
            files = {k: str(key) for k in (*materials.TLS_FILES, *materials.TLS_KEYS)}
            info = {"urls": ["nats://127.0.0.1:1"], "tls_urls": ["tls://127.0.0.1:1"],
                    "auth": {"mode": "mtls", "tls": files}}
            self.assertEqual(materials.runner_env(info)["JB_CLIENT_KEY"], str(key))
            found = materials.secrets(info, 8)
            self.assertIn("hRsUvG3v0Y2nPq8wT5Lk", {v for _, v in found})
            self.assertNotIn(str(key), {v for _, v in found}, "paths are not secrets")
            self.assertEqual(materials.leaks("ok\nkey: hRsUvG3v0Y2nPq8wT5Lk\n", found)[0],
                             "tls.client_key PEM line 2 (line 2)")
            self.assertEqual(materials.leaks("nothing here", found), [])

    def test_reports_mask_secrets(self):
        self.assertEqual(run.mask('{"x":"pw-secret-1"}', ["pw-secret-1"]), '{"x":"[SECRET]"}')

    def test_every_credentials_name_is_in_the_spec_and_both_runners(self):
        spec_names = set(re.findall(r"^\| `(\w+)` \|", (HERE / "SPEC.md").read_text(), re.M))
        rust = set(re.findall(r'^\s*"(\w+)" => (?:None|Token|UserPassword|NKey|Jwt|CredsFile)\b',
                              (HERE / "runner-rust/src/ops/credentials.rs").read_text(), re.M))
        # The Python runner's table, loaded alone (its package imports jetbridge).
        sys.path.insert(0, str(HERE / "runners" / "python"))
        try:
            path = HERE / "runners" / "python" / "ops" / "credentials.py"
            spec = importlib.util.spec_from_file_location("python_runner_credentials", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            MATERIALS = module.MATERIALS
        finally:
            sys.path.pop(0)
        self.assertEqual(rust, set(MATERIALS))
        self.assertTrue(set(MATERIALS) <= spec_names, set(MATERIALS) - spec_names)
        used = {step.get("args", {}).get("credentials") for s in run.load_scenarios([]) for step in s.steps}
        self.assertTrue(used - {None} <= set(MATERIALS), used - {None} - set(MATERIALS))


class RelayTest(unittest.TestCase):
    def test_handoffs_cut_the_steps_into_numbered_parts(self):
        import relay
        steps = [{"op": "connect"}, {"op": "a"}, {"op": "handoff"}, {"op": "connect"}, {"op": "b"}]
        self.assertEqual(relay.parts(steps), [
            (1, [{"op": "connect"}, {"op": "a"}]),
            (4, [{"op": "connect"}, {"op": "b"}]),
        ])

    def test_the_lead_plays_the_first_part_then_the_registry_order_wraps(self):
        import relay
        self.assertEqual(relay.rotation(["rust", "python", "node"], "node"), ["node", "rust", "python"])
        self.assertEqual(relay.rotation(["rust"], "rust"), ["rust"])

    def test_a_parts_lines_are_renumbered_into_the_scenarios_steps(self):
        import relay
        got = relay.renumber([line(1, "connect", ok={}), line(2, "b", error="CLOSED"), "junk"], 4)
        self.assertEqual(got, [line(4, "connect", ok={}), line(5, "b", error="CLOSED"), "junk"])
        self.assertEqual(relay.handoff_line(3), line(3, "handoff", ok={}))

    def test_a_handoff_outside_a_relay_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "x.json"
            path.write_text(json.dumps({"name": "x", "description": "d",
                                        "steps": [{"op": "connect"}, {"op": "handoff"}]}))
            with self.assertRaises(run.UsageError):
                run.load_scenario(path)


if __name__ == "__main__":
    unittest.main()
