// Start nats-servers for tests through the `jb-harness` CLI (ESM, no dependencies).
//
//   import { Harness } from "./harness.mjs";
//   const h = await Harness.start({ cluster: 3, auth: "jwt" });
//   try { ...h.urls, h.auth.jwt.user.creds...; await h.kill9(await h.streamLeader("S")); }
//   finally { await h.stop(); }
//
// The CLI binary is found via $JB_HARNESS_BIN, else <repo>/target/release/jb-harness, else
// <repo>/target/debug/jb-harness (build it with `cargo build -p jetbridge-harness`). Every call
// is bounded by a timeout. Servers die with the CLI: on stop(), and when this process exits
// (the CLI sees EOF on its stdin).

import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const DEFAULT_TIMEOUT_MS = 60_000;

/** The CLI failed, answered {"ok": false}, or did not answer in time. */
export class HarnessError extends Error {
  constructor(message) {
    super(message);
    this.name = "HarnessError";
  }
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function repoRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 32; i++) {
    try {
      if (readFileSync(join(dir, "Cargo.toml"), "utf8").includes("[workspace]")) return dir;
    } catch {
      // not here; keep walking up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
}

/** Path of the jb-harness CLI, or a HarnessError naming every place tried. */
export function findBinary() {
  const env = process.env.JB_HARNESS_BIN;
  if (env) {
    if (isExecutable(env)) return env;
    throw new HarnessError(`$JB_HARNESS_BIN=${env} is not an executable file`);
  }
  const root = repoRoot();
  const tried = [join(root, "target", "release", "jb-harness"), join(root, "target", "debug", "jb-harness")];
  for (const p of tried) if (isExecutable(p)) return p;
  throw new HarnessError(
    `jb-harness not found; tried $JB_HARNESS_BIN (unset), ${tried.join(", ")} ` +
      "(build it: cargo build -p jetbridge-harness)",
  );
}

/** A jb-harness subprocess speaking JSON lines. */
class Cli {
  constructor(args, { binary, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    this.timeoutMs = timeoutMs;
    this.lines = [];
    this.waiters = [];
    this.exited = false;
    this.proc = spawn(binary ?? findBinary(), args, { stdio: ["pipe", "pipe", "inherit"] });
    this.exit = new Promise((res) => this.proc.once("exit", (code, signal) => res({ code, signal })));
    this.proc.once("exit", () => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
    this.proc.stdin.on("error", () => {}); // EPIPE after exit is reported via line()
    createInterface({ input: this.proc.stdout }).on("line", (l) => {
      const w = this.waiters.shift();
      if (w) w(l);
      else this.lines.push(l);
    });
  }

  /** Next JSON line (rejects on {"ok": false}, exit or timeout). */
  async line(timeoutMs = this.timeoutMs) {
    let raw;
    if (this.lines.length) raw = this.lines.shift();
    else if (this.exited) raw = null;
    else {
      let timer;
      let waiter;
      raw = await Promise.race([
        new Promise((res) => {
          waiter = res;
          this.waiters.push(res);
        }),
        new Promise((res) => {
          timer = setTimeout(() => res(undefined), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (raw === undefined) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        throw new HarnessError(`jb-harness did not answer within ${timeoutMs} ms`);
      }
    }
    if (raw === null) throw new HarnessError(`jb-harness exited (code ${this.proc.exitCode})`);
    const reply = JSON.parse(raw);
    if (!reply.ok) throw new HarnessError(`${reply.cmd}: ${reply.error}`);
    return reply;
  }

  async command(line, timeoutMs) {
    if (this.exited) throw new HarnessError("jb-harness is not running");
    this.proc.stdin.write(line + "\n");
    return this.line(timeoutMs);
  }

  /** Sends `stop` (best effort), closes stdin, waits; kills if it hangs. */
  async close() {
    if (!this.exited) {
      try {
        await this.command("stop", 15_000);
      } catch {
        // fall through to EOF / kill
      }
    }
    this.proc.stdin.end();
    let timer;
    const hung = new Promise((res) => {
      timer = setTimeout(() => res("hung"), 15_000);
    });
    if ((await Promise.race([this.exit, hung])) === "hung") {
      this.proc.kill("SIGKILL");
      await this.exit;
    }
    clearTimeout(timer);
  }
}

/**
 * One nats-server (no `cluster`) or a cluster, started by `jb-harness start`.
 * Fields: `info` (the CLI's JSON), getters `urls`, `servers`, `auth`. Indexes are 0-based.
 */
export class Harness {
  /**
   * @param {{cluster?: number, auth?: string, syncInterval?: string, maxPayload?: number,
   *          serverCert?: string, proxiedRoutes?: boolean, binary?: string,
   *          timeoutMs?: number}} [opts]
   */
  static async start(opts = {}) {
    const args = ["start", "--auth", opts.auth ?? "none"];
    if (opts.cluster !== undefined) args.push("--cluster", String(opts.cluster));
    if (opts.syncInterval !== undefined) args.push("--sync-interval", opts.syncInterval);
    if (opts.maxPayload !== undefined) args.push("--max-payload", String(opts.maxPayload));
    if (opts.serverCert !== undefined) args.push("--server-cert", opts.serverCert);
    if (opts.proxiedRoutes) args.push("--proxied-routes", "on");
    const cli = new Cli(args, opts);
    try {
      return new Harness(cli, await cli.line());
    } catch (e) {
      await cli.close();
      throw e;
    }
  }

  constructor(cli, info) {
    this.cli = cli;
    this.info = info;
  }

  get urls() {
    return [...this.info.urls];
  }
  get servers() {
    return [...this.info.servers];
  }
  get auth() {
    return this.info.auth;
  }

  /** Sends one raw protocol line; resolves to the reply. */
  command(line, timeoutMs) {
    if (!this.cli) throw new HarnessError("harness stopped");
    return this.cli.command(line, timeoutMs);
  }

  async #node(cmd, i) {
    const reply = await this.command(`${cmd} ${Number(i)}`);
    this.info.servers[Number(i)] = reply.server;
    return reply.server;
  }
  kill9(i) {
    return this.#node("kill9", i);
  }
  restart(i) {
    return this.#node("restart", i);
  }
  /** Graceful stop of one server (SIGTERM); restart() brings it back. */
  shutdown(i) {
    return this.#node("shutdown", i);
  }
  pause(i) {
    return this.#node("pause", i);
  }
  resume(i) {
    return this.#node("resume", i);
  }
  lameDuck(i) {
    return this.#node("lameduck", i);
  }
  async streamLeader(stream, account) {
    return (await this.command(`stream_leader ${stream}${account ? " " + account : ""}`)).index;
  }
  async consumerLeader(stream, consumer, account) {
    return (await this.command(`consumer_leader ${stream} ${consumer}${account ? " " + account : ""}`)).index;
  }
  /**
   * Cuts server i off from the other nodes (its route proxies in `mode`: "blackhole" or
   * "reset"); client links are untouched. Needs `proxiedRoutes`.
   */
  async partition(i, mode = "blackhole") {
    await this.command(`partition ${Number(i)} ${mode}`);
  }
  /** Every route proxy passes again; held bytes are delivered. */
  async heal() {
    await this.command("heal");
  }
  /** Routes (per /routez) that bypass the route proxies; empty when partitions are real. */
  async unproxiedRoutes() {
    return (await this.command("unproxied_routes")).routes;
  }
  async metaLeader() {
    return (await this.command("meta_leader")).index;
  }
  async waitReady() {
    await this.command("wait_ready");
  }
  /** GET a monitoring path (e.g. "/varz") on server i. */
  async monitor(i, path) {
    return (await this.command(`monitor ${Number(i)} ${path}`)).body;
  }
  /** Re-reads the full description (current pids). */
  async refresh() {
    this.info = await this.command("info");
    return this.info;
  }
  /** Kills every server and waits for the CLI to exit. Idempotent. */
  async stop() {
    if (this.cli) {
      const cli = this.cli;
      this.cli = null;
      await cli.close();
    }
  }
}

/** `jb-harness proxy`: a TCP proxy with modes pass / blackhole / reset. */
export class Proxy {
  /** @param {string} target HOST:PORT @param {{listen?: number, binary?: string, timeoutMs?: number}} [opts] */
  static async start(target, opts = {}) {
    const args = ["proxy", "--target", target];
    if (opts.listen !== undefined) args.push("--listen", String(opts.listen));
    const cli = new Cli(args, opts);
    try {
      return new Proxy(cli, await cli.line());
    } catch (e) {
      await cli.close();
      throw e;
    }
  }
  constructor(cli, info) {
    this.cli = cli;
    this.info = info;
    this.url = info.url;
    this.port = info.port;
  }
  #cmd(c) {
    if (!this.cli) throw new HarnessError("proxy stopped");
    return this.cli.command(c);
  }
  pass() {
    return this.#cmd("pass");
  }
  blackhole() {
    return this.#cmd("blackhole");
  }
  reset() {
    return this.#cmd("reset");
  }
  status() {
    return this.#cmd("status");
  }
  async stop() {
    if (this.cli) {
      const cli = this.cli;
      this.cli = null;
      await cli.close();
    }
  }
}
