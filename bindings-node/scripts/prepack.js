'use strict'
// `npm pack` hook: drop the debug info from the addon that goes into the
// tarball (the release profile keeps line tables for backtraces; they
// quadruple the file). Uses binutils `strip` when it is installed.
const { spawnSync } = require('node:child_process')
const { existsSync, readdirSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
for (const file of readdirSync(root).filter((f) => f.endsWith('.node'))) {
  const r = spawnSync('strip', ['--strip-debug', join(root, file)], { stdio: 'inherit' })
  if (r.error) console.warn(`jetbridge: strip not available (${r.error.code}); packing ${file} unstripped`)
  else if (r.status !== 0) process.exit(r.status)
}
if (!readdirSync(root).some((f) => f.endsWith('.node')) && existsSync(join(root, 'Cargo.toml'))) {
  console.warn('jetbridge: no addon built; the tarball will need a Rust toolchain at install time')
}
