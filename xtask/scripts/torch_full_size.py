"""Full-size check of `cargo xtask import`, `infer --logits` and `cargo xtask export` against
torchvision, for every family (random weights: torchvision's constructors, batch-norm statistics
randomised; nothing is downloaded).

    cargo build --release -p xtask -p infer
    python xtask/scripts/torch_full_size.py --work /tmp/torch-full [--models resnet18,vgg11]

For each model: save torchvision's state dict as .pth, import it into a run folder, classify a
256x256 test PNG with `infer --logits` (the run's transform is then exactly a centre crop to 224
and the normalisation, which this script repeats in PyTorch), compare with torchvision's logits,
export the run back to .pth and load that into a fresh `torchvision.models.NAME()` with
`load_state_dict(strict=True)`. Prints one line per model (the README's figures); the work folder
is emptied model by model (VGG files are 0.5 GB each). Random ResNets (batch-norm gains up to
1.5 on every residual branch) reach logits of 1e11 at depth 152: compare the relative figure.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import torch
import torchvision
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from torch_fixtures import FULL_SIZE, randomise  # noqa: E402

torch.set_num_threads(1)

MEAN = torch.tensor([0.485, 0.456, 0.406]).reshape(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).reshape(3, 1, 1)


def build(name: str) -> torch.nn.Module:
    if name == "googlenet":
        # As torchvision builds it for its ImageNet weights: auxiliary heads kept, inputs
        # re-normalised to (x - 0.5) / 0.5 inside the network (`transform_input`).
        return torchvision.models.googlenet(init_weights=True, transform_input=True)
    if name.startswith("vgg"):
        return getattr(torchvision.models, name)(init_weights=True)
    return getattr(torchvision.models, name)()


def test_image(path: Path) -> torch.Tensor:
    """A 256x256 RGB pattern, saved as PNG; returns its centre 224 crop on the 0-1 scale."""
    yy, xx = torch.meshgrid(torch.arange(256), torch.arange(256), indexing="ij")
    rgb = torch.stack([(3 * xx + yy) % 256, (xx * yy // 7) % 256, (5 * yy + 11) % 256])
    pixels = rgb.to(torch.uint8)
    Image.fromarray(pixels.permute(1, 2, 0).numpy(), "RGB").save(path)
    return pixels.to(torch.float32)[:, 16:240, 16:240] / 255.0


def run(cmd: list) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))}: {out.stderr.strip()}")
    return out.stdout


def check(name: str, work: Path, bins: Path, image: torch.Tensor, png: Path) -> str:
    torch.manual_seed(7)
    model = build(name)
    randomise(model, 7)
    model.eval()
    weights = work / f"{name}.pth"
    torch.save(model.state_dict(), weights)
    folder = work / f"run-{name}"
    run([bins / "xtask", "import", "--model", name, "--weights", weights, "--out", folder])
    scores = json.loads(run([bins / "infer", "--run", folder, "--logits", png]))
    ours = torch.tensor(scores[0]["logits"])
    with torch.no_grad():
        theirs = model(((image - MEAN) / STD).unsqueeze(0))[0]
    diff = (ours - theirs).abs().max().item()
    exported = work / f"{name}-export.pth"
    run([bins / "xtask", "export", "--run", folder, "--format", "pth", "--out", exported])
    twin = build(name)
    twin.load_state_dict(torch.load(exported, weights_only=True), strict=True)
    twin.eval()
    with torch.no_grad():
        back = (twin(((image - MEAN) / STD).unsqueeze(0))[0] - theirs).abs().max().item()
    shutil.rmtree(folder)
    weights.unlink()
    exported.unlink()
    top = theirs.abs().max().item()
    return (f"{name}: max |logit difference| {diff:.2e}, logits up to {top:.3g} "
            f"(relative {diff / top:.1e}); export loads into torchvision.models.{name}() "
            f"strictly, its logits differ by {back:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", required=True)
    ap.add_argument("--bins", default="target/release")
    ap.add_argument("--models", default=",".join(FULL_SIZE))
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    png = work / "pattern.png"
    image = test_image(png)
    for name in args.models.split(","):
        print(check(name, work, Path(args.bins), image, png), flush=True)


if __name__ == "__main__":
    main()
