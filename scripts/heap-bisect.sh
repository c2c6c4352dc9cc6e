#!/usr/bin/env bash
# Smallest heap a bench row runs in: bisects -Xmx (serial collector) between LO and HI MB until the interval is at
# most STEP MB, running the row once per try (three party processes; a try fails when any party runs out of heap).
# The upper end it prints is what io.securenn.job.HeapPlan's per-image figures come from (docs/benchmarks/memory.md).
# usage: scripts/heap-bisect.sh ROW LO HI [STEP]      e.g. scripts/heap-bisect.sh C:inference:128 64 512
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
row="$1" lo="$2" hi="$3" step="${4:-32}"
while [ $((hi - lo)) -gt "$step" ]; do
  mid=$(((lo + hi) / 2))
  if out="$("$here/securenn" bench networks --only "$row" --runs 1 --warmup 0 \
      --jvm-options "-Xss16m --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx${mid}m" 2>&1)"; then
    hi=$mid
    echo "$row -Xmx${mid}m: runs; $(grep -o 'peak MB.*' <<<"$out")"
  else
    lo=$mid
    echo "$row -Xmx${mid}m: fails"
  fi
done
echo "$row: smallest heap in ($lo, $hi] MB"
