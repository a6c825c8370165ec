#!/usr/bin/env bash
# Memory of the real app on a (large, synthetic) vault: starts the built app under Xvfb, types
# the passphrase as a user would (xdotool), waits on the home screen while the background check
# runs, searches, opens the client list, goes back home, and samples the resident memory of the
# app's process and of its WebKit processes every half second. Reports, per process, the
# steady state at the end (VmRSS) and the peak (VmHWM: for the app, the KDF's 256 MiB during
# unlock is in it), and the peak of their sum.
#   AMPARO_PASSPHRASE=... scripts/bench-app-memory.sh /work/bench/large [target/debug/amparo-app]
set -euo pipefail
vault=${1:?vault folder}
app=${2:-target/debug/amparo-app}
: "${AMPARO_PASSPHRASE:?set AMPARO_PASSPHRASE}"
display=:97
Xvfb $display -screen 0 1366x768x24 >/dev/null 2>&1 &
xvfb=$!
profile=$(mktemp -d)
cleanup() { kill "$app_pid" "$xvfb" 2>/dev/null || true; rm -rf "$profile"; }
trap cleanup EXIT
sleep 1
DISPLAY=$display AMPARO_VAULT_DIR=$vault XDG_DATA_HOME=$profile XDG_CONFIG_HOME=$profile \
  XDG_CACHE_HOME=$profile "$app" >/dev/null 2>&1 &
app_pid=$!

family() { echo "$app_pid"; pgrep -P "$app_pid" || true; }
peak_total=0
sample() { # prints nothing; keeps the peak of the summed RSS
  local total=0 kb
  for p in $(family); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  [ "$total" -gt "$peak_total" ] && peak_total=$total
  return 0
}
wait_sampling() { local n=$(( $1 * 2 )); for _ in $(seq "$n"); do sample; sleep 0.5; done; }

export DISPLAY=$display
for _ in $(seq 60); do xdotool search --onlyvisible --name '^Amparo' >/dev/null 2>&1 && break; sleep 0.5; done
win=$(xdotool search --onlyvisible --name '^Amparo' | head -1)
wait_sampling 3
xdotool windowfocus --sync "$win"; xdotool type --delay 20 "$AMPARO_PASSPHRASE"; xdotool key Return
started=$(date +%s.%N)
echo "unlocking; home screen and background check..."
wait_sampling 50
echo "search: juarez"
xdotool mousemove --window "$win" 970 23 click 1; xdotool type --delay 60 "juarez"
wait_sampling 8
echo "client list"
xdotool mousemove --window "$win" 265 23 click 1
wait_sampling 8
echo "home again"
xdotool mousemove --window "$win" 150 23 click 1
wait_sampling 10
import -window root "${TMPDIR:-/tmp}/amparo-memory-last-screen.png" 2>/dev/null || true
echo "after $(printf '%.0f' "$(echo "$(date +%s.%N) - $started" | bc)") s:"
# VmRSS = RssAnon (the process's own heap and stacks) + RssFile (mapped libraries and data
# files, shared with other processes mapping them) + RssShmem; Pss shares those out.
field() { awk -v f="^$2:" '$0 ~ f {print int($2 / 1024)}' "/proc/$1/${3:-status}"; }
for p in $(family); do
  printf '  %-20s steady %4d MiB (VmRSS: %4d own, %4d files, %3d shared; Pss %4d)   peak %4d MiB (VmHWM)\n' \
    "$(cat /proc/$p/comm)" "$(field $p VmRSS)" "$(field $p RssAnon)" "$(field $p RssFile)" \
    "$(field $p RssShmem)" "$(field $p Pss smaps_rollup)" "$(field $p VmHWM)"
done
if [ -n "${AMPARO_MEMORY_MAPS:-}" ]; then # the largest mapped files of each process
  for p in $(family); do
    echo "  $(cat /proc/$p/comm), largest mapped files (resident MiB):"
    awk '/^[0-9a-f]+-[0-9a-f]+ / {name=$6} /^Rss:/ {if (name != "") rss[name] += $2}
         END {for (n in rss) printf "    %6.1f %s\n", rss[n] / 1024, n}' "/proc/$p/smaps" |
      sort -rn | head -8
  done
fi
echo "  peak of the summed resident memory (app + WebKit processes): $(( peak_total / 1024 )) MiB"
