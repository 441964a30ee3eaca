#!/usr/bin/env python3
"""Summarises the JSON lines of scripts/bench-train-epoch-vs-pytorch (one per run): per model,
batch and thread count, each side's median over rounds of epoch 1, the steady epoch, all epochs
and the test pass; the ratio PyTorch / distill4j of each (above 1: distill4j faster); and each
side's 2-thread speed-up (1-thread seconds / 2-thread seconds) where both were run.
  scripts/bench-train-epoch-summary.py RUNS.jsonl [MORE.jsonl ...]
"""
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
for path in sys.argv[1:]:
    for line in open(path):
        if line.strip():
            o = json.loads(line)
            runs[(o["model"], o["batch"], o["threads"], o["train_size"], o["side"])].append(o)

def med(key, k):
    rs = runs.get(key, [])
    if not rs:
        return None
    if k == "test":
        return statistics.median(statistics.median(r["test_seconds"]) for r in rs)
    if k.startswith("cpu_"):
        c = [r["epoch_cpu_seconds"] for r in rs if r.get("epoch_cpu_seconds")]
        if not c:
            return None
        if k == "cpu_epoch1":
            return statistics.median(x[0] for x in c)
        if k == "cpu_total":
            return statistics.median(sum(x) for x in c)
        return statistics.median(statistics.median(x[1:] or x) for x in c)
    return statistics.median(r[k] for r in rs)

configs = sorted({k[:4] for k in runs}, key=lambda c: (["mlp", "lenet", "convnet"].index(c[0]) if c[0] in ("mlp", "lenet", "convnet") else 9, c[1], c[2]))
fmt = lambda v: "–" if v is None else f"{v:.2f}"
ratio = lambda a, b: "–" if a is None or b is None else f"**{b / a:.2f}**"
sides = sorted({k[4] for k in runs if k[4] != "pytorch"}, key=lambda s: (s == "distill4j", s))
print("Seconds, median over rounds: side / PyTorch = **ratio** (PyTorch seconds / side's seconds; above 1: faster than PyTorch)")
print()
print("| model | batch | threads | images/epoch | side | rounds | epoch 1 | steady epoch | all epochs | test pass | 2-thread speed-up (side, torch; steady) | CPU s: epoch 1 | CPU s: steady | CPU s: all |")
print("|---|---:|---:|---:|---|---:|---|---|---|---|---|---|---|---|")
out = {}
for c, side in [(c, s) for c in configs for s in sides]:
    m, b, t, n = c
    d, p = c + (side,), c + ("pytorch",)
    if d not in runs:
        continue
    cells = []
    for k in ("epoch1", "steady", "total", "test"):
        a, q = med(d, k), med(p, k)
        cells.append(f"{fmt(a)} / {fmt(q)} = {ratio(a, q)}")
        out.setdefault(f"{m}/{b}/{t}/{n}", {}).setdefault(k, {"pytorch": q})[side] = a
    sp = ""
    if t == 2:
        one = (m, b, 1, n)
        s = [med(one + (side,), "steady") and med(c + (side,), "steady") and med(one + (side,), "steady") / med(c + (side,), "steady")
             for side in (side, "pytorch")]
        sp = ", ".join("–" if x is None else f"{x:.2f}" for x in s)
    rounds = max(len(runs.get(d, [])), len(runs.get(p, [])))
    cpu = []
    for k in ("cpu_epoch1", "cpu_steady", "cpu_total"):
        a, q = med(d, k), med(p, k)
        cpu.append(f"{fmt(a)} / {fmt(q)} = {ratio(a, q)}")
        out.setdefault(f"{m}/{b}/{t}/{n}", {}).setdefault(k, {"pytorch": q})[side] = a
    print(f"| {m} | {b} | {t} | {n:,} | {side} | {rounds} | " + " | ".join(cells) + f" | {sp} | " + " | ".join(cpu) + " |")
hashes = defaultdict(set)
for k, rs in runs.items():
    if k[4] != "pytorch":
        for r in rs:
            hashes[(k[0], k[1], k[3])].add(r.get("params_hash"))
for k, h in sorted(hashes.items()):
    print(f"{k[0]} batch {k[1]} ({k[2]:,} images): parameters hash over all Java sides, rounds and thread counts: "
          + ", ".join(f"{x & 0xffffffff:08x}" if isinstance(x, int) else str(x) for x in sorted(h, key=str)))
print(json.dumps(out))
