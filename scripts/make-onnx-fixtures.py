#!/usr/bin/env python3
"""Makes the ONNX import test fixtures under src/test/resources/onnx/ from a real framework (run by hand, never in CI).

Needs: pip install torch onnx onnxruntime onnxscript numpy   (torchvision is not needed: the nets are written here)

For each net (mlp: 784-128-128-10 as Network A; cnn: 1x28x28 with padding, stride, BatchNorm and average pooling;
resnet: 3x32x32, conv-bn-relu stem with max pooling, two residual blocks with Add, one of stride 2 with a 1x1
projection, global average pooling, Gemm), seeded random weights and non-trivial BatchNorm statistics in eval mode,
it exports with both PyTorch exporters where they work, with a symbolic batch dimension:
  torchscript    torch.onnx.export(dynamo=False), opset 13, do_constant_folding=False (so that BatchNormalization
                 nodes stay: the default folds them into the convolutions, leaving the importer nothing to fold);
  dynamo         torch.onnx.export(dynamo=True), opset 18, as by default (its optimiser folds BatchNormalization);
  dynamo-noopt   the same with optimize=False (BatchNormalization, shape computations with Shape, Squeeze, Expand,
                 CastLike and Constant nodes stay; cnn and resnet only);
and saves:
  NET-EXPORTER.onnx         the model (every tensor inside the file)
  NET-input.npy             a few inputs (float32, [N, ...])
  NET-EXPORTER-output.npy   onnxruntime's outputs for them (float32, [N, 10])
  NET-torch-output.npy      PyTorch's own outputs
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "onnx")
BATCH = 3


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 128), nn.Linear(128, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5, padding=2, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.pool2 = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool2(torch.relu(self.bn2(self.conv2(x))))
        return self.fc(x.view(x.size(0), -1))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = Block(8, 8, 1)
        self.layer2 = Block(8, 16, 2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv(x))))
        x = self.layer2(self.layer1(x))
        return self.fc(torch.flatten(self.gap(x), 1))


NETS = {"mlp": (Mlp, (1, 28, 28), 1), "cnn": (Cnn, (1, 28, 28), 2), "resnet": (ResNet, (3, 32, 32), 3)}


def make(net, shape, seed):
    torch.manual_seed(seed)
    m = net()
    g = torch.Generator().manual_seed(seed + 100)
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            c = mod.num_features
            mod.running_mean.copy_(torch.randn(c, generator=g) * 0.2)
            mod.running_var.copy_(torch.rand(c, generator=g) + 0.5)
            mod.weight.data.copy_(torch.rand(c, generator=g) + 0.5)
            mod.bias.data.copy_(torch.randn(c, generator=g) * 0.2)
    m.eval()
    x = torch.rand((BATCH,) + shape, generator=g)
    return m, x


def export(m, x, path, exporter):
    if exporter.startswith("dynamo"):
        batch = torch.export.Dim("N", min=1, max=1024)
        prog = torch.onnx.export(m, (x,), dynamo=True, opset_version=18, input_names=["input"], output_names=["logits"],
                                 dynamic_shapes=({0: batch},), external_data=False, optimize=exporter == "dynamo")
        prog.save(path, external_data=False)
    else:
        torch.onnx.export(m, (x,), path, dynamo=False, opset_version=13, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=False)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    onnx.save(model, path, save_as_external_data=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (net, shape, seed) in NETS.items():
        m, x = make(net, shape, seed)
        np.save(os.path.join(OUT, f"{name}-input.npy"), x.numpy().astype(np.float32))
        with torch.no_grad():
            np.save(os.path.join(OUT, f"{name}-torch-output.npy"), m(x).numpy().astype(np.float32))
        for exporter in ("torchscript", "dynamo", "dynamo-noopt"):
            if exporter == "dynamo-noopt" and name == "mlp":
                continue  # nothing to keep unfolded, and the fixtures stay small
            path = os.path.join(OUT, f"{name}-{exporter}.onnx")
            try:
                export(m, x, path, exporter)
            except Exception as e:  # noqa: BLE001 - report and go on with the other exporter
                print(f"{name} {exporter}: export failed: {type(e).__name__}: {e}".splitlines()[0], file=sys.stderr)
                if os.path.exists(path):
                    os.remove(path)
                continue
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            y = s.run(None, {s.get_inputs()[0].name: x.numpy()})[0]
            np.save(os.path.join(OUT, f"{name}-{exporter}-output.npy"), y.astype(np.float32))
            with torch.no_grad():
                err = float(np.abs(y - m(x).numpy()).max())
            print(f"{name} {exporter}: {os.path.getsize(path)} bytes, opset "
                  f"{[o.version for o in onnx.load(path).opset_import if o.domain in ('', 'ai.onnx')]}, "
                  f"ops {sorted({n.op_type for n in onnx.load(path).graph.node})}, |onnxruntime - torch| <= {err:.2e}")


if __name__ == "__main__":
    main()
