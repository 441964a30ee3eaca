#!/usr/bin/env python3
"""Times one outer iteration of gradient matching (DC, Zhao, Mopuri, Bilen, ICLR 2021) in PyTorch:
the twin of `distill4j bench dc`, written from the paper's Algorithm 1 and the reference code's
definitions (ConvNet-3 of width 128 with instance norm, Fashion-MNIST shapes 1x28x28 with padding 3
on the first conv, 10 classes).

One outer iteration: a freshly initialised network; outer_loop times (get_loops: ipc 1 -> 1/1,
10 -> 10/50, 50 -> 50/10): for each class, the gradient of the cross-entropy on a real batch of
256 images of that class (detached) and on the class's synthetic images (create_graph=True), the
layer-wise distance (per output channel 1 - cos, 1-d parameters 0) summed over classes, backward to
the images, SGD step (lr 0.1, momentum 0.5); then, except after the last outer step, inner_loop
epochs of SGD (lr 0.01) on the synthetic set in batches of 256. The data are random tensors of the
same shapes (256 real images per class): the cost does not depend on the pixels.

PyTorch gets its best setting: intra-op threads = --threads, OpenBLAS limited to the same with
threadpoolctl. Run with OMP_WAIT_POLICY=PASSIVE. Prints one JSON object on its last line: wall seconds and
process CPU seconds (all threads) per iteration; on a busy shared machine the CPU seconds are the steadier figure.
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


def convnet(width=128, depth=3, channels=1, classes=10, size=28):
    layers, c, s = [], channels, size
    for d in range(depth):
        pad = 3 if (d == 0 and size == 28) else 1
        layers += [nn.Conv2d(c, width, 3, padding=pad), nn.GroupNorm(width, width, affine=True), nn.ReLU(),
                   nn.AvgPool2d(2)]
        s = (s + 2 * pad - 2) // 2
        c = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(width * s * s, classes))


def get_loops(ipc):
    return {1: (1, 1), 10: (10, 50), 20: (20, 25), 30: (30, 20), 40: (40, 15), 50: (50, 10)}[ipc]


def distance_wb(gwr, gws):
    shape = gwr.shape
    if len(shape) == 4:
        gwr = gwr.reshape(shape[0], shape[1] * shape[2] * shape[3])
        gws = gws.reshape(shape[0], shape[1] * shape[2] * shape[3])
    elif len(shape) == 3:
        gwr = gwr.reshape(shape[0], shape[1] * shape[2])
        gws = gws.reshape(shape[0], shape[1] * shape[2])
    elif len(shape) == 1:
        return torch.tensor(0, dtype=torch.float)
    return torch.sum(1 - torch.sum(gwr * gws, dim=-1) / (torch.norm(gwr, dim=-1) * torch.norm(gws, dim=-1) + 0.000001))


def match_loss(gw_syn, gw_real):
    dis = torch.tensor(0.0)
    for gr, gs in zip(gw_real, gw_syn):
        dis = dis + distance_wb(gr, gs)
    return dis


def iteration(image_syn, label_syn, optimizer_img, real_by_class, ipc, outer_loop, inner_loop, classes=10,
              batch_real=256, batch_train=256, lr_net=0.01):
    net = convnet()
    net.train()
    params = list(net.parameters())
    optimizer_net = torch.optim.SGD(net.parameters(), lr=lr_net)
    criterion = nn.CrossEntropyLoss()
    for ol in range(outer_loop):
        loss = torch.tensor(0.0)
        for c in range(classes):
            idx = torch.randperm(real_by_class[c].shape[0])[:batch_real]
            img_real = real_by_class[c][idx]
            lab_real = torch.full((img_real.shape[0],), c, dtype=torch.long)
            img_syn = image_syn[c * ipc:(c + 1) * ipc]
            lab_syn = torch.full((ipc,), c, dtype=torch.long)
            gw_real = torch.autograd.grad(criterion(net(img_real), lab_real), params)
            gw_real = [g.detach().clone() for g in gw_real]
            gw_syn = torch.autograd.grad(criterion(net(img_syn), lab_syn), params, create_graph=True)
            loss = loss + match_loss(gw_syn, gw_real)
        optimizer_img.zero_grad()
        loss.backward()
        optimizer_img.step()
        if ol == outer_loop - 1:
            break
        x_all, y_all = image_syn.detach().clone(), label_syn.clone()
        for il in range(inner_loop):
            perm = torch.randperm(x_all.shape[0])
            for b in range(0, x_all.shape[0], batch_train):
                i = perm[b:b + batch_train]
                l = criterion(net(x_all[i]), y_all[i])
                optimizer_net.zero_grad()
                l.backward()
                optimizer_net.step()
    return loss.item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ipc", type=int, default=1)
    p.add_argument("--iterations", type=int, default=3, help="timed iterations after one warm-up")
    p.add_argument("--outer-loop", type=int, default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    outer, inner = get_loops(a.ipc)
    if a.outer_loop is not None:
        outer = a.outer_loop
    real_by_class = [torch.randn(256, 1, 28, 28) for _ in range(10)]
    image_syn = torch.randn(10 * a.ipc, 1, 28, 28, requires_grad=True)
    label_syn = torch.arange(10).repeat_interleave(a.ipc)
    optimizer_img = torch.optim.SGD([image_syn], lr=0.1, momentum=0.5)
    seconds, cpu = [], []
    with threadpool_limits(limits=a.threads):
        for it in range(a.iterations + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            iteration(image_syn, label_syn, optimizer_img, real_by_class, a.ipc, outer, inner)
            s, c = time.perf_counter() - t0, time.process_time() - c0
            print(f"iteration {it + 1}/{a.iterations + 1}: {s:.2f} s, {c:.2f} CPU s"
                  + (" (warm-up, not counted)" if it == 0 else ""), flush=True)
            if it > 0:
                seconds.append(s)
                cpu.append(c)
    print(json.dumps({"ipc": a.ipc, "outer_loop": outer, "inner_loop": inner, "threads": a.threads, "seconds": seconds,
                      "cpu_seconds": cpu, "median": statistics.median(seconds)}))


if __name__ == "__main__":
    main()
