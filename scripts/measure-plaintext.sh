#!/usr/bin/env bash
# Reproduces the plaintext measurements of docs/NETWORKS.md §10: fixed-point twin (and float64 reference) runs of
# networks A–D on MNIST, each writing its log, JSON metrics and model into runs/ (or $RUNS_DIR). Measured per
# epoch on 2 shared cores: A 3–11 s, D 11–14 s, B 1.5–2.5 min, C 3–7 min. Arguments: network letters (default A B C D).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${RUNS_DIR:-$here/runs}"
mkdir -p "$out"
"$here/scripts/fetch-mnist.sh"
run() { # name, then train arguments
  local name="$1"; shift
  echo "== $name: securenn train $*"
  "$here/securenn" train --plaintext --json "$out/$name.json" "$@" | tee "$out/$name.log"
}
nets="${*:-A B C D}"
for n in $nets; do
  case "$n" in
    A)
      run A-square --network A --loss square --lr-shift 4 --epochs 15 --save-model "$out/A-square.snn"
      run A-asm --network A --loss asm --lr-shift 7 --epochs 15
      run A-asm-float --network A --loss asm --lr-shift 7 --epochs 15 --float64
      run A-fashion --network A --loss square --lr-shift 4 --epochs 5 --dataset fashion ;;
    B)
      run B-square --network B --loss square --lr-shift 5 --epochs 15 --save-model "$out/B-square.snn"
      run B-asm --network B --loss asm --lr-shift 5 --epochs 3
      run B-momentum --network B --loss square --momentum-shift 3 --lr-schedule 1:7,9:8,13:9 --epochs 15 \
        --save-model "$out/B-momentum.snn" ;;
    C)
      run C-square --network C --loss square --lr-shift 5 --epochs 15 --save-model "$out/C-square.snn"
      run C-momentum --network C --loss square --momentum-shift 3 --lr-schedule 1:7,9:8,13:9 --epochs 15 \
        --save-model "$out/C-momentum.snn" ;;
    D) run D-square --network D --loss square --lr-shift 5 --epochs 5 --save-model "$out/D-square.snn" ;;
    *) echo "unknown network $n" >&2; exit 2 ;;
  esac
done
