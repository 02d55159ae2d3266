"""PyTorch fixtures for the zoo's torchvision interoperability tests (model::interop).

    python xtask/scripts/torch_fixtures.py [--out fixtures/torch]
    python xtask/scripts/torch_fixtures.py --check-torchvision FILE --model NAME

The first form writes, under --out:

- keys/<model>.txt: every state-dict key of the full-size torchvision model with its shape
  (`key 64x3x7x7`, `scalar` for the batch-norm counters), from torchvision's own constructors
  with random initialisation (nothing is downloaded);
- <fixture>.pth or <fixture>.safetensors: a small PyTorch twin of a zoo network (LeNet-5,
  ResNet-20 and the ImageNet families at reduced width, with torchvision's module names) with
  random weights and randomised batch-norm statistics;
- <fixture>.io.safetensors: `input` (fixed images) and `logits` (the twin's scores in eval mode);
  for the training-step fixtures also `targets` and `after.<key>` (every tensor after one SGD step
  with momentum 0.9, no dampening, lr 0.1, from the same weights and batch, running stats included);
- manifest.json: for each fixture the registry model and the config changes that build our
  network of the same shape (the Rust tests read it).

--check-torchvision loads a file written by `cargo xtask export` into `torchvision.models.NAME()`
with `load_state_dict(strict=True)`; torch_full_size.py does that for every family.

Python 3.11 with torch, torchvision and safetensors; one thread (the machine is shared).
"""

import argparse
import json
import sys
from pathlib import Path

try:
    import torch
    import torchvision
    from safetensors.torch import load_file, save_file
    from torch import nn
    from torchvision.models.googlenet import BasicConv2d, Inception
    from torchvision.models.resnet import BasicBlock, Bottleneck
except ImportError as e:
    print(f"torch_fixtures.py: {e}; install torch, torchvision and safetensors", file=sys.stderr)
    sys.exit(3)

sys.path.insert(0, str(Path(__file__).parent))
from pytorch_twins import LeNet5  # noqa: E402  (the LeNet-5 twin, named conv1, conv2, fc1-3)

torch.set_num_threads(1)

FULL_SIZE = [
    "alexnet", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
    "googlenet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
]

VGG_LAYOUT = {11: [[64], [128], [256, 256], [512, 512], [512, 512]]}


class ResNetTwin(nn.Module):
    """torchvision's ResNet (same names) with chosen widths and the optional CIFAR 3x3 stem."""

    def __init__(self, block, layers, widths, classes, channels, small):
        super().__init__()
        self.inplanes = widths[0]
        if small:
            self.conv1 = nn.Conv2d(channels, widths[0], 3, 1, 1, bias=False)
        else:
            self.conv1 = nn.Conv2d(channels, widths[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.Identity() if small else nn.MaxPool2d(3, 2, 1)
        for i, (w, n) in enumerate(zip(widths, layers)):
            setattr(self, f"layer{i + 1}", self._make_layer(block, w, n, 1 if i == 0 else 2))
        self.depth = len(widths)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(widths[-1] * block.expansion, classes)

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion),
            )
        units = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        units += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*units)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.depth):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


