#!/usr/bin/env bash
# By hand, not in CI: exports ResNet-50, SqueezeNet 1.1 and DenseNet-121 with seeded random weights to ONNX under
# models/imagenet (ignored by git). Needs: pip install torch onnx onnxruntime.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
exec python3 scripts/make-imagenet-models.py "$@"
