#!/usr/bin/env bash
# By hand, not in CI (GBs of traffic per row): the ImageNet rows of docs/benchmarks/imagenet.md.
#
#   scripts/bench-imagenet.sh [OUT_DIR]        (default: runs/imagenet)
#
# For each of ResNet-50 v1.5, SqueezeNet 1.1 and DenseNet-121 (models/imagenet, from scripts/make-imagenet-models.sh):
#   1. `securenn bench networks --model FILE.onnx --batch 1`: three party processes over TLS on 127.0.0.1, the time
#      from sharing the input to the revealed logits (the model already shared, as Porthos's timer), bytes per
#      party, rounds, peak resident memory per party (VmHWM, with loading and sharing the model);
#      OUT_DIR/MODEL.json (the bench's JSON row) and OUT_DIR/MODEL.md (its report);
#   2. the accuracy check: `securenn infer --model FILE.onnx --input MODEL-input.npy --output …` as three party
#      processes (--party N --config), its logits against onnxruntime's (MODEL-ort-logits.npy): argmax and the
#      largest difference as a share of the logits' range (OUT_DIR/MODEL-check.txt);
# then OUT_DIR/imagenet.json (all rows) and OUT_DIR/imagenet.md (the table beside Porthos's figures).
#
# Environment: RUNS (measured runs per row, default 1, as Porthos's one run each), WARMUP (default 0),
# MODELS (default "resnet50 squeezenet1_1 densenet121"), CHECK=0 to skip step 2, JFR=1 to record a JFR profile
# of each party of step 2 (OUT_DIR/MODEL-pN.jfr). Run one row at a time on a quiet machine: the parties share
# its cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$here/runs/imagenet}" && cd "${1:-$here/runs/imagenet}" && pwd)"
models="${MODELS:-resnet50 squeezenet1_1 densenet121}"
runs="${RUNS:-1}"
warmup="${WARMUP:-0}"
dir="$here/models/imagenet"
sn="$here/securenn"
. "$here/scripts/find-jdk.sh"
securenn_find_jdk

for m in $models; do
  [ -f "$dir/$m.onnx" ] || { echo "bench-imagenet: $dir/$m.onnx is missing: run scripts/make-imagenet-models.sh" >&2; exit 2; }
done

for m in $models; do
  echo "== $m: bench networks (runs $runs, warm-up $warmup)" >&2
  "$sn" bench networks --model "$dir/$m.onnx" --batch 1 --runs "$runs" --warmup "$warmup" --warmup-seconds 0 \
    --json "$out/$m.json" --report "$out/$m.md"
  if [ "${CHECK:-1}" != 0 ]; then
    echo "== $m: logits against onnxruntime (three party processes)" >&2
    keys="$out/keys"
    [ -f "$keys/cluster.properties" ] || "$sn" keys --out "$keys" --force \
      --hosts 127.0.0.1:17511,127.0.0.1:17512,127.0.0.1:17513 >/dev/null
    pids=()
    for p in 2 1 0; do
      extra=()
      [ "$p" = 0 ] && extra=(--output "$out/$m-logits.npy" --json "$out/$m-infer.json")
      if [ "${JFR:-0}" = 1 ]; then
        export SECURENN_JAVA_OPTS="-Xss16m $("$JAVA_HOME/bin/java" -cp "$here/target/securenn.jar" io.securenn.cli.JvmPlan \
          infer --model "$dir/$m.onnx" --input "$dir/$m-input.npy" --batch 1 --party $p --config "$keys/cluster.properties" 2>/dev/null) \
          -XX:StartFlightRecording=filename=$out/$m-p$p.jfr,settings=profile,dumponexit=true"
      fi
      "$sn" infer --model "$dir/$m.onnx" --input "$dir/$m-input.npy" --batch 1 --party "$p" \
        --config "$keys/cluster.properties" --idle-timeout 300s "${extra[@]}" > "$out/$m-p$p.out" 2> "$out/$m-p$p.err" &
      pids+=($!)
      unset SECURENN_JAVA_OPTS
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    python3 - "$out/$m-logits.npy" "$dir/$m-ort-logits.npy" > "$out/$m-check.txt" <<'EOF'
import sys
import numpy as np
ours = np.load(sys.argv[1]).astype(np.float64)
ort = np.load(sys.argv[2]).astype(np.float64).reshape(ours.shape)
span = float(ort.max() - ort.min())
diff = float(np.abs(ours - ort).max())
print(f"argmax ours {ours.argmax(-1).tolist()} onnxruntime {ort.argmax(-1).tolist()}; "
      f"max |difference| {diff:.5f} = {100 * diff / span:.3f} % of the range {span:.4f}")
EOF
    cat "$out/$m-check.txt" >&2
  fi
done

python3 - "$out" $models <<'EOF'
import json, os, sys
out, models = sys.argv[1], sys.argv[2:]
porthos = {  # issue 15: Porthos on this machine kind, one run each (MiB = 2^20 B)
    "squeezenet1_1": ("SqueezeNet v1.1, 227×227", 15.7, (830, 830, 851), 93),
    "resnet50": ("ResNet-50 v2, 224×224", 46.1, (2267, 2267, 2016), 436),
    "densenet121": ("DenseNet-121, 224×224", 55.1, (3475, 3475, 3098), 336),
}
rows = []
for m in models:
    with open(os.path.join(out, m + ".json")) as f:
        rows += json.load(f)
with open(os.path.join(out, "imagenet.json.tmp"), "w") as f:
    json.dump(rows, f, indent=2)
os.replace(os.path.join(out, "imagenet.json.tmp"), os.path.join(out, "imagenet.json"))
mib = lambda b: b / 2**20
lines = ["| network | protocol time | sent P0 / P1 / P2 | total sent | peak RSS per party |",
         "|---|---:|---:|---:|---:|"]
for r in rows:
    name, s, sent, rss = porthos.get(r["network"], (r["network"], None, None, None))
    b = r["bytes"]
    if s is not None:
        sent_p = " / ".join("{:,}".format(x) for x in sent)
        lines.append(f"| Porthos: {name} | {s} s | {sent_p} MiB | {sum(sent):,} MiB | {rss} MB |")
    ours = {"resnet50": "securenn: ResNet-50 v1.5 (folded BN), 224×224", "squeezenet1_1": "securenn: SqueezeNet 1.1, 227×227",
            "densenet121": "securenn: DenseNet-121, 224×224"}.get(r["network"], "securenn: " + r["network"])
    sent_ours = " / ".join("{:,.0f}".format(mib(b[p])) for p in ("P0", "P1", "P2"))
    peak_ours = " / ".join("{:.0f}".format(r["peak_mb"][p]) for p in ("P0", "P1", "P2"))
    lines.append(f"| {ours} | {r['seconds_median']:.1f} s | {sent_ours} MiB | {mib(sum(b.values())):,.0f} MiB | {peak_ours} MB |")
with open(os.path.join(out, "imagenet.md.tmp"), "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(os.path.join(out, "imagenet.md.tmp"), os.path.join(out, "imagenet.md"))
print("\n".join(lines))
EOF