class VggTwin(nn.Module):
    """torchvision's VGG (features.N, classifier.{0,3,6}) with widths divided by d."""

    def __init__(self, layout, bn, d, classes, channels, dropout=0.5):
        super().__init__()
        layers, c_in = [], channels
        for stage in layout:
            for w in stage:
                layers.append(nn.Conv2d(c_in, w // d, 3, padding=1))
                if bn:
                    layers.append(nn.BatchNorm2d(w // d))
                layers.append(nn.ReLU(inplace=True))
                c_in = w // d
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(7)
        h = 4096 // d
        self.classifier = nn.Sequential(
            nn.Linear(512 // d * 49, h), nn.ReLU(True), nn.Dropout(dropout),
            nn.Linear(h, h), nn.ReLU(True), nn.Dropout(dropout),
            nn.Linear(h, classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class AlexNetTwin(nn.Module):
    """torchvision's AlexNet (features.{0,3,6,8,10}, classifier.{1,4,6}) with chosen widths."""

    def __init__(self, widths, hidden, classes, channels):
        super().__init__()
        w1, w2, w3, w4, w5 = widths
        self.features = nn.Sequential(
            nn.Conv2d(channels, w1, 11, 4, 2), nn.ReLU(True), nn.MaxPool2d(3, 2),
            nn.Conv2d(w1, w2, 5, padding=2), nn.ReLU(True), nn.MaxPool2d(3, 2),
            nn.Conv2d(w2, w3, 3, padding=1), nn.ReLU(True),
            nn.Conv2d(w3, w4, 3, padding=1), nn.ReLU(True),
            nn.Conv2d(w4, w5, 3, padding=1), nn.ReLU(True), nn.MaxPool2d(3, 2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(6)
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(w5 * 36, hidden), nn.ReLU(True),
            nn.Dropout(0.5), nn.Linear(hidden, hidden), nn.ReLU(True),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


GOOGLENET_PLANS = [
    ("3a", [192, 64, 96, 128, 16, 32, 32]), ("3b", [256, 128, 128, 192, 32, 96, 64]),
    ("4a", [480, 192, 96, 208, 16, 48, 64]), ("4b", [512, 160, 112, 224, 24, 64, 64]),
    ("4c", [512, 128, 128, 256, 24, 64, 64]), ("4d", [512, 112, 144, 288, 32, 64, 64]),
    ("4e", [528, 256, 160, 320, 32, 128, 128]), ("5a", [832, 256, 160, 320, 32, 128, 128]),
    ("5b", [832, 384, 192, 384, 48, 128, 128]),
]


class GoogLeNetTwin(nn.Module):
    """torchvision's GoogLeNet (no auxiliary heads, transform_input off) with widths divided by d."""

    def __init__(self, d, classes, channels):
        super().__init__()
        self.conv1 = BasicConv2d(channels, 64 // d, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.conv2 = BasicConv2d(64 // d, 64 // d, kernel_size=1)
        self.conv3 = BasicConv2d(64 // d, 192 // d, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        for name, plan in GOOGLENET_PLANS:
            setattr(self, f"inception{name}", Inception(*[w // d for w in plan]))
        self.maxpool3 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.maxpool4 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(1024 // d, classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        for name, _ in GOOGLENET_PLANS:
            x = getattr(self, f"inception{name}")(x)
            if name == "3b":
                x = self.maxpool3(x)
            if name == "4e":
                x = self.maxpool4(x)
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


# name -> (twin builder, manifest entry for the Rust side, weights format, training step?)
FIXTURES = {
    "lenet5": (lambda: LeNet5(10, 1, 32),
               {"model": "lenet5", "in_channels": 1, "input_size": 32}, "pth", False),
    "resnet20_d4": (lambda: ResNetTwin(BasicBlock, [3, 3, 3], [4, 8, 16], 10, 3, True),
                    {"model": "resnet20", "input_size": 32, "width_divisor": 4},
                    "safetensors", False),
    "resnet18_d32": (lambda: ResNetTwin(BasicBlock, [2, 2, 2, 2], [2, 4, 8, 16], 10, 3, False),
                     {"model": "resnet18", "input_size": 32, "width_divisor": 32}, "pth", True),
    "resnet50_d32": (lambda: ResNetTwin(Bottleneck, [3, 4, 6, 3], [2, 4, 8, 16], 10, 3, False),
                     {"model": "resnet50", "input_size": 32, "width_divisor": 32}, "pth", False),
    "alexnet_d16": (lambda: AlexNetTwin([4, 12, 24, 16, 16], 32, 10, 3),
                    {"model": "alexnet", "input_size": 64, "widths": [4, 12, 24, 16, 16],
                     "hidden": 32}, "safetensors", False),
    "vgg11_d64": (lambda: VggTwin(VGG_LAYOUT[11], False, 64, 10, 3),
                  {"model": "vgg11", "input_size": 32, "width_divisor": 64}, "pth", False),
    "vgg11_bn_d64": (lambda: VggTwin(VGG_LAYOUT[11], True, 64, 10, 3, dropout=0.0),
                     {"model": "vgg11_bn", "input_size": 32, "width_divisor": 64,
                      "dropout": 0.0}, "pth", True),
    "googlenet_d8": (lambda: GoogLeNetTwin(8, 10, 3),
                     {"model": "googlenet", "input_size": 64, "width_divisor": 8},
                     "safetensors", False),
}

STEP = {"lr": 0.1, "momentum": 0.9, "batch": 4}


def randomise(model: nn.Module, seed: int) -> None:
    """Default init, then batch-norm affine and running statistics away from 1/0."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=g))
                m.bias.copy_(0.1 * torch.randn(n, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=g))
                m.running_var.copy_(0.5 + torch.rand(n, generator=g))


def shape_text(shape) -> str:
    return "x".join(str(d) for d in shape) if len(shape) else "scalar"


def write_keys(out: Path) -> None:
    keys = out / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name in FULL_SIZE:
        kwargs = {"init_weights": False} if name == "googlenet" or name.startswith("vgg") else {}
        model = getattr(torchvision.models, name)(**kwargs)
        lines = [f"{k} {shape_text(v.shape)}\n" for k, v in model.state_dict().items()]
        (keys / f"{name}.txt").write_text("".join(lines))
        print(f"keys/{name}.txt: {len(lines)} keys", file=sys.stderr)


def input_shape(entry) -> tuple:
    size = entry["input_size"]
    return (entry.get("in_channels", 3), size, size)


def write_fixture(out: Path, name: str, seed: int, manifest: dict) -> None:
    build, entry, fmt, step = FIXTURES[name]
    torch.manual_seed(seed)
    model = build()
    randomise(model, seed)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    weights = out / f"{name}.{fmt}"
    if fmt == "pth":
        torch.save(state, weights)
    else:
        save_file({k: v.contiguous() for k, v in state.items()}, weights)
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(2, *input_shape(entry), generator=g)
    model.eval()
    with torch.no_grad():
        io = {"input": x, "logits": model(x)}
    if name == "lenet5":
        # A 32x32 grey test image the Rust side writes as a PNG: pixel (y, x) = (7x + 13y) % 256.
        yy, xx = torch.meshgrid(torch.arange(32), torch.arange(32), indexing="ij")
        image = ((7 * xx + 13 * yy) % 256).to(torch.float32) / 255.0
        with torch.no_grad():
            io["image_logits"] = model(image.reshape(1, 1, 32, 32))
    if step:
        xb = torch.randn(STEP["batch"], *input_shape(entry), generator=g)
        targets = torch.randint(0, 10, (STEP["batch"],), generator=g)
        model.train()
        optim = torch.optim.SGD(model.parameters(), lr=STEP["lr"], momentum=STEP["momentum"])
        loss = nn.functional.cross_entropy(model(xb), targets)
        optim.zero_grad()
        loss.backward()
        optim.step()
        io["batch"] = xb
        io["targets"] = targets.to(torch.float32)
        io["loss"] = loss.detach().reshape(1)
        for k, v in model.state_dict().items():
            if not k.endswith("num_batches_tracked"):
                io[f"after.{k}"] = v.clone()
    save_file({k: v.contiguous() for k, v in io.items()}, out / f"{name}.io.safetensors")
    manifest[name] = {**entry, "num_classes": 10, "weights": weights.name,
                      "io": f"{name}.io.safetensors", "step": STEP if step else None}
    size = weights.stat().st_size + (out / f"{name}.io.safetensors").stat().st_size
    print(f"{name}: {len(state)} keys, {size / 1024:.0f} KiB", file=sys.stderr)


def load_state(path: str) -> dict:
    if path.endswith(".safetensors"):
        return load_file(path)
    return torch.load(path, map_location="cpu", weights_only=True)


def check_torchvision(path: str, name: str) -> None:
    kwargs = {"init_weights": False} if name == "googlenet" or name.startswith("vgg") else {}
    model = getattr(torchvision.models, name)(**kwargs)
    model.load_state_dict(load_state(path), strict=True)
    print(f"{name}: {Path(path).name} loads into torchvision.models.{name}() (strict)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="fixtures/torch")
    ap.add_argument("--check-torchvision")
    ap.add_argument("--model")
    args = ap.parse_args()
    out = Path(args.out)
    if args.check_torchvision:
        check_torchvision(args.check_torchvision, args.model)
        return
    out.mkdir(parents=True, exist_ok=True)
    write_keys(out)
    manifest = {}
    for i, name in enumerate(FIXTURES):
        write_fixture(out, name, 1000 + i, manifest)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
