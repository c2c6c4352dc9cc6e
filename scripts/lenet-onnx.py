#!/usr/bin/env python3
"""By-hand tool (not run in CI): a small LeNet-style CNN written in PyTorch, exported to ONNX for
`securenn train --model`, and onnxruntime's predictions on the MNIST test set, to compare with the twin's.

  scripts/lenet-onnx.py export it.onnx                 # the untrained model (PyTorch's default init), opset 17
  scripts/lenet-onnx.py export-resbn it.onnx           # a small residual CNN with a BatchNormalization after a ReLU
                                                       # (not foldable: imported as a trainable per-channel affine)
  scripts/lenet-onnx.py testset data/mnist test.npy    # the 10 000 test images as float32 [N,1,28,28] in [0,1]
                                                       # (any IDX directory: /usr/share/datasets/fashion-mnist)
  scripts/lenet-onnx.py predict out.onnx test.npy [twin-logits.npy]
        # onnxruntime's accuracy on the test set; with the twin's logits (securenn infer --plaintext --model out.onnx
        # --input test.npy --output twin-logits.npy) also how many predictions differ and the largest logit gap

Needs torch, onnx, onnxruntime (pip install torch onnx onnxruntime onnxscript); torchvision is not used.
"""
import sys

import numpy as np

from idxfile import idx


def export(out, arch="lenet"):
    import torch
    import torch.nn as nn

    torch.manual_seed(1)

    class ResBn(nn.Module):
        """Conv 1->8 5x5, ReLU, BatchNorm (after the ReLU), MaxPool; a residual block (Conv 8->8 3x3, ReLU, Conv 8->8
        3x3, Add of the block's input, ReLU), MaxPool; FC 288->64->10."""

        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, 5)                      # 8x24x24
            self.bn1 = nn.BatchNorm2d(8)
            self.conv2 = nn.Conv2d(8, 8, 3, padding=1)           # 8x12x12
            self.conv3 = nn.Conv2d(8, 8, 3, padding=1)
            self.fc1 = nn.Linear(8 * 6 * 6, 64)
            self.fc2 = nn.Linear(64, 10)
            with torch.no_grad():                                # non-trivial running statistics, as after training
                self.bn1.running_mean.uniform_(0.0, 0.3)
                self.bn1.running_var.uniform_(0.5, 2.0)

        def forward(self, x):
            x = torch.max_pool2d(self.bn1(torch.relu(self.conv1(x))), 2)
            y = self.conv3(torch.relu(self.conv2(x)))
            x = torch.max_pool2d(torch.relu(x + y), 2)
            x = torch.flatten(x, 1)
            return self.fc2(torch.relu(self.fc1(x)))

    class LeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5)          # 6x24x24
            self.bn1 = nn.BatchNorm2d(6)             # folded into conv1 on import
            self.conv2 = nn.Conv2d(6, 16, 5)         # 16x8x8 after the pool
            self.fc1 = nn.Linear(16 * 4 * 4, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
            x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
            x = torch.flatten(x, 1)
            x = torch.relu(self.fc1(x))
            x = torch.relu(self.fc2(x))
            return self.fc3(x)

    m = (ResBn() if arch == "resbn" else LeNet()).eval()
    dummy = torch.zeros(1, 1, 28, 28)
    kwargs = dict(input_names=["image"], output_names=["logits"], dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
                  opset_version=17)
    try:
        torch.onnx.export(m, (dummy,), out, dynamo=False, **kwargs)
    except TypeError:
        torch.onnx.export(m, (dummy,), out, **kwargs)
    print("wrote", out, "(%d parameters)" % sum(p.numel() for p in m.parameters()))


def testset(mnist_dir, out):
    import os
    base = os.path.join(mnist_dir, "t10k-images-idx3-ubyte")
    images = idx(base if os.path.exists(base) else base + ".gz")
    x = (images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    np.save(out, x)
    lb = os.path.join(mnist_dir, "t10k-labels-idx1-ubyte")
    np.save(out.replace(".npy", "-labels.npy"), idx(lb if os.path.exists(lb) else lb + ".gz").astype(np.int64))
    print("wrote", out, x.shape)


def predict(model, test, twin=None):
    import onnxruntime as ort
    x = np.load(test)
    labels = np.load(test.replace(".npy", "-labels.npy"))
    s = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    logits = s.run(None, {s.get_inputs()[0].name: x})[0]
    pred = logits.argmax(axis=1)
    print("onnxruntime: accuracy %.2f %% (%d of %d)" % (100 * (pred == labels).mean(), (pred == labels).sum(), len(labels)))
    if twin:
        t = np.load(twin)
        tp = t.argmax(axis=1)
        diff = np.nonzero(tp != pred)[0]
        top2 = np.sort(t, axis=1)[:, -2:]
        print("twin: accuracy %.2f %%; predictions differing from onnxruntime's: %d; largest |logit difference| %.4f"
              % (100 * (tp == labels).mean(), len(diff), np.abs(t - logits).max()))
        for i in diff[:10]:
            print("  image %d: twin %d, onnxruntime %d, twin's top-2 margin %.4f" % (i, tp[i], pred[i], top2[i, 1] - top2[i, 0]))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "export" and len(sys.argv) == 3:
        export(sys.argv[2])
    elif cmd == "export-resbn" and len(sys.argv) == 3:
        export(sys.argv[2], "resbn")
    elif cmd == "testset" and len(sys.argv) == 4:
        testset(sys.argv[2], sys.argv[3])
    elif cmd == "predict" and len(sys.argv) in (4, 5):
        predict(*sys.argv[2:])
    else:
        sys.exit(__doc__)
