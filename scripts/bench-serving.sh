#!/usr/bin/env bash
# Latency and throughput of securenn serve on loopback (docs/SERVING.md, docs/benchmarks/serving.md):
# three server processes over TLS, one client process, for each model: batch-1 latency (1 client) and
# throughput (CLIENTS clients). Writes one JSON per row into OUT (default target/bench-serving), the servers' logs,
# and each server's thread count after the batch-1 run. Run on a quiet machine.
#   scripts/bench-serving.sh [OUT] [MODELS...]     e.g. scripts/bench-serving.sh out A C path/to/mlp.onnx
# Environment: QUERIES (measured batch-1 queries, default 200; the CLIENTS row runs 4x as many), WARMUP (50),
# WARMUP_MANY (unmeasured queries of the CLIENTS row, default 4x WARMUP: its client is a fresh JVM whose JIT compiles
# for seconds, on the same two cores as the servers), CLIENTS (32), BASE_PORT (47301), SERVER_JAVA_OPTS (JVM options of the servers, {P} replaced by the party number,
# e.g. '-XX:StartFlightRecording=filename=out/P{P}.jfr,settings=profile' for a profile of each server).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-jdk.sh; securenn_find_jdk
OUT=${1:-target/bench-serving}; shift || true
MODELS=("$@"); [ ${#MODELS[@]} -gt 0 ] || MODELS=(A B C D)
QUERIES=${QUERIES:-200}; WARMUP=${WARMUP:-50}; WARMUP_MANY=${WARMUP_MANY:-$((4 * WARMUP))}; CLIENTS=${CLIENTS:-32}
BASE=${BASE_PORT:-47301}
mkdir -p "$OUT"; KEYS=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$KEYS"; }
trap cleanup EXIT
./securenn --version >/dev/null   # builds the jar once, before three launchers race for it
./securenn keys --out "$KEYS" --hosts 127.0.0.1:$BASE,127.0.0.1:$((BASE+1)),127.0.0.1:$((BASE+2)) --clients 1 >/dev/null
python3 - "$KEYS/input.npy" <<'PY'
import sys, numpy as np
np.random.seed(16); np.save(sys.argv[1], np.random.rand(256, 1, 28, 28).astype('float32'))
PY
# per server: voluntary and involuntary context switches summed over its threads, and CPU time in clock ticks (1/100 s)
counters() {
  for p in 0 1 2; do
    local pid=${pids[$p]} v=0 n=0 st
    for st in /proc/"$pid"/task/*/status; do
      v=$((v + $(awk '/^voluntary_ctxt_switches/{print $2}' "$st" 2>/dev/null || echo 0)))
      n=$((n + $(awk '/^nonvoluntary_ctxt_switches/{print $2}' "$st" 2>/dev/null || echo 0)))
    done
    echo "$p $v $n $(awk '{print $14 + $15}' /proc/"$pid"/stat)"
  done
}
for m in "${MODELS[@]}"; do
  name=$(basename "$m" .onnx); pids=()
  for p in 0 1 2; do
    if [ -n "${SERVER_JAVA_OPTS:-}" ]; then export SECURENN_JAVA_OPTS="-Xss16m -XX:+UseParallelGC ${SERVER_JAVA_OPTS//\{P\}/$p}"; fi
    ./securenn serve --party $p --config "$KEYS/cluster.properties" --model "$m" --seed 1 \
      > "$OUT/serve-$name-P$p.out" 2> "$OUT/serve-$name-P$p.log" & pids+=($!)
    unset SECURENN_JAVA_OPTS
  done
  for p in 0 1 2; do
    for _ in $(seq 1200); do grep -q "serving" "$OUT/serve-$name-P$p.out" 2>/dev/null && break
      kill -0 "${pids[$p]}" 2>/dev/null || { echo "P$p of $name ended: see $OUT/serve-$name-P$p.log" >&2; exit 1; }; sleep 0.1; done
    grep -q "serving" "$OUT/serve-$name-P$p.out" || { echo "P$p of $name is not serving after 120 s" >&2; exit 1; }
  done
  before=$(counters)
  ./securenn query --config "$KEYS/cluster.properties" --input "$KEYS/input.npy" --bench --clients 1 \
      --queries "$QUERIES" --warmup "$WARMUP" --json "$OUT/$name-c1.json"
  after=$(counters)
  # per query (warm-up included) and server: context switches and CPU time, counters that a busy machine moves less
  # than it moves latencies (each thread hand-off is a voluntary switch of the thread that waits)
  python3 - "$((QUERIES + WARMUP))" "$before" "$after" <<'PY' | tee "$OUT/switches-$name.txt"
import sys
n = int(sys.argv[1]); b = [l.split() for l in sys.argv[2].splitlines()]; a = [l.split() for l in sys.argv[3].splitlines()]
for x, y in zip(b, a):
    d = [int(v) - int(u) for u, v in zip(x[1:], y[1:])]
    print(f"P{x[0]}: per query {d[0] / n:.1f} voluntary and {d[1] / n:.1f} involuntary context switches, "
          f"{d[2] * 10 / n:.2f} ms CPU ({n} queries, warm-up included)")
PY
  # threads of each server (the java process under the launcher's exec: the same pid)
  for p in 0 1 2; do
    n=$("$JAVA_HOME/bin/jcmd" "${pids[$p]}" Thread.print 2>/dev/null | grep -c '^"' || true)
    echo "P$p $n" >> "$OUT/threads-$name.txt"
  done
  ./securenn query --config "$KEYS/cluster.properties" --input "$KEYS/input.npy" --bench --clients "$CLIENTS" \
      --queries "$((QUERIES * 4))" --warmup "$WARMUP_MANY" --json "$OUT/$name-c$CLIENTS.json"
  kill -TERM "${pids[0]}"; wait "${pids[0]}" || true; kill -TERM "${pids[1]}" "${pids[2]}"; wait "${pids[1]}" "${pids[2]}" || true
  pids=()
done
echo "JSON rows in $OUT"
