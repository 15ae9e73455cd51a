'use strict'
// `npm install` hook. The published package carries the addon for
// linux-x64-gnu; on that platform there is nothing to do. Anywhere else — or
// in a checkout of the repository, where no addon has been built yet — the
// addon is built from the Rust sources next to this file: with @napi-rs/cli
// when it is installed (a development checkout), else with cargo directly.
// The build uses $CARGO_TARGET_DIR, else the workspace's shared target/.
//
// JETBRIDGE_FORCE_BUILD=1 rebuilds even when an addon is present.
const { spawnSync } = require('node:child_process')
const { copyFileSync, existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')

function isMusl() {
  if (process.platform !== 'linux') return false
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl')
  } catch {
    const report = process.report?.getReport?.()
    return !(report && report.header && report.header.glibcVersionRuntime)
  }
}

/** The napi-rs platform suffix of this machine, e.g. linux-x64-gnu. */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function run(cmd, args, env) {
  console.log(`jetbridge: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`)
}

function napiCli() {
  try {
    return require.resolve('@napi-rs/cli/dist/cli.js', { paths: [root] })
  } catch {
    return undefined
  }
}

function main() {
  const addon = join(root, `jetbridge.${platformSuffix()}.node`)
  if (existsSync(addon) && !process.env.JETBRIDGE_FORCE_BUILD) return
  if (!existsSync(join(root, 'Cargo.toml'))) {
    throw new Error(
      `no prebuilt JetBridge addon for ${platformSuffix()} in this package, and no Rust sources to build one; ` +
        'install from a checkout of the repository (with a Rust toolchain) to build it',
    )
  }
  const targetDir = process.env.CARGO_TARGET_DIR || join(root, '..', 'target')
  const env = { ...process.env, CARGO_TARGET_DIR: targetDir }
  const cli = napiCli()
  if (cli) {
    run(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'native.js', '--dts', 'native.d.ts'], env)
    return
  }
  run('cargo', ['build', '--release', '--manifest-path', join(root, 'Cargo.toml'), '-p', 'jetbridge-node'], env)
  const lib = { darwin: 'libjetbridge_node.dylib', win32: 'jetbridge_node.dll' }[process.platform] ?? 'libjetbridge_node.so'
  copyFileSync(join(targetDir, 'release', lib), addon)
}

try {
  main()
} catch (e) {
  console.error(`jetbridge: cannot install the native addon: ${e.message}`)
  process.exit(1)
}
