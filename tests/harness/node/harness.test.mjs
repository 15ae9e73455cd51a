// Smoke test of the Node wrapper: `node --test tests/harness/node/` (needs a built jb-harness).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import { test } from "node:test";

import { Harness, HarnessError, Proxy } from "./harness.mjs";

/** Connects to a NATS port and resolves to the server's INFO JSON. */
function readInfo(port, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let buf = "";
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(new Error("timeout"));
    });
    s.on("error", reject);
    s.on("data", (d) => {
      buf += d;
      const nl = buf.indexOf("\r\n");
      if (nl >= 0) {
        s.destroy();
        resolve(JSON.parse(buf.slice(5, nl)));
      }
    });
  });
}

/** Creates a JetStream stream with the raw NATS protocol (no client library). */
function createStream(port, name, replicas) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ name, subjects: [`${name}.>`], num_replicas: replicas });
    const s = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    s.setTimeout(10_000, () => {
      s.destroy();
      reject(new Error("timeout"));
    });
    s.on("error", reject);
    s.once("data", () => {
      s.write(
        'CONNECT {"verbose":false,"headers":true}\r\nSUB _INBOX.smoke 1\r\n' +
          `PUB $JS.API.STREAM.CREATE.${name} _INBOX.smoke ${Buffer.byteLength(body)}\r\n${body}\r\n`,
      );
      s.on("data", (d) => {
        buf = Buffer.concat([buf, d]);
        const text = buf.toString();
        const m = text.match(/MSG \S+ \S+ (\d+)\r\n/);
        if (m) {
          const start = text.indexOf(m[0]) + m[0].length;
          if (buf.length >= start + Number(m[1])) {
            s.destroy();
            resolve(JSON.parse(text.slice(start, start + Number(m[1]))));
          }
        }
      });
    });
  });
}

function gone(pid) {
  if (!existsSync(`/proc/${pid}/stat`)) return true;
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(")").pop().trim().startsWith("Z");
  } catch {
    return true;
  }
}

test("single server: kill9, restart, monitor", async () => {
  const h = await Harness.start({ auth: "user" });
  try {
    assert.equal(h.auth.user, "app");
    const port = h.servers[0].port;
    assert.equal((await readInfo(port)).auth_required, true);
    assert.equal((await h.kill9(0)).pid, null);
    await assert.rejects(readInfo(port, 1000));
    await h.restart(0);
    assert.equal((await readInfo(port)).port, port);
    assert.equal((await h.monitor(0, "/varz")).jetstream.config.sync_always, true);
    await assert.rejects(h.kill9(9), HarnessError);
  } finally {
    await h.stop();
  }
});

test("cluster leader and proxy", async () => {
  const h = await Harness.start({ cluster: 3 });
  const pids = h.servers.map((s) => s.pid);
  try {
    assert.equal(h.urls.length, 3);
    const reply = await createStream(h.servers[0].port, "SMOKE", 3);
    assert.equal(reply.error, undefined);
    const leader = await h.streamLeader("SMOKE");
    assert.ok([0, 1, 2].includes(leader));
    await h.pause(leader);
    assert.notEqual(await h.streamLeader("SMOKE"), leader);
    await h.resume(leader);

    const p = await Proxy.start(`127.0.0.1:${h.servers[0].port}`);
    try {
      assert.equal((await readInfo(p.port)).port, h.servers[0].port);
      assert.equal((await p.blackhole()).mode, "blackhole");
      await assert.rejects(readInfo(p.port, 500));
      assert.equal((await p.pass()).mode, "pass");
    } finally {
      await p.stop();
    }
  } finally {
    await h.stop();
  }
  assert.ok(pids.every(gone));
});

/** Polls server i's /routez until want(num_routes), for at most 20 s. */
async function waitRoutes(h, i, want) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (want((await h.monitor(i, "/routez")).num_routes)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

test("proxied routes: partition and heal", async () => {
  const h = await Harness.start({ cluster: 3, proxiedRoutes: true });
  try {
    assert.deepEqual(await h.unproxiedRoutes(), []);
    assert.ok(await waitRoutes(h, 0, (n) => n > 0));
    await h.partition(0, "reset");
    assert.ok(await waitRoutes(h, 0, (n) => n === 0));
    await h.heal();
    assert.ok(await waitRoutes(h, 0, (n) => n > 0));
    await assert.rejects(h.partition(0, "sideways"), HarnessError);
  } finally {
    await h.stop();
  }
});
