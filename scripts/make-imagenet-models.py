#!/usr/bin/env python3
"""By hand, never in CI: ResNet-50 (v1.5), SqueezeNet 1.1 and DenseNet-121 as torchvision defines them, written in
plain torch (torchvision's wheel does not load with this machine's CPU torch), with seeded random weights and
non-trivial batch-norm statistics, exported to ONNX (TorchScript exporter, opset 17; the exporter folds
BatchNormalization into the convolutions in eval mode) with onnxruntime's output for one seeded input.

    pip install torch onnx onnxruntime
    python3 scripts/make-imagenet-models.py [--out models/imagenet] [--only resnet50,squeezenet1_1,densenet121]

Pretrained weights cannot be downloaded here; time, bytes and rounds do not depend on the weights, and the logits
are checked against onnxruntime on the same weights.
"""
import argparse, os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- ResNet-50 v1.5 (stride in the 3×3 convolution of each bottleneck, as torchvision) ----
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class ResNet50(nn.Module):
    def __init__(self, layers=(3, 4, 6, 3), num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._make(64, layers[0])
        self.layer2 = self._make(128, layers[1], 2)
        self.layer3 = self._make(256, layers[2], 2)
        self.layer4 = self._make(512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(2048, num_classes)

    def _make(self, planes, blocks, stride=1):
        down = None
        if stride != 1 or self.inplanes != planes * 4:
            down = nn.Sequential(nn.Conv2d(self.inplanes, planes * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(planes * 4))
        layers = [Bottleneck(self.inplanes, planes, stride, down)]
        self.inplanes = planes * 4
        layers += [Bottleneck(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# ---- SqueezeNet 1.1 ----
class Fire(nn.Module):
    def __init__(self, inplanes, squeeze, e1, e3):
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze, 1)
        self.expand1x1 = nn.Conv2d(squeeze, e1, 1)
        self.expand3x3 = nn.Conv2d(squeeze, e3, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.squeeze(x))
        return torch.cat([F.relu(self.expand1x1(x)), F.relu(self.expand3x3(x))], 1)


class SqueezeNet11(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 3, stride=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), nn.MaxPool2d(3, 2, ceil_mode=True),
            Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256), Fire(512, 64, 256, 256))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(512, num_classes, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


# ---- DenseNet-121 ----
class DenseLayer(nn.Module):
    def __init__(self, inp, growth, bn_size=4):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(inp)
        self.conv1 = nn.Conv2d(inp, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, x):
        out = self.conv1(F.relu(self.norm1(x)))
        return self.conv2(F.relu(self.norm2(out)))


class DenseBlock(nn.Module):
    def __init__(self, n, inp, growth):
        super().__init__()
        self.layers = nn.ModuleList([DenseLayer(inp + i * growth, growth) for i in range(n)])

    def forward(self, x):
        feats = [x]
        for l in self.layers:
            feats.append(l(torch.cat(feats, 1)))
        return torch.cat(feats, 1)


class Transition(nn.Module):
    def __init__(self, inp, out):
        super().__init__()
        self.norm = nn.BatchNorm2d(inp)
        self.conv = nn.Conv2d(inp, out, 1, bias=False)
        self.pool = nn.AvgPool2d(2, 2)

    def forward(self, x):
        return self.pool(self.conv(F.relu(self.norm(x))))


class DenseNet121(nn.Module):
    def __init__(self, growth=32, blocks=(6, 12, 24, 16), init=64, num_classes=1000):
        super().__init__()
        mods = [nn.Conv2d(3, init, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(init), nn.ReLU(inplace=True),
                nn.MaxPool2d(3, 2, padding=1)]
        c = init
        for i, n in enumerate(blocks):
            mods.append(DenseBlock(n, c, growth))
            c += n * growth
            if i != len(blocks) - 1:
                mods.append(Transition(c, c // 2))
                c //= 2
        mods.append(nn.BatchNorm2d(c))
        self.features = nn.Sequential(*mods)
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        x = F.relu(self.features(x))
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1))


def randomize(m, seed):
    g = torch.Generator().manual_seed(seed)
    for mod in m.modules():
        if isinstance(mod, (nn.Conv2d, nn.Linear)):
            fan_in = mod.weight[0].numel()
            mod.weight.data = torch.randn(mod.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5
            if mod.bias is not None:
                mod.bias.data = torch.randn(mod.bias.shape, generator=g) * 0.01
        elif isinstance(mod, nn.BatchNorm2d):
            c = mod.num_features
            mod.weight.data = 0.5 + torch.rand(c, generator=g)
            mod.bias.data = torch.randn(c, generator=g) * 0.1
            mod.running_mean = torch.randn(c, generator=g) * 0.1
            mod.running_var = 0.5 + torch.rand(c, generator=g)
    # keep activations in a range a trained network has (logits of a few units, not thousands): the last batch norm
    # of each residual branch scales it down, as trained ResNets' do (torchvision's zero_init_residual in the limit)
    for mod in m.modules():
        if isinstance(mod, Bottleneck):
            c = mod.bn3.num_features
            mod.bn3.weight.data = 0.05 + 0.15 * torch.rand(c, generator=g)
    if isinstance(m, ResNet50):
        m.fc.weight.data *= 0.1
    return m.eval()


MODELS = {"resnet50": (ResNet50, 224), "squeezenet1_1": (SqueezeNet11, 227), "densenet121": (DenseNet121, 224)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="models/imagenet")
    ap.add_argument("--only", default=",".join(MODELS))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    import onnxruntime as ort
    for name in a.only.split(","):
        cls, size = MODELS[name]
        m = randomize(cls(), a.seed)
        x = torch.randn((1, 3, size, size), generator=torch.Generator().manual_seed(a.seed + 1))
        path = os.path.join(a.out, name + ".onnx")
        torch.onnx.export(m, x, path, input_names=["image"], output_names=["logits"],
                          dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, opset_version=17, dynamo=False)
        y = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"image": x.numpy()})[0]
        np.save(os.path.join(a.out, name + "-input.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(a.out, name + "-ort-logits.npy"), y.astype(np.float32))
        with torch.no_grad():
            t = m(x).numpy()
        print(f"{name}: {path} ({os.path.getsize(path) / 1e6:.1f} MB), argmax {int(y.argmax())}, "
              f"logit range {float(y.min()):.3f}..{float(y.max()):.3f}, |torch - onnxruntime| {float(abs(t - y).max()):.2e}")


if __name__ == "__main__":
    main()
