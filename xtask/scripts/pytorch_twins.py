"""PyTorch twins of five classic-cnn registry models, for the side-by-side benchmark.

`cargo xtask bench ... --compare pytorch` starts

    python xtask/scripts/pytorch_twins.py --serve

and writes one JSON request per line to its stdin, for example

    {"model": "resnet20", "target": "train", "batch": 64, "channels": 1, "size": 28,
     "classes": 10, "steps": 5, "params": 272186}

("params" is optional; when given, the twin's trainable parameter count must equal it). Each
request gets one JSON line on stdout: {"model": ..., "images_per_s": ..., "params": ...}, or
{"error": "..."} for an unknown model, a parameter-count mismatch or a malformed request. Nothing
else is written to stdout; logs go to stderr. `--list` prints every twin with its parameter count.

The measurement mirrors xtask/src/bench.rs: `train` is one warm-up step, then `steps` timed steps
of forward + cross-entropy + backward + SGD (lr 0.01, momentum 0.9, no dampening) on fresh normal
inputs and uniform integer targets (per pixel for unet_small), in train mode; `infer` is eval
mode under inference_mode, one warm-up forward, then `steps` timed forwards of one fixed input.
images/s = steps * batch / elapsed seconds.

The twins mirror model/src/lenet.rs, resnet.rs + resnet_block.rs, vgg.rs, unet.rs +
segmentation.rs and builders.rs layer for layer (same trainable parameter counts); they use
PyTorch's default initialisation, which does not change the cost of a step. Keep them in sync
with those files: a change of architecture there must be repeated here.

Python 3.11, standard library and torch only.
"""

import argparse
import json
import sys
import time

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:
    print(
        "pytorch_twins.py: PyTorch is not installed; install it with `pip install torch` "
        "(on Linux PyPI's torch wheel also pulls the nvidia-* wheels it needs, even for CPU use)",
        file=sys.stderr,
    )
    sys.exit(3)


# --- LeNet-5 (model/src/lenet.rs, modern form: ReLU, max pooling) -------------------------------


class LeNet5(nn.Module):
    def __init__(self, classes: int, channels: int, size: int):
        super().__init__()
        if size < 12:
            raise ValueError(f"LeNet-5: input size {size} is below the minimum of 12")
        pad = (max(32 - size, 0) + 1) // 2  # inputs under 32 px are zero-padded up to 32 by C1
        side = ((size + 2 * pad - 4) // 2 - 4) // 2
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=pad)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * side * side, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


# --- ResNet (model/src/resnet.rs, resnet_block.rs: basic blocks, small 3x3 stem) ----------------


def conv_bn(c_in: int, c_out: int, kernel: int, stride: int = 1) -> nn.Sequential:
    """Bias-free convolution (padding kernel // 2) followed by batch norm."""
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out),
    )


class BasicBlock(nn.Module):
    """relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); projection shortcut on shape change."""

    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        self.layer1 = conv_bn(c_in, c_out, 3, stride)
        self.layer2 = conv_bn(c_out, c_out, 3)
        self.shortcut = conv_bn(c_in, c_out, 1, stride) if stride != 1 or c_in != c_out else None

    def forward(self, x):
        identity = x if self.shortcut is None else self.shortcut(x)
        y = self.layer2(F.relu(self.layer1(x)))
        return F.relu(y + identity)


class SmallResNet(nn.Module):
    """3x3 stride-1 stem without max pool; the first unit of every stage after the first strides 2."""

    def __init__(self, widths: list[int], units: list[int], classes: int, channels: int, size: int):
        super().__init__()
        if size < 8:
            raise ValueError(f"ResNet: input {size} px is below the minimum of 8")
        self.stem = conv_bn(channels, widths[0], 3)
        blocks, c_in = [], widths[0]
        for s, (width, n) in enumerate(zip(widths, units)):
            for i in range(n):
                blocks.append(BasicBlock(c_in, width, 2 if s > 0 and i == 0 else 1))
                c_in = width
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(c_in, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


# --- VGG-11 with batch norm, small-input head (model/src/vgg.rs) --------------------------------

VGG11_STAGES = [[64], [128], [256, 256], [512, 512], [512, 512]]


class Vgg11BnSmall(nn.Module):
    def __init__(self, classes: int, channels: int, size: int):
        super().__init__()
        stages, c_in = [], channels
        for widths in VGG11_STAGES:
            units = []
            for c_out in widths:  # VGG keeps the convolution bias even before batch norm
                units += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU()]
                c_in = c_out
            stages.append(nn.Sequential(*units))
        self.stages = nn.ModuleList(stages)
        self.classifier = nn.Sequential(
            nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(512, classes),
        )

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
            if min(x.shape[-2:]) >= 2:  # small-input mode skips a pooling that would shrink 1x1
                x = F.max_pool2d(x, 2, 2)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


# --- U-Net, small form (model/src/unet.rs; segmentation.rs: base width 16, depth 3, BN) ---------


class DoubleConv(nn.Sequential):
    def __init__(self, c_in: int, c_out: int):
        super().__init__(  # batch-normalised, so the convolutions have no bias
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
        )


