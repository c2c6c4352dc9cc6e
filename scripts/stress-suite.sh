#!/usr/bin/env bash
# Runs the test suite N times in a row (default 5) on a clean clone of this repository's HEAD, with Debian's
# `stress -c 2` loading both cores beside it; prints each run's time and result, exits non-zero if any run failed.
# By hand (issue 12's "tests that cannot flake"); needs `stress` (apt-get install stress).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
command -v stress >/dev/null || { echo "stress-suite: install Debian's stress first (apt-get install stress)" >&2; exit 2; }
work="$(mktemp -d)"
git clone -q "$here" "$work/p"
[ -d "$here/../shared" ] && cp -r "$here/../shared" "$work/"
stress -c 2 >/dev/null 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null; wait $spid 2>/dev/null' EXIT
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  (cd "$work/p" && CI=true bash .ci/run) > "$work/run$i.log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  echo "run $i: rc=$rc, ${secs} s, $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/run$i.log" | tail -1)"
  [ $rc -eq 0 ] || failed=1
done
echo "logs: $work"
exit $failed
