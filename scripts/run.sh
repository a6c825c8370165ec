#!/usr/bin/env bash
# Builds and starts Amparo. With --demo, opens a separate demo vault filled with synthetic
# clients (created on first use) instead of your real one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display found; start it from a desktop session (or under xvfb-run)" >&2
  exit 1
fi

demo=false
if [ "${1:-}" = "--demo" ]; then
  demo=true
  export AMPARO_VAULT_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/org.amparo.desktop/demo-vault"
  export AMPARO_PASSPHRASE="${AMPARO_DEMO_PASSPHRASE:-demo passphrase 2019}"
  # Said first, so nobody has to wait for the build to learn it.
  echo "Demo vault: $AMPARO_VAULT_DIR"
  echo "Demo passphrase: $AMPARO_PASSPHRASE"
fi

echo "== Installing what this machine lacks (once)"
scripts/setup-debian.sh
echo "== Building the interface"
(cd ui && npm run build)

# One build, with cargo's own progress, of the app and of the `amparo` command that seeds the
# demo vault. The debug profile: the release profile's link-time optimisation takes about 14
# more minutes on a 2-core machine, for an app that opens just as well
# (scripts/check-bundle.sh builds the release packages).
echo "== Building Amparo (debug profile; the first build takes several minutes)"
cargo build -p amparo-cli -p amparo-app
bin=target/debug

if $demo && [ ! -f "$AMPARO_VAULT_DIR/vault.json" ]; then
  "$bin/amparo" create
  echo "== Filling the demo vault with ${AMPARO_DEMO_CLIENTS:-2000} synthetic clients (about a minute)"
  "$bin/amparo" seed --clients "${AMPARO_DEMO_CLIENTS:-2000}" --seed 1 >/dev/null
fi
if $demo; then
  echo "Unlock with: $AMPARO_PASSPHRASE"
  unset AMPARO_PASSPHRASE
fi

echo "== Opening Amparo"
exec "$bin/amparo-app"
