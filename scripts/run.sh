#!/usr/bin/env bash
# Builds and starts Amparo. With --demo, opens a separate demo vault filled with synthetic
# clients (created on first use) instead of your real one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup-debian.sh
(cd ui && npm run --silent build)

if [ "${1:-}" = "--demo" ]; then
  export AMPARO_VAULT_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/org.amparo.desktop/demo-vault"
  export AMPARO_PASSPHRASE="${AMPARO_DEMO_PASSPHRASE:-demo passphrase 2019}"
  if [ ! -f "$AMPARO_VAULT_DIR/vault.json" ]; then
    # The debug build, shared with the app below: cargo shows its progress, and seeding 2,000
    # clients takes about half a minute (the release profile's link-time optimisation would
    # take far longer to build than the seeding saves).
    cargo run -p amparo-cli -- create
    echo "Filling the demo vault with synthetic clients..."
    cargo run --quiet -p amparo-cli -- seed --clients "${AMPARO_DEMO_CLIENTS:-2000}" --seed 1 >/dev/null
  fi
  echo "Demo vault: $AMPARO_VAULT_DIR"
  echo "Demo passphrase: $AMPARO_PASSPHRASE"
  unset AMPARO_PASSPHRASE
fi

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display found; start it from a desktop session (or under xvfb-run)" >&2
  exit 1
fi
exec cargo run -p amparo-app
