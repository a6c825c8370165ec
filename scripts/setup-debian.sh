#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test Amparo.
# Idempotent: packages already present are skipped; safe to run on every test run.
set -euo pipefail

# dbus-daemon: a private bus for the test of the lock on sleep (a stand-in logind on it).
want_apt=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev
          xvfb xauth webkit2gtk-driver poppler-utils xdotool strace dbus-daemon)
missing=()
for p in "${want_apt[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install Rust stable with rustup first" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "setup: node not found; install Node.js 20+ first" >&2
  exit 1
fi

# cargo-deny checks licences, bans and sources (about 7 minutes to build once; no prebuilt
# binary can be fetched where only the package registries are reachable).
if [ "${AMPARO_NEED_DENY:-0}" = 1 ] && ! command -v cargo-deny >/dev/null 2>&1; then
  echo "setup: installing cargo-deny"
  cargo install cargo-deny --version 0.20.2 --locked
fi
if [ "${AMPARO_NEED_DRIVER:-0}" = 1 ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi

here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$here/ui/node_modules" ] || [ "$here/ui/package-lock.json" -nt "$here/ui/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in ui/"
  (cd "$here/ui" && npm ci --no-audit --no-fund)
fi
