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
# Tauri's bundler compresses the .deb's files with gzip; Debian's own packages use xz, which
# dpkg has read since 2008. Repacked with xz the same files take a third less to download.
for f in "${CARGO_TARGET_DIR:-target}"/release/bundle/deb/*.deb; do
  unpacked=$(mktemp -d)
  dpkg-deb -R "$f" "$unpacked/root"
  dpkg-deb -Zxz -z9 --root-owner-group -b "$unpacked/root" "$f" >/dev/null
  rm -rf "$unpacked"
done
for f in "${CARGO_TARGET_DIR:-target}"/release/bundle/deb/*.deb "${CARGO_TARGET_DIR:-target}"/release/bundle/rpm/*.rpm; do
  printf '%s\t%s bytes\n' "$f" "$(stat -c %s "$f")"
done
