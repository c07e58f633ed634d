#!/usr/bin/env python3
"""The PyTorch peer of `npm run bench -- cpu` (bench/cpu.ts runs it as a child process).

The same three pieces of work as Holdout's side, on this machine's CPU, PyTorch at its
best setting for each, every core in use (torch.set_num_threads(os.cpu_count())):
  (a) MobileNetV2 features (torchvision, weights=None: nothing is downloaded) + global
      average pooling, 224x224, batch 16, eval, TorchScript + optimize_for_inference;
  (b) the small CNN (conv32-pool-conv64-pool-flatten-dropout-dense128-dropout-dense10)
      training on the 28x28 Fashion-MNIST images bench/cpu.ts wrote, batch 64, AdamW;
  (c) one fine-tuning step of MobileNetV2's top block at 224x224, batch 16: what
      Holdout's plan for trainableTop {blocks: 1} unfreezes (block_16's three
      convolutions and Conv_1 above it, batch norms frozen in inference mode) plus a new
      head (dropout, dense256 relu, dropout, dense10), AdamW.
Each is warmed up, then timed over --reps repetitions; the median is reported.
Progress goes to stderr; the last stdout line is one JSON object.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

BATCH_A = 16
BATCHES_PER_REP_A = 2
BATCH_B = 64
STEPS_PER_REP_B = 10
BATCH_C = 16
# Holdout's defaults (electron/engine/train/config.ts, make-optimizer.ts).
DROPOUT = 0.3
WEIGHT_DECAY = 0.01
EPSILON = 1e-7
LR_SCRATCH = 1e-3
LR_FINE_TUNE = 1e-4


def log(msg):
    print(f"[torch peer] {msg}", file=sys.stderr, flush=True)


def timed_reps(reps, fn):
    """Seconds of each of `reps` calls of fn."""
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def adamw(params, lr):
    # Holdout's AdamW decays kernels (rank >= 2) only, never biases.
    params = [p for p in params if p.requires_grad]
    return torch.optim.AdamW(
        [
            {"params": [p for p in params if p.dim() >= 2], "weight_decay": WEIGHT_DECAY},
            {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
        ],
        lr=lr,
        eps=EPSILON,
    )


def bench_inference(reps):
    features = torchvision.models.mobilenet_v2(weights=None).features
    model = nn.Sequential(features, nn.AdaptiveAvgPool2d(1), nn.Flatten()).eval()
    x = torch.rand(BATCH_A, 3, 224, 224)
    with torch.no_grad():
        fast = torch.jit.optimize_for_inference(torch.jit.script(model))
        # TorchScript's profiling executor specialises over the first calls.
        for _ in range(4):
            fast(x)
        seconds = timed_reps(reps, lambda: [fast(x) for _ in range(BATCHES_PER_REP_A)])
    return BATCH_A * BATCHES_PER_REP_A / statistics.median(seconds)


class SmallCnn(nn.Module):
    """Holdout's buildSmallCnn at 28x28x1, 10 classes: 3x3 'same' convolutions."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.drop1 = nn.Dropout(DROPOUT)
        self.dense = nn.Linear(7 * 7 * 64, 128)
        self.drop2 = nn.Dropout(DROPOUT)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.drop1(torch.flatten(x, 1))
        x = self.drop2(F.relu(self.dense(x)))
        return self.out(x)


def bench_small_cnn(reps, images_file, labels_file, count):
    pixels = np.fromfile(images_file, dtype=np.uint8, count=count * 784)
    labels = np.fromfile(labels_file, dtype=np.uint8, count=count)
    if pixels.size != count * 784 or labels.size != count:
        raise SystemExit(f"{images_file}: expected {count} images of 28x28 and {count} labels")
    x_all = torch.from_numpy(pixels.astype(np.float32) / 255.0).reshape(count, 1, 28, 28)
    y_all = torch.from_numpy(labels.astype(np.int64))
    batches = count // BATCH_B
    model = SmallCnn().train()
    opt = adamw(model.parameters(), LR_SCRATCH)
    step_no = [0]

    def step():
        b = step_no[0] % batches
        step_no[0] += 1
        x = x_all[b * BATCH_B:(b + 1) * BATCH_B]
        y = y_all[b * BATCH_B:(b + 1) * BATCH_B]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    seconds = timed_reps(reps, lambda: [step() for _ in range(STEPS_PER_REP_B)])
    return BATCH_B * STEPS_PER_REP_B / statistics.median(seconds), step()


def bench_fine_tune(reps):
    features = torchvision.models.mobilenet_v2(weights=None).features
    # features[0] is the stem, [1] Keras' expanded_conv, [2..17] block_1..block_16, [18] Conv_1.
    for p in features.parameters():
        p.requires_grad = False
    for block in (features[17], features[18]):
        for m in block.modules():
            if isinstance(m, nn.Conv2d):
                for p in m.parameters():
                    p.requires_grad = True
    head = nn.Sequential(nn.Dropout(DROPOUT), nn.Linear(1280, 256), nn.ReLU(), nn.Dropout(DROPOUT), nn.Linear(256, 10))
    model = nn.Sequential(features, nn.AdaptiveAvgPool2d(1), nn.Flatten(), head)
    model.train()
    features.eval()  # batch norm in inference mode throughout, as Holdout keeps it
    opt = adamw(model.parameters(), LR_FINE_TUNE)
    gen = torch.Generator().manual_seed(1)
    x = torch.rand(BATCH_C, 3, 224, 224, generator=gen)
    y = torch.randint(0, 10, (BATCH_C,), generator=gen)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(2):
        step()
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return statistics.median(timed_reps(reps, step)), trainable


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--images", required=True, help="raw uint8 file, count x 28 x 28")
    ap.add_argument("--labels", required=True, help="raw uint8 file, count labels 0..9")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    if args.reps < 1:
        raise SystemExit("--reps must be at least 1")
    torch.manual_seed(1)
    # Debian's torch starts with one thread here: set it explicitly (PERFORMANCE.md).
    torch.set_num_threads(args.threads)
    peer = f"torch {torch.__version__} / torchvision {torchvision.__version__}"
    log(f"{peer}, {torch.get_num_threads()} threads")

    a_ips = bench_inference(args.reps)
    log(f"(a) MobileNetV2 inference, TorchScript + optimize_for_inference: {a_ips:.1f} images/s")
    b_ips, b_loss = bench_small_cnn(args.reps, args.images, args.labels, args.count)
    log(f"(b) small CNN training: {b_ips:.0f} images/s (loss {b_loss:.3f})")
    c_step_s, c_trainable = bench_fine_tune(args.reps)
    log(f"(c) fine-tuning step: {c_step_s:.3f} s ({BATCH_C / c_step_s:.1f} images/s), {c_trainable} trainable weights")

    print(
        json.dumps(
            {
                "peer": peer,
                "threads": torch.get_num_threads(),
                "a_ips": round(a_ips, 2),
                "a_setting": "TorchScript (script) + torch.jit.optimize_for_inference, no_grad, NCHW float32",
                "b_ips": round(b_ips, 1),
                "b_setting": "eager, AdamW, F.cross_entropy on logits",
                "c_step_s": round(c_step_s, 4),
                "c_batch": BATCH_C,
                "c_ips": round(BATCH_C / c_step_s, 2),
                "c_trainable_weights": c_trainable,
                "c_setting": "eager, backbone frozen but block_16 + Conv_1 convolutions, batch norm in eval mode, AdamW",
            }
        )
    )


if __name__ == "__main__":
    main()
