#!/usr/bin/env bash
# Prints JetBridge's one version: [workspace.package] version in Cargo.toml.
# Every artifact (wheel, npm packages, C tarball, Go module, crate) carries it.
set -euo pipefail
sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$(dirname "$0")/../Cargo.toml"
