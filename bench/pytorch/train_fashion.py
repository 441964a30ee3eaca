#!/usr/bin/env python3
"""Trains the same models as `distill4j train` in PyTorch (Debian's python3-torch, CPU) on
Fashion-MNIST read from the IDX files, with the same defaults (SGD lr 0.01, momentum 0.9, batch 128,
per-channel normalisation with the training set's mean and std, PyTorch's default init), and
prints the test accuracy per epoch: the reference for distill4j's accuracy figures.
  train_fashion.py --model lenet --epochs 10 [--data /usr/share/datasets/fashion-mnist]
"""
import argparse, gzip, json, os, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from threadpoolctl import threadpool_limits

def idx(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

def load(data, split):
    x = idx(os.path.join(data, f"{split}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y = idx(os.path.join(data, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)

def model(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="lenet")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    mean, std = xtr.mean(), xtr.std()
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    net = model(a.model)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum)
    accs, t0 = [], time.perf_counter()
    with threadpool_limits(limits=a.threads):
        for epoch in range(a.epochs):
            net.train()
            for idxs in torch.randperm(len(xtr)).split(a.batch_size):
                opt.zero_grad(set_to_none=True)
                F.cross_entropy(net(xtr[idxs]), ytr[idxs]).backward()
                opt.step()
            net.eval()
            with torch.no_grad():
                acc = sum((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                          for i in range(0, len(xte), 1000)) / len(xte)
            accs.append(acc)
            print(f"epoch {epoch + 1}/{a.epochs}  test acc {acc:.4f}", flush=True)
    print(json.dumps({"model": a.model, "epochs": a.epochs, "test_accuracy": accs[-1],
                      "best_test_accuracy": max(accs), "train_seconds": time.perf_counter() - t0}))

if __name__ == "__main__":
    main()
