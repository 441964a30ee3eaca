#!/usr/bin/env python3
"""Whole epochs of the plain PyTorch training loop on Fashion-MNIST, the twin of
`distill4j bench train-epoch`: tensors in memory (no DataLoader), normalised with the training
set's mean and std, a fresh permutation each epoch, batches by indexing, SGD lr 0.01 momentum 0.9,
the running loss and accuracy read per batch (as distill4j's Trainer keeps them), and the test
pass (no_grad, batches of 1000) timed apart. Same models as train_step.py. Run it with
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=N (scripts/bench-train-epoch-vs-pytorch does); prints one
JSON object, with the same keys as the Java side's, on its last line.
  train_epoch.py --model lenet --batch-size 128 --threads 2 --epochs 4 [--train-size N] [--test-size N]
"""
import argparse, json, os, statistics, sys, time

t_start = time.perf_counter()
import torch, torch.nn.functional as F
from threadpoolctl import threadpool_limits

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_step import mlp, lenet, convnet          # noqa: E402
from train_fashion import load                       # noqa: E402


# This machine sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which make OpenBLAS take slower kernels;
# scripts/pytorch-side.sh unsets them. Run by hand, say so rather than time a handicapped PyTorch.
SLOWED_BY = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
if SLOWED_BY:
    print(f"warning: {SLOWED_BY} is set: OpenBLAS runs slower kernels than this CPU's; "
          "unset it for a fair comparison (scripts/pytorch-side.sh does)", file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="lenet", choices=["mlp", "lenet", "convnet"])
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--train-size", type=int)
    p.add_argument("--test-size", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=os.environ.get("DISTILL4J_DATA", "/usr/share/datasets/fashion-mnist"))
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    xtr, ytr = load(a.data, "train")
    xte, yte = load(a.data, "t10k")
    mean, std = xtr.mean(), xtr.std()
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    if a.train_size:
        xtr, ytr = xtr[:a.train_size].contiguous(), ytr[:a.train_size].contiguous()
    if a.test_size is not None:
        xte, yte = xte[:a.test_size].contiguous(), yte[:a.test_size].contiguous()
    load_seconds = time.perf_counter() - t0
    net = {"mlp": mlp, "lenet": lenet, "convnet": convnet}[a.model]()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    epoch_s, test_s, cpu_s, losses, acc = [], [], [], [], float("nan")
    with threadpool_limits(limits=a.threads):
        for epoch in range(a.epochs):
            t0, c0 = time.perf_counter(), time.process_time()
            net.train()
            loss_sum, correct, count = 0.0, 0, 0
            for idx in torch.randperm(len(xtr)).split(a.batch_size):
                x, y = xtr[idx], ytr[idx]
                opt.zero_grad(set_to_none=True)
                logits = net(x)
                loss = F.cross_entropy(logits, y)
                loss.backward()
                opt.step()
                loss_sum += loss.item() * len(idx)
                correct += (logits.argmax(1) == y).sum().item()
                count += len(idx)
            epoch_s.append(time.perf_counter() - t0)
            cpu_s.append(time.process_time() - c0)
            losses.append(loss_sum / count)
            t0 = time.perf_counter()
            if len(xte):
                net.eval()
                with torch.no_grad():
                    acc = sum((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                              for i in range(0, len(xte), 1000)) / len(xte)
            test_s.append(time.perf_counter() - t0)
            print(f"pytorch {a.model} batch {a.batch_size}, {a.threads} threads epoch {epoch + 1}/{a.epochs}"
                  f"  loss {losses[-1]:.4f} ({epoch_s[-1]:.1f} s)  test acc {acc:.4f} ({test_s[-1]:.1f} s)",
                  file=sys.stderr, flush=True)
    steady = statistics.median(epoch_s[1:]) if len(epoch_s) > 1 else epoch_s[0]
    print(json.dumps({"side": "pytorch", "model": a.model, "batch": a.batch_size, "threads": a.threads,
                      "train_size": len(xtr), "test_size": len(xte), "epoch_seconds": epoch_s,
                      "test_seconds": test_s, "epoch_cpu_seconds": cpu_s, "epoch1": epoch_s[0], "steady": steady, "total": sum(epoch_s),
                      "losses": losses, "test_accuracy": acc, "load_seconds": load_seconds, "openblas_env": SLOWED_BY,
                      "process_seconds": time.perf_counter() - t_start}))


if __name__ == "__main__":
    main()
