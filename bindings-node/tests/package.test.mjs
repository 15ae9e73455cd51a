// `npm pack` makes a tarball that carries the linux-x64-gnu addon and
// installs and runs with no Rust toolchain and no registry.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'

import { Harness } from './helpers.mjs'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

let h
let dir

before(async () => {
  h = await Harness.start()
  dir = mkdtempSync(join(tmpdir(), 'jb-node-pack-'))
})

after(async () => {
  await h?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('npm pack, then install and use the tarball without Rust', { timeout: 180_000 }, () => {
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' })
  const [info] = JSON.parse(out.slice(out.indexOf('[')))
  const files = info.files.map((f) => f.path)
  for (const f of ['jetbridge.linux-x64-gnu.node', 'native.js', 'index.js', 'index.mjs', 'index.d.ts', 'lib/client.js', 'scripts/install.js']) {
    assert.ok(files.includes(f), `${f} is in the tarball`)
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('tests/') || f.includes('node_modules')), files.join(' '))

  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }))
  // A PATH with node but without cargo/rustc, and no registry access.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, CARGO_HOME: '/nonexistent', RUSTUP_HOME: '/nonexistent' }
  delete env.CARGO_TARGET_DIR
  assert.equal(spawnSync('cargo', ['--version'], { env }).status === 0, false, 'cargo is not on this PATH')
  const install = spawnSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, info.filename)], { cwd: app, env, encoding: 'utf8' })
  assert.equal(install.status, 0, install.stderr)

  const cjs = spawnSync(
    process.execPath,
    ['-e', "require('jetbridge').connect(process.env.NATS_URL).then(async (c) => { const i = await c.createStream({ name: 'PACKED', subjects: ['packed.>'] }); console.log(i.config.name); await c.close() })"],
    { cwd: app, env: { ...env, NATS_URL: h.urls[0] }, encoding: 'utf8', timeout: 30_000 },
  )
  assert.equal(cjs.status, 0, cjs.stderr)
  assert.equal(cjs.stdout.trim(), 'PACKED')
  const esm = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "import { connect } from 'jetbridge'; const c = await connect(process.env.NATS_URL); console.log((await c.streamInfo('PACKED')).config.name); await c.close()"],
    { cwd: app, env: { ...env, NATS_URL: h.urls[0] }, encoding: 'utf8', timeout: 30_000 },
  )
  assert.equal(esm.status, 0, esm.stderr)
  assert.equal(esm.stdout.trim(), 'PACKED')
})
