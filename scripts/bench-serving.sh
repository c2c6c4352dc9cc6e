#!/usr/bin/env bash
# Latency and throughput of securenn serve on loopback (docs/SERVING.md, docs/benchmarks/serving.md):
# three server processes over TLS, one client process, for each model: batch-1 latency (1 client) and
# throughput (32 clients). Writes one JSON per row into OUT (default target/bench-serving). Run on a quiet machine.
#   scripts/bench-serving.sh [OUT] [MODELS...]     e.g. scripts/bench-serving.sh out A C path/to/mlp.onnx
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/bench-serving}; shift || true
MODELS=("$@"); [ ${#MODELS[@]} -gt 0 ] || MODELS=(A B C D)
QUERIES=${QUERIES:-200}; WARMUP=${WARMUP:-50}; CLIENTS=${CLIENTS:-32}; BASE=${BASE_PORT:-47301}
mkdir -p "$OUT"; KEYS=$(mktemp -d); trap 'rm -rf "$KEYS"' EXIT
./securenn keys --out "$KEYS" --hosts 127.0.0.1:$BASE,127.0.0.1:$((BASE+1)),127.0.0.1:$((BASE+2)) --clients 1 >/dev/null
python3 - "$KEYS/input.npy" <<'PY'
import sys, numpy as np
np.random.seed(16); np.save(sys.argv[1], np.random.rand(256, 1, 28, 28).astype('float32'))
PY
for m in "${MODELS[@]}"; do
  name=$(basename "$m" .onnx); pids=()
  for p in 0 1 2; do ./securenn serve --party $p --config "$KEYS/cluster.properties" --model "$m" --seed 1 \
      > "$OUT/serve-$name-P$p.log" 2>&1 & pids+=($!); done
  for _ in $(seq 600); do grep -q "serving" "$OUT/serve-$name-P0.log" 2>/dev/null && break; sleep 0.1; done
  ./securenn query --config "$KEYS/cluster.properties" --input "$KEYS/input.npy" --bench --clients 1 \
      --queries "$QUERIES" --warmup "$WARMUP" --json "$OUT/$name-c1.json"
  ./securenn query --config "$KEYS/cluster.properties" --input "$KEYS/input.npy" --bench --clients "$CLIENTS" \
      --queries "$((QUERIES * 4))" --warmup "$WARMUP" --json "$OUT/$name-c$CLIENTS.json"
  kill -TERM "${pids[0]}"; sleep 1; kill -TERM "${pids[1]}" "${pids[2]}"; wait "${pids[@]}" || true
done
echo "JSON rows in $OUT"
