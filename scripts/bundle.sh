#!/usr/bin/env bash
# Builds the Linux installers offline with Tauri's bundler: a .deb and an .rpm of the release
# app, in target/release/bundle/ (or under $CARGO_TARGET_DIR). Windows and macOS installers are
# built by the release workflow (.github/workflows/release.yml) on those systems; they cannot
# be built here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup-debian.sh
(cd ui && npm run --silent build)
# --ci: no prompts. The bundler signs nothing here; the packages are checked by
# scripts/check-bundle.sh (installed with dpkg, started under Xvfb).
ui/node_modules/.bin/tauri build --ci --bundles deb,rpm
for f in "${CARGO_TARGET_DIR:-target}"/release/bundle/deb/*.deb "${CARGO_TARGET_DIR:-target}"/release/bundle/rpm/*.rpm; do
  printf '%s\t%s bytes\n' "$f" "$(stat -c %s "$f")"
done