class UNetSmall(nn.Module):
    def __init__(self, classes: int, channels: int, size: int, base: int = 16, depth: int = 3):
        super().__init__()
        widths = [base << level for level in range(depth)]
        self.down, c_in = nn.ModuleList(), channels
        for w in widths:
            self.down.append(DoubleConv(c_in, w))
            c_in = w
        self.bottleneck = DoubleConv(c_in, base << depth)
        self.up, self.up_conv, c = nn.ModuleList(), nn.ModuleList(), base << depth
        for w in reversed(widths):
            self.up.append(nn.ConvTranspose2d(c, w, 2, stride=2))
            self.up_conv.append(DoubleConv(2 * w, w))
            c = w
        self.head = nn.Conv2d(base, classes, 1)

    def forward(self, x):
        h, w = x.shape[-2:]
        m = 1 << len(self.down)
        ph, pw = (m - h % m) % m, (m - w % m) % m
        if ph or pw:  # pad bottom/right to a multiple of 2^depth, crop the scores back
            x = F.pad(x, (0, pw, 0, ph))
        skips = []
        for block in self.down:
            x = block(x)
            skips.append(x)
            x = F.max_pool2d(x, 2, 2)
        x = self.bottleneck(x)
        for up, block in zip(self.up, self.up_conv):
            x = block(torch.cat([skips.pop(), up(x)], dim=1))
        return self.head(x)[..., :h, :w]


# --- Registry ------------------------------------------------------------------------------------

# name -> (builder(classes, channels, size), per-pixel targets?)
TWINS = {
    "lenet5": (LeNet5, False),
    "resnet20": (lambda k, c, s: SmallResNet([16, 32, 64], [3, 3, 3], k, c, s), False),
    "resnet18_small": (
        lambda k, c, s: SmallResNet([64, 128, 256, 512], [2, 2, 2, 2], k, c, s), False),
    "vgg11_bn_small": (Vgg11BnSmall, False),
    "unet_small": (UNetSmall, True),
}


def trainable_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def train_rate(model, per_pixel, batch, channels, size, classes, steps) -> float:
    model.train()
    optim = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    target_shape = (batch, size, size) if per_pixel else (batch,)

    def step():
        x = torch.randn(batch, channels, size, size)
        y = torch.randint(0, classes, target_shape)
        loss = F.cross_entropy(model(x), y)  # [B,K,H,W] vs [B,H,W]: mean over every pixel
        optim.zero_grad(set_to_none=True)
        loss.backward()
        optim.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


def infer_rate(model, batch, channels, size, steps) -> float:
    model.eval()
    with torch.inference_mode():
        x = torch.randn(batch, channels, size, size)
        model(x)
        start = time.perf_counter()
        for _ in range(steps):
            model(x)
        return steps * batch / (time.perf_counter() - start)


def positive_int(request: dict, key: str, default=None) -> int:
    value = request.get(key, default)
    if value is None:
        raise ValueError(f"missing field {key!r}")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"field {key!r} must be a positive integer, got {value!r}")
    return value


def handle(request: dict) -> dict:
    if not isinstance(request, dict):
        raise ValueError("a request must be a JSON object")
    name, target = request.get("model"), request.get("target")
    if name not in TWINS:
        raise ValueError(f"unknown model {name!r}; twins: {', '.join(TWINS)}")
    if target not in ("train", "infer"):
        raise ValueError(f"target must be 'train' or 'infer', got {target!r}")
    batch, channels, size, classes = (
        positive_int(request, k) for k in ("batch", "channels", "size", "classes"))
    steps = positive_int(request, "steps", 5)
    build, per_pixel = TWINS[name]
    torch.manual_seed(0)
    model = build(classes, channels, size)
    params = trainable_params(model)
    expected = request.get("params")
    if expected is not None and expected != params:
        raise ValueError(f"{name}: the PyTorch twin has {params} trainable parameters, "
                         f"the Rust model {expected}; pytorch_twins.py is out of sync")
    if target == "train":
        rate = train_rate(model, per_pixel, batch, channels, size, classes, steps)
    else:
        rate = infer_rate(model, batch, channels, size, steps)
    print(f"pytorch_twins: {name} {target} batch {batch}: {rate:.1f} images/s", file=sys.stderr)
    return {"model": name, "images_per_s": rate, "params": params}


def serve() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            try:
                request = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"not a JSON request: {e}") from None
            response = handle(request)
        except ValueError as e:  # bad JSON, unknown model, mismatch: answered, never fatal
            response = {"error": str(e)}
        except Exception as e:  # e.g. an input too small for the network
            response = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


def list_twins(channels: int, size: int, classes: int) -> None:
    print(f"{'model':<16} {'parameters':>12}   (input {channels}x{size}x{size}, {classes} classes)")
    for name, (build, _) in TWINS.items():
        try:
            print(f"{name:<16} {trainable_params(build(classes, channels, size)):>12,}")
        except ValueError as e:
            print(f"{name:<16} {'-':>12}   {e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--serve", action="store_true", help="answer JSON requests on stdin")
    mode.add_argument("--list", action="store_true", help="print each twin's parameter count")
    parser.add_argument("--channels", type=int, default=3, help="input channels (--list)")
    parser.add_argument("--size", type=int, default=32, help="input side in pixels (--list)")
    parser.add_argument("--classes", type=int, default=10, help="number of classes (--list)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.serve:
        serve()
    else:
        list_twins(args.channels, args.size, args.classes)


if __name__ == "__main__":
    main()
