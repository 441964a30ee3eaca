#!/usr/bin/env python3
"""Times one training step (forward, backward, SGD-momentum update) at batch 256 in PyTorch for the
same three models as `distill4j bench train` (mlp 784-256-10, the Dataset Distillation LeNet, the
DC/DM/MTT ConvNet-3 with instance norm), on Fashion-MNIST-shaped random input.

PyTorch is given its best setting on this machine: intra-op threads = --threads, OpenBLAS threads
limited to the same number with threadpoolctl (Debian's torch sends Linear/matmul to OpenBLAS,
whose threads torch.set_num_threads does not control). Run it with OMP_WAIT_POLICY=PASSIVE, which
helps on 2 cores. Prints one JSON object (images/s per model) on its last line.
"""
import argparse
import json
import os
import statistics
import sys
import time

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


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def convnet(width=128, depth=3):
    layers, c = [], 1
    for d in range(depth):
        layers += [nn.Conv2d(c, width, 3, padding=3 if d == 0 else 1),
                   nn.GroupNorm(width, width, affine=True), nn.ReLU(), nn.AvgPool2d(2)]
        c = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(width * 4 * 4, 10))


def images_per_second(model, warmup, steps, batch=256):
    x = torch.randn(batch, 1, 28, 28)
    y = torch.arange(batch) % 10
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        step()
    # At least `steps` steps and at least 2 s of them, as TrainStepBench does.
    times = []
    end = time.perf_counter() + 2.0
    while len(times) < steps or time.perf_counter() < end:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return batch / statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--steps", type=int, default=20)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    out = {}
    with threadpool_limits(limits=args.threads):
        for name, make in (("mlp", mlp), ("lenet", lenet), ("convnet", convnet)):
            out[name] = images_per_second(make(), args.warmup, args.steps)
            print(f"pytorch {name}: {out[name]:.0f} images/s", flush=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
