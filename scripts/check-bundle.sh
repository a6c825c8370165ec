#!/usr/bin/env bash
# Installs the .deb built by scripts/bundle.sh with dpkg (as root), reports the packages'
# sizes (the .deb must stay within 15 MB: a download over a shelter's phone hotspot), then starts
# the installed app under Xvfb through WebDriver and checks that it opens on the unlock screen of
# a vault and unlocks it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
deb=$(ls -t "${CARGO_TARGET_DIR:-target}"/release/bundle/deb/*.deb | head -1)
limit=$((15 * 1000 * 1000))
for f in "$deb" $(ls -t "${CARGO_TARGET_DIR:-target}"/release/bundle/rpm/*.rpm 2>/dev/null | head -1); do
  size=$(stat -c %s "$f")
  awk -v f="$(basename "$f")" -v s="$size" 'BEGIN { printf "bundle: %s %d bytes (%.1f MB)\n", f, s, s / 1e6 }'
done
size=$(stat -c %s "$deb")
if [ "$size" -gt "$limit" ]; then
  echo "check-bundle: the .deb is $size bytes, over the 15 MB limit (docs/benchmarks.md)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO dpkg -i "$deb"
installed=$(dpkg -L "$(dpkg-deb -f "$deb" Package)" | grep -E '^/usr/bin/' | head -1)
echo "check-bundle: installed $installed"
AMPARO_INSTALLED_APP="$installed" xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test -p amparo-e2e --test e2e --locked -- --ignored --exact \
  the_installed_package_opens_on_the_unlock_screen
