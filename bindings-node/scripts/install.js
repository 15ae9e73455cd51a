'use strict'
// `npm install` hook. Finds the native addon for this platform, in order:
//   1. jetbridge.<platform>.node next to this package (a checkout that built
//      it, or a tarball packed from one);
//   2. the platform package `jetbridge-<platform>` (e.g. jetbridge-linux-x64-gnu),
//      which the published package lists in optionalDependencies, so npm
//      installs the one matching this machine;
//   3. else it builds the addon from the Rust sources next to this file (a
//      checkout of the repository): with @napi-rs/cli when it is installed,
//      else with cargo directly, into $CARGO_TARGET_DIR or the workspace's
//      shared target/.
// JETBRIDGE_FORCE_BUILD=1 rebuilds even when an addon is present.
const { spawnSync } = require('node:child_process')
const { copyFileSync, existsSync, readFileSync } = require('node:fs')
const { dirname, join } = require('node:path')

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

/** The installed platform package's directory, if any. */
function platformPackage() {
  try {
    return dirname(require.resolve(`jetbridge-${platformSuffix()}/package.json`, { paths: [root] }))
  } catch {
    return undefined
  }
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
  if (!process.env.JETBRIDGE_FORCE_BUILD && (existsSync(addon) || platformPackage())) return
  if (!existsSync(join(root, 'Cargo.toml'))) {
    throw new Error(
      `no prebuilt JetBridge addon for ${platformSuffix()} (no package jetbridge-${platformSuffix()} installed), ` +
        'and no Rust sources to build one; install from a checkout of the repository (with a Rust toolchain) to build it',
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
