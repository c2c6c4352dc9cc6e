#!/usr/bin/env python3
"""By hand, never in CI: trains a LeNet-style CNN on MNIST in PyTorch, exports it to ONNX and writes what the
secure run is compared with (docs/MODELS.md, "A model trained in PyTorch").

    pip install torch onnx onnxruntime        # torchvision is not needed
    python3 scripts/train-lenet-onnx.py [--epochs 2] [--out models/lenet]

Reads MNIST from data/mnist (scripts/fetch-mnist.sh). Writes OUT.onnx (TorchScript exporter, opset 17, the batch
dimension symbolic), OUT-test-images.npy (the 10 000 test images, uint8 [N,1,28,28]), OUT-test-labels.npy and
OUT-ort-logits.npy (onnxruntime's logits of every test image, float32 [N,10]).
"""
import argparse, os, time

import numpy as np

from idxfile import idx
import torch
import torch.nn as nn




def find(d, base):
    for name in (base, base + ".gz"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    raise SystemExit(f"missing {base} in {d} (run scripts/fetch-mnist.sh)")


class LeNet(nn.Module):
    """Conv 5×5×20 (pad 2), ReLU, MaxPool 2; Conv 5×5×50, ReLU, MaxPool 2; Flatten; Gemm 1250→500, ReLU; Gemm 500→10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, padding=2)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(50 * 5 * 5, 500)
        self.fc2 = nn.Linear(500, 10)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/mnist")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--out", default="models/lenet")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(2)
    xtr = torch.tensor(idx(find(a.data, "train-images-idx3-ubyte")), dtype=torch.float32).unsqueeze(1) / 255
    ytr = torch.tensor(idx(find(a.data, "train-labels-idx1-ubyte")), dtype=torch.long)
    xte_u8 = idx(find(a.data, "t10k-images-idx3-ubyte"))
    yte = idx(find(a.data, "t10k-labels-idx1-ubyte"))
    xte = torch.tensor(xte_u8, dtype=torch.float32).unsqueeze(1) / 255
    m = LeNet()
    opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
    for ep in range(a.epochs):
        t0 = time.time()
        perm = torch.randperm(len(xtr))
        m.train()
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(m(xtr[b]), ytr[b])
            loss.backward()
            opt.step()
        m.eval()
        with torch.no_grad():
            acc = (m(xte).argmax(1).numpy() == yte).mean()
        print(f"epoch {ep + 1}: test accuracy {100 * acc:.2f} % ({time.time() - t0:.0f} s)")
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    torch.onnx.export(m, xte[:1], a.out + ".onnx", input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, opset_version=17, dynamo=False)
    import onnxruntime as ort
    s = ort.InferenceSession(a.out + ".onnx", providers=["CPUExecutionProvider"])
    logits = s.run(None, {"image": xte.numpy()})[0].astype(np.float32)
    np.save(a.out + "-test-images.npy", xte_u8.reshape(-1, 1, 28, 28))
    np.save(a.out + "-test-labels.npy", yte.astype(np.int64))
    np.save(a.out + "-ort-logits.npy", logits)
    print(f"onnxruntime: test accuracy {100 * (logits.argmax(1) == yte).mean():.2f} %; wrote {a.out}.onnx and its test files")


if __name__ == "__main__":
    main()
