#!/usr/bin/env python3
"""Writes results.md from runs/*.json (run.sh's runs): accuracy, training time with the selections in it
(wall and CPU), speed-up and accuracy drop against full training, and the selections' cost. Standard library only."""
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
runs = {}
for f in sorted((folder / "runs").glob("*.json")):
    r = json.loads(f.read_text())
    a = r["adaptive"]
    runs[(a["method"], a["fraction"])] = r

order = ["full", "gradmatch-pb", "craig-pb", "glister", "gradmatch", "craig", "random-online", "adaptive-random"]


def rank(key):
    m, f = key
    return (0 if m == "full" else f, order.index(m) if m in order else 99)


full = next((r for (m, _), r in runs.items() if m == "full"), None)


def selections(r):
    return [s for s in r["adaptive"]["selections"] if s["how"] != "uniform"]


lines = ["# Adaptive selection against full training: LeNet on Fashion-MNIST", "",
         "Written by `table.py` from `runs/*.json` (one `train --adaptive ... --json` each; see README.md).",
         "Times are the training passes with every selection inside them, test passes excluded, as CORDS",
         "times a run: wall seconds, and the process's CPU seconds (steadier on a shared machine).", ""]
lines += ["| method | fraction | test acc. (%) | drop (points) | wall s | speed-up | CPU s | CPU speed-up | selections | s per selection | CPU s per selection | selection share (wall) | selection share (CPU) |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]


def cpu_per_selection(r, sel):
    """Mean CPU seconds of the process per selection, and the selections' share of the run's CPU seconds;
    None for runs made before the trainer recorded them (or where the JVM did not report CPU time)."""
    xs = [s.get("cpu_seconds") for s in sel]
    if not sel or any(x is None for x in xs) or "train_cpu_seconds" not in r:
        return None
    total = sum(s.get("cpu_seconds") or 0 for s in r["adaptive"]["selections"])
    return sum(xs) / len(xs), total / r["train_cpu_seconds"]

for (m, f), r in sorted(runs.items(), key=lambda kv: rank(kv[0])):
    sel = selections(r)
    mean_sel = sum(s["seconds"] for s in sel) / len(sel) if sel else 0
    share = r["adaptive"]["selection_seconds"] / r["train_seconds"] if r["train_seconds"] else 0
    other = full and m != "full"
    drop = f"{100 * (full['test_accuracy'] - r['test_accuracy']):.2f}" if other else ""
    speed = f"{full['train_seconds'] / r['train_seconds']:.1f}x" if other else ""
    cpu = r.get("train_cpu_seconds", float("nan"))
    cpu_speed = f"{full['train_cpu_seconds'] / cpu:.1f}x" if other and "train_cpu_seconds" in full else ""
    frac = "all" if m == "full" else f"{100 * f:g}%"
    c = cpu_per_selection(r, sel)
    cpu_sel, cpu_share = (f"{c[0]:.1f}", f"{100 * c[1]:.0f}%") if c else ("-", "-")
    if m == "full" or not sel:
        cpu_sel, cpu_share = "", ""
    lines.append(f"| {m} | {frac} | {100 * r['test_accuracy']:.2f} | {drop} | {r['train_seconds']:.0f} | {speed} | "
                 f"{cpu:.0f} | {cpu_speed} | {len(sel)} | {mean_sel:.1f} | {cpu_sel} | {100 * share:.0f}% | {cpu_share} |")
lines += ["", "CPU s per selection: the process's CPU seconds (all threads) during each of the method's",
          "selections, recorded by the trainer since 2026-12-07 (\"-\": a run made before)."]

# The overhead of re-selecting every 20 epochs in a 200-epoch run (CORDS's setting), from each run's own
# figures: 9 selections (epochs 21, 41, ..., 181) against 200 subset epochs.
lines += ["", "Re-selecting every 20 epochs in a 200-epoch run (CORDS's setting), estimated from each run's mean",
          "wall seconds per selection and per subset epoch (its training time less its selections, per epoch):",
          "the selections' share of such a run's time.", "",
          "| method | fraction | s per selection | s per subset epoch | share at R = 20 over 200 epochs |", "|---|---:|---:|---:|---:|"]
for (m, f), r in sorted(runs.items(), key=lambda kv: rank(kv[0])):
    sel = selections(r)
    if m == "full" or not sel:
        continue
    mean_sel = sum(s["seconds"] for s in sel) / len(sel)
    epoch = (r["train_seconds"] - r["adaptive"]["selection_seconds"]) / r["epochs"]
    share = 9 * mean_sel / (200 * epoch + 9 * mean_sel)
    lines.append(f"| {m} | {100 * f:g}% | {mean_sel:.1f} | {epoch:.1f} | {100 * share:.0f}% |")
(folder / "results.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
