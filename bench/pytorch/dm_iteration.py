#!/usr/bin/env python3
"""Times one distribution-matching iteration (Zhao and Bilen, WACV 2023) in PyTorch, written from
the paper's definition and its reference code's defaults, on Fashion-MNIST shapes: a freshly
initialised ConvNet-3 (128 wide, instance norm, average pooling; its parameters fixed), for each of
10 classes a batch of 256 real images and the class's `ipc` synthetic images, both through the same
DSA draw (strategy color_crop_cutout_flip_scale_rotate, one group per call, Siamese), the loss
sum_c ||mean embed(real) - mean embed(syn)||^2, and one SGD step (lr 1, momentum 0.5) on the images.

The real images are random tensors of Fashion-MNIST's shape (the timing does not depend on their
values). PyTorch gets its best setting here, as bench/pytorch/train_step.py: intra-op threads =
--threads, OpenBLAS threads limited with threadpoolctl; run it with OMP_WAIT_POLICY=PASSIVE.
Prints one JSON object {"seconds_per_iteration": median, ...} on its last line.
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
from threadpoolctl import threadpool_limits

# This machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which make OpenBLAS take slower kernels;
# scripts/pytorch-side.sh unsets them. Run by hand, say so rather than time a handicapped PyTorch.
SLOWED_BY = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
if SLOWED_BY:
    print(f"warning: {SLOWED_BY} is set: OpenBLAS runs slower kernels than this CPU's; "
          "unset it for a fair comparison (scripts/pytorch-side.sh does)", file=sys.stderr)


def convnet(width=128, depth=3, classes=10):
    layers, c = [], 1
    for d in range(depth):
        layers += [nn.Conv2d(c, width, 3, padding=3 if d == 0 else 1),
                   nn.GroupNorm(width, width, affine=True), nn.ReLU(), nn.AvgPool2d(2)]
        c = width
    features = nn.Sequential(*layers, nn.Flatten())
    return features, nn.Linear(width * 4 * 4, classes)


# ---- DSA, as the reference's DiffAugment with ParamDiffAug's defaults, Siamese (one draw per batch) ----

class Param:
    ratio_scale, ratio_rotate, ratio_crop_pad, ratio_cutout = 1.2, 15.0, 0.125, 0.5
    brightness, saturation, contrast, prob_flip = 1.0, 2.0, 0.5, 0.5


def seeded(state):
    torch.random.manual_seed(state[0])
    state[0] += 1


def affine(x, theta):
    theta = theta.expand(x.shape[0], 2, 3)
    grid = F.affine_grid(theta, x.shape, align_corners=True)
    return F.grid_sample(x, grid, align_corners=True)


def scale(x, p, s):
    seeded(s)
    sx = torch.rand(1) * (p.ratio_scale - 1.0 / p.ratio_scale) + 1.0 / p.ratio_scale
    seeded(s)
    sy = torch.rand(1) * (p.ratio_scale - 1.0 / p.ratio_scale) + 1.0 / p.ratio_scale
    return affine(x, torch.tensor([[[sx.item(), 0, 0], [0, sy.item(), 0]]]))


def rotate(x, p, s):
    seeded(s)
    t = ((torch.rand(1) - 0.5) * 2 * p.ratio_rotate / 180 * float(np.pi)).item()
    return affine(x, torch.tensor([[[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0]]], dtype=torch.float))


def flip(x, p, s):
    seeded(s)
    return x.flip(3) if torch.rand(1).item() < p.prob_flip else x


def color(x, p, s):
    seeded(s)
    x = x + (torch.rand(1).item() - 0.5) * p.brightness
    m = x.mean(dim=1, keepdim=True)
    seeded(s)
    x = (x - m) * (torch.rand(1).item() * p.saturation) + m
    m = x.mean(dim=[1, 2, 3], keepdim=True)
    seeded(s)
    return (x - m) * (torch.rand(1).item() + p.contrast) + m


def crop(x, p, s):
    sx, sy = int(x.size(2) * p.ratio_crop_pad + 0.5), int(x.size(3) * p.ratio_crop_pad + 0.5)
    seeded(s)
    tx = torch.randint(-sx, sx + 1, size=(1,)).item()
    seeded(s)
    ty = torch.randint(-sy, sy + 1, size=(1,)).item()
    h, w = x.size(2), x.size(3)
    pad = F.pad(x, [sy, sy, sx, sx])
    return pad[:, :, sx + tx:sx + tx + h, sy + ty:sy + ty + w]


def cutout(x, p, s):
    ch, cw = int(x.size(2) * p.ratio_cutout + 0.5), int(x.size(3) * p.ratio_cutout + 0.5)
    seeded(s)
    ox = torch.randint(0, x.size(2) + (1 - ch % 2), size=(1,)).item()
    seeded(s)
    oy = torch.randint(0, x.size(3) + (1 - cw % 2), size=(1,)).item()
    mask = torch.ones(1, 1, x.size(2), x.size(3), dtype=x.dtype)
    mask[:, :, max(0, ox - ch // 2):min(x.size(2), ox - ch // 2 + ch), max(0, oy - cw // 2):min(x.size(3), oy - cw // 2 + cw)] = 0
    return x * mask


GROUPS = [color, crop, cutout, flip, scale, rotate]


def dsa(x, seed, p=Param()):
    s = [seed]
    seeded(s)
    group = GROUPS[torch.randint(0, len(GROUPS), size=(1,)).item()]
    return group(x, p, s)


def dm_iteration(real_by_class, syn, opt, ipc, batch_real, it):
    features, _ = convnet()
    for q in features.parameters():
        q.requires_grad_(False)
    loss = torch.tensor(0.0)
    for c, pool in enumerate(real_by_class):
        real = pool[torch.randperm(pool.shape[0])[:batch_real]]
        s = syn[c * ipc:(c + 1) * ipc]
        seed = 1000 * it + c
        out_real = features(dsa(real, seed)).detach()
        out_syn = features(dsa(s, seed))
        loss = loss + torch.sum((out_real.mean(dim=0) - out_syn.mean(dim=0)) ** 2)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item() / len(real_by_class)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--threads", type=int, default=2)
    a.add_argument("--ipc", type=int, default=10)
    a.add_argument("--batch-real", type=int, default=256)
    a.add_argument("--warmup", type=int, default=2, help="untimed iterations")
    a.add_argument("--iterations", type=int, default=5, help="timed iterations (the median is reported)")
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    real = [torch.randn(args.batch_real + 44, 1, 28, 28) for _ in range(10)]
    syn = torch.randn(10 * args.ipc, 1, 28, 28, requires_grad=True)
    opt = torch.optim.SGD([syn], lr=1.0, momentum=0.5)
    times = []
    with threadpool_limits(limits=args.threads):
        for it in range(args.warmup + args.iterations):
            t0 = time.perf_counter()
            loss = dm_iteration(real, syn, opt, args.ipc, args.batch_real, it)
            if it >= args.warmup:
                times.append(time.perf_counter() - t0)
                print(f"pytorch dm iteration {it - args.warmup + 1}: {times[-1]:.2f} s (loss {loss:.4f})", flush=True)
    print(json.dumps({"seconds_per_iteration": statistics.median(times), "ipc": args.ipc, "threads": args.threads,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
