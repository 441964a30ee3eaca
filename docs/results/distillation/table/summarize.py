#!/usr/bin/env python3
"""Writes README.md and curves.svg in this folder from whatever cells of run.sh have finished.

    python3 docs/results/distillation/table/summarize.py

Reads eval/CELL/itN.PROTOCOL.json (one evaluate-distilled --protocol dc --json line each), the
stage folders under cells/, done/ and campaign.log. Plain Python 3, no third-party packages: the
curves are SVG written by hand (matplotlib is not installed on the development machine).
"""
import datetime
import glob
import json
import math
import os
import re
import statistics

HERE = os.path.dirname(os.path.abspath(__file__))

METHODS = ["dm", "dc", "dsa", "mtt"]
NAMES = {"dm": "DM", "dc": "DC", "dsa": "DSA", "mtt": "MTT", "random": "random real", "herding": "herding"}
IPCS = [1, 10, 50]
CELLS = {"dm": [1, 10, 50], "dc": [1, 10], "dsa": [1, 10], "mtt": [1, 10]}
# The reference implementations' iteration counts (DM main_DM.py, DC/DSA main.py, MTT distill.py defaults).
PAPER_ITERATIONS = {"dm": 20000, "dc": 1000, "dsa": 1000, "mtt": 5000}
# Published Fashion-MNIST ConvNet-3 accuracies (%), as issue 18 lists them; DM and MTT report none for Fashion-MNIST.
PUBLISHED = {("dc", 1): "70.5 +- 0.6", ("dc", 10): "82.3 +- 0.4", ("dc", 50): "83.6 +- 0.4",
             ("dsa", 1): "70.6 +- 0.6", ("dsa", 10): "84.6 +- 0.3", ("dsa", 50): "88.7 +- 0.2"}
PUBLISHED_VALUE = {("dc", 1): 70.5, ("dc", 10): 82.3, ("dsa", 1): 70.6, ("dsa", 10): 84.6}
# The DC paper's Table 1 coreset baselines on Fashion-MNIST (ConvNet, no augmentation), as we recall them:
# check against the paper before quoting.
PUBLISHED_BASELINES = {("random", 1): "51.4 +- 3.8", ("random", 10): "73.8 +- 0.7", ("random", 50): "82.5 +- 0.7",
                       ("herding", 1): "67.0 +- 1.9", ("herding", 10): "71.1 +- 0.7", ("herding", 50): "71.9 +- 0.8"}
PROTOCOLS = {
    "short": "3 networks, 300 epochs, the method's augmentation (DSA per image for DM/DSA/MTT, none for DC)",
    "full": "5 networks, the paper's epochs (1000 with DSA for DM/DSA/MTT, 300 without for DC)",
    "dc": "5 networks, 300 epochs, no augmentation (as the DC paper evaluates coresets)",
    "dsa": "3 networks, 300 epochs, DSA per image (the short protocol of the DSA-evaluated sets)",
}
COLORS = {"dm": "#1f77b4", "dc": "#d62728", "dsa": "#2ca02c", "mtt": "#9467bd", "random": "#7f7f7f", "herding": "#ff7f0e"}


def load_evals():
    """{cell: {protocol: {iteration: result}}} from eval/CELL/itN.PROTOCOL.json."""
    out = {}
    for path in sorted(glob.glob(os.path.join(HERE, "eval", "*", "it*.*.json"))):
        cell = os.path.basename(os.path.dirname(path))
        m = re.match(r"it(\d+)\.(\w+)\.json$", os.path.basename(path))
        if not m:
            continue
        with open(path) as f:
            try:
                o = json.loads(f.read())
            except ValueError:
                continue
        r = o["results"]
        accs = [100 * a for a in r["test_accuracies"]]
        res = {"mean": statistics.mean(accs), "std": statistics.stdev(accs) if len(accs) > 1 else None, "n": len(accs),
               "epochs": o["protocol"]["epoch_eval_train"], "lr": o["protocol"]["lr_net"],
               "augmentation": "none" if o["protocol"]["augmentation"] == "none" else "DSA",
               "seconds_per_model": r.get("seconds_per_model")}
        out.setdefault(cell, {}).setdefault(m.group(2), {})[int(m.group(1))] = res
    return out


def fmt(r):
    if r is None:
        return "-"
    s = "%.2f" % r["mean"]
    if r["std"] is not None:
        s += " +- %.2f" % r["std"]
    return s


def cell_summary(evals, method, ipc):
    """(best result to show, its protocol, its iteration, iterations done) for a distilled cell, or None."""
    cell = "%s-ipc%d" % (method, ipc)
    e = evals.get(cell, {})
    done = stages_done(method, ipc)
    if "full" in e:
        it = max(e["full"])
        return e["full"][it], "full", it, done
    if "short" in e:
        it = max(e["short"])
        return e["short"][it], "short", it, done
    return None, None, None, done


def stages_done(method, ipc):
    """The largest iteration count of a finished distillation stage of the cell (a folder cells/CELL-itN), or None."""
    its = []
    for d in glob.glob(os.path.join(HERE, "cells", "%s-ipc%d-it*" % (method, ipc))):
        m = re.search(r"-it(\d+)$", d)
        if m and os.path.isfile(os.path.join(d, "meta.json")):
            its.append(int(m.group(1)))
    return max(its) if its else None


def seconds_per_iteration(cell, it):
    """Seconds per iteration of the stage that reached iteration it (its log's JSON line), or None."""
    path = os.path.join(HERE, "logs", "%s-it%d.log" % (cell, it))
    if not os.path.isfile(path):
        return None
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.startswith("{")]
    if not lines:
        return None
    try:
        o = json.loads(lines[-1])
    except ValueError:
        return None
    v = o.get("seconds_per_iteration", o.get("results", {}).get("seconds_per_iteration"))
    return v if isinstance(v, (int, float)) and v == v else None


def svg_curves(evals):
    """Accuracy (short protocol) against iterations, one panel per images-per-class; baselines as flat lines."""
    w, h, pad_l, pad_r, pad_t, pad_b = 360, 300, 50, 15, 30, 45
    panels = []
    xmax_it = 20000
    def xpos(it):
        return pad_l + (w - pad_l - pad_r) * math.log10(1 + it) / math.log10(1 + xmax_it)
    for k, ipc in enumerate(IPCS):
        x0 = k * w
        lo, hi = 0.0, 100.0
        pts = []
        for method in METHODS:
            e = evals.get("%s-ipc%d" % (method, ipc), {}).get("short", {})
            if e:
                pts += [r["mean"] for r in e.values()]
        for b in ["random", "herding"]:
            for proto in ("dc", "dsa"):
                r = evals.get("%s-ipc%d" % (b, ipc), {}).get(proto, {}).get(0)
                if r:
                    pts.append(r["mean"])
        if pts:
            lo = max(0.0, math.floor(min(pts) / 10) * 10 - 10)
            hi = min(100.0, math.ceil(max(pts + [PUBLISHED_VALUE.get(("dsa", ipc), 0)]) / 10) * 10 + 5)
        def ypos(a):
            return pad_t + (h - pad_t - pad_b) * (hi - a) / (hi - lo)
        g = ['<g transform="translate(%d,0)">' % x0,
             '<text x="%d" y="18" font-size="13" text-anchor="middle">%d image%s per class</text>'
             % (w // 2, ipc, "" if ipc == 1 else "s"),
             '<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>'
             % (pad_l, pad_t, w - pad_l - pad_r, h - pad_t - pad_b)]
        for t in range(int(lo), int(hi) + 1, 10):
            g.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (pad_l, w - pad_r, ypos(t), ypos(t)))
            g.append('<text x="%d" y="%.1f" font-size="10" text-anchor="end">%d</text>' % (pad_l - 4, ypos(t) + 3, t))
        for it in [0, 10, 100, 1000, 10000]:
            g.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/>' % (xpos(it), xpos(it), pad_t, h - pad_b))
            g.append('<text x="%.1f" y="%d" font-size="10" text-anchor="middle">%d</text>' % (xpos(it), h - pad_b + 13, it))
        g.append('<text x="%d" y="%d" font-size="11" text-anchor="middle">iterations (log scale of 1 + it)</text>'
                 % ((w + pad_l) // 2, h - 10))
        if k == 0:
            g.append('<text x="12" y="%d" font-size="11" transform="rotate(-90 12 %d)" text-anchor="middle">'
                     'test accuracy %%</text>' % (h // 2, h // 2))
        for b in ["random", "herding"]:
            r = evals.get("%s-ipc%d" % (b, ipc), {}).get("dc", {}).get(0)
            if r:
                g.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="5,3"/>'
                         % (pad_l, w - pad_r, ypos(r["mean"]), ypos(r["mean"]), COLORS[b]))
        for method in ["dc", "dsa"]:
            v = PUBLISHED_VALUE.get((method, ipc))
            if v:
                g.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="1,3" stroke-width="2"/>'
                         % (pad_l, w - pad_r, ypos(v), ypos(v), COLORS[method]))
        for method in METHODS:
            e = evals.get("%s-ipc%d" % (method, ipc), {}).get("short", {})
            if not e:
                continue
            its = sorted(e)
            path = " ".join("%.1f,%.1f" % (xpos(i), ypos(e[i]["mean"])) for i in its)
            g.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>' % (path, COLORS[method]))
            for i in its:
                g.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (xpos(i), ypos(e[i]["mean"]), COLORS[method]))
        g.append("</g>")
        panels.append("\n".join(g))
    legend = []
    lx = 10
    for key, label, dash in [("dm", "DM", ""), ("dc", "DC", ""), ("dsa", "DSA", ""), ("mtt", "MTT", ""),
                             ("random", "random real (dc protocol)", "5,3"), ("herding", "herding (dc protocol)", "5,3"),
                             ("dc", "DC published", "1,3"), ("dsa", "DSA published", "1,3")]:
        legend.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                      % (lx, lx + 22, h + 12, h + 12, COLORS[key], ' stroke-dasharray="%s"' % dash if dash else ""))
        legend.append('<text x="%d" y="%d" font-size="11">%s</text>' % (lx + 26, h + 16, label))
        lx += 32 + 7 * len(label)
    total_w = w * len(IPCS)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">\n'
            '<rect width="100%%" height="100%%" fill="white"/>\n%s\n%s\n</svg>\n'
            % (total_w, h + 30, "\n".join(panels), "\n".join(legend)))


def campaign_tail(n=8):
    path = os.path.join(HERE, "campaign.log")
    if not os.path.isfile(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n") for l in f.readlines()[-n:]]


def grid_link(folder):
    rel = os.path.relpath(os.path.join(folder, "grid.png"), HERE)
    return "[grid](%s)" % rel if os.path.isfile(os.path.join(folder, "grid.png")) else "-"


def main():
    evals = load_evals()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = []
    L.append("# Issue 18's table: DM, DC, DSA and MTT on Fashion-MNIST (ConvNet-3), beside random and herding")
    L.append("")
    L.append("Written by [summarize.py](summarize.py) at %s from the cells that [run.sh](run.sh) had finished then; "
             "**a campaign in progress**: cells marked \"not yet\" have not run, and every figure is at the iteration count "
             "the table gives, far below the papers' in most cells. Made on this project's 2-core development machine "
             "(CPU backend, float32), the campaign under `nice -n 19` beside other sessions' work: an AMD Zen 5 "
             "until 2026-12-07 20:38 UTC, then an Intel Xeon, with 512-bit kernels on both (run.sh pins the width, and "
             "a run's bits depend on the width, not the CPU), except the first 4 epochs of the first MTT expert, "
             "trained at 256 bits, the default of the build then running on the Intel (see campaign.log)." % now)
    L.append("")
    L.append("To continue the campaign (finished stages are skipped; an interrupted distillation resumes from its "
             "checkpoint, the experts from their last epoch, an evaluation from its last network) and refresh this page, "
             "from the repository root:")
    L.append("")
    L.append("```")
    L.append("nohup nice -n 19 docs/results/distillation/table/run.sh >> docs/results/distillation/table/nohup.out 2>&1 &")
    L.append("python3 docs/results/distillation/table/summarize.py")
    L.append("```")
    L.append("")
    L.append("## Distilled sets")
    L.append("")
    L.append("Test accuracy (%%, full 10,000-image test set), mean +- sample std over the protocol's networks, of the "
             "last evaluated stage of each cell. Protocols: **full** = %s; **short** = %s." % (PROTOCOLS["full"], PROTOCOLS["short"]))
    L.append("")
    L.append("| method | images per class | ours | protocol | iterations (of the paper's) | published | grid |")
    L.append("|---|---|---|---|---|---|---|")
    for method in METHODS:
        for ipc in CELLS[method]:
            r, proto, it, done = cell_summary(evals, method, ipc)
            pub = PUBLISHED.get((method, ipc), "-")
            if r is None:
                ours = "not yet" if done is None else "not yet evaluated (%d iterations distilled)" % done
                L.append("| %s | %d | %s | - | %s | %s | - |" % (NAMES[method], ipc, ours,
                         "-" if done is None else "%d of %d" % (done, PAPER_ITERATIONS[method]), pub))
                continue
            folder = os.path.join(HERE, "cells", "%s-ipc%d-it%d" % (method, ipc, it))
            extra = ""
            if method == "mtt":
                extra = ", lr %.4g (learned)" % r["lr"]
            L.append("| %s | %d | %s | %s (%d nets, %d epochs, %s%s) | %d of %d | %s | %s |"
                     % (NAMES[method], ipc, fmt(r), proto, r["n"], r["epochs"], r["augmentation"], extra, it,
                        PAPER_ITERATIONS[method], pub, grid_link(folder)))
    L.append("")
    L.append("Published figures: DC (Zhao et al. ICLR 2021) and DSA (Zhao and Bilen ICML 2021) on Fashion-MNIST, "
             "ConvNet-3, 20 networks of the full protocol; the DM and MTT papers report no Fashion-MNIST figure.")
    L.append("")
    L.append("## Coreset baselines (real images, the same protocol)")
    L.append("")
    L.append("Random: a seeded random choice per class. Herding: per class, greedily the images whose mean embedding "
             "comes closest to the class mean, in the embedding (penultimate layer) of a ConvNet-3 trained 1 epoch on all "
             "60,000 training images (SGD 0.01, momentum 0.9, batch 256); the DC paper's herding uses the features of a "
             "ConvNet trained on the whole set too. Sets at 1/10/50 per class are nested (the first N of each class's "
             "order). Protocols: **dc** = %s; **dsa** = %s." % (PROTOCOLS["dc"], PROTOCOLS["dsa"]))
    L.append("")
    hmeta = os.path.join(HERE, "cells", "baselines", "herding-ipc1", "meta.json")
    if os.path.isfile(hmeta):
        with open(hmeta) as f:
            feats = json.load(f).get("settings", {}).get("features", {})
        if "test_accuracy" in feats:
            L.append("The feature ConvNet-3 of herding reached %.2f%% test accuracy after its epoch." % (100 * feats["test_accuracy"]))
            L.append("")
    L.append("| baseline | images per class | dc protocol | dsa protocol | DC paper (Table 1, to be checked) | grid |")
    L.append("|---|---|---|---|---|---|")
    for b in ["random", "herding"]:
        for ipc in IPCS:
            e = evals.get("%s-ipc%d" % (b, ipc), {})
            L.append("| %s | %d | %s | %s | %s | %s |" % (NAMES[b], ipc, fmt(e.get("dc", {}).get(0)) if e.get("dc") else "not yet",
                     fmt(e.get("dsa", {}).get(0)) if e.get("dsa") else "not yet", PUBLISHED_BASELINES[(b, ipc)],
                     grid_link(os.path.join(HERE, "cells", "baselines", "%s-ipc%d" % (b, ipc)))))
    L.append("")
    L.append("## Accuracy against iterations")
    L.append("")
    with open(os.path.join(HERE, "curves.svg"), "w") as f:
        f.write(svg_curves(evals))
    L.append("![accuracy against iterations](curves.svg)")
    L.append("")
    L.append("Short protocol at every stage (solid); random real and herding under the dc protocol (dashed); the DC and "
             "DSA papers' figures (dotted). Every point (times are wall-clock seconds on the shared machine, under "
             "`nice -n 19`: they say how long the campaign took, not what the code costs on an idle machine):")
    L.append("")
    L.append("| cell | iteration | protocol | test accuracy % | seconds per network | seconds per iteration of the stage | grid |")
    L.append("|---|---|---|---|---|---|---|")
    for method in METHODS:
        for ipc in CELLS[method]:
            cell = "%s-ipc%d" % (method, ipc)
            for proto in ("short", "full"):
                for it in sorted(evals.get(cell, {}).get(proto, {})):
                    r = evals[cell][proto][it]
                    spi = seconds_per_iteration(cell, it)
                    L.append("| %s | %d | %s | %s | %s | %s | %s |" % (cell, it, proto, fmt(r),
                             "%.0f" % r["seconds_per_model"] if r["seconds_per_model"] else "-",
                             "%.1f" % spi if spi is not None and proto == "short" else "-",
                             grid_link(os.path.join(HERE, "cells", "%s-it%d" % (cell, it)))))
    L.append("")
    L.append("## Budgets (what run.sh runs, in this order)")
    L.append("")
    L.append("Round 1, cheap first: the six baseline sets, evaluated at 1 and 10 per class (dc protocol); DM ipc 1 at "
             "0, 100, 200, 500, 1000 iterations; DC and DSA ipc 1 at 10, 25, 50, 100; the baselines at 1 and 10 "
             "under the dsa protocol; DM ipc 10 at 0, 100, 200, 500. Then a first point in every other cell before any "
             "cell goes further: DC and DSA ipc 10 at 2; DM ipc 50 at 0 and 100; 3 experts of 10 epochs, then MTT ipc 1 and ipc "
             "10 at 50 (moved before the next item on 2026-12-08: MTT had no point yet); the baselines at 50 (dc, then dsa "
             "protocol). Then DM ipc 10 at 1000; MTT ipc 1 at 100, 200, 500; "
             "DM ipc 50 at 200; MTT ipc 10 at 100, 200, 500; DC and DSA ipc 10 at 5, 10; then the full protocol on the "
             "last stage of each of those cells. Round 2: DM to 2000, 5000, 10000, 20000 (ipc 1, 10) and 500, 1000, 2000 "
             "(ipc 50); DC and DSA ipc 1 to 200, 500, 1000; MTT to 1000, 2000, 5000; DC and DSA ipc 10 to 20, 50. Each "
             "stage resumes its cell's checkpoint and is evaluated with the short protocol.")
    L.append("")
    L.append("Settings: the reference defaults of each method (every flag of `distill --help`) except: DC starts from "
             "noise (`--init noise`, the DC README's command) and DSA from real images (`--init real`, the DSA README's "
             "command); MTT matches a small expert set (3 experts of 10 epochs, DSA, instead of 100 of 50: about 300 hours on "
             "this machine) with the MTT README's CIFAR-10 settings (it has none for Fashion-MNIST): ipc 1 syn-steps 50, "
             "expert-epochs 2, max-start-epoch 2, lr-lr 1e-7; ipc 10 syn-steps 30, expert-epochs 2, max-start-epoch 8 "
             "(20 there; our experts have 10 epochs), lr-lr 1e-5; lr-img 1000 and lr-teacher 0.01 for both; its sets "
             "are evaluated with the rate they learned (the reference sets `lr_net` to `syn_lr`). "
             "DM, DC and DSA evaluations during a run are off (`--eval-every 0`, `--train-epochs 0`); every evaluation "
             "is a separate `evaluate-distilled --protocol dc` on a stage's folder.")
    L.append("")
    L.append("## Commands")
    L.append("")
    L.append("```")
    L.append("# from the repository root; resumable: re-running continues where it stopped (finished stages are skipped)")
    L.append("nohup nice -n 19 docs/results/distillation/table/run.sh >> docs/results/distillation/table/nohup.out 2>&1 &")
    L.append("python3 docs/results/distillation/table/summarize.py     # this page and curves.svg")
    L.append("```")
    L.append("")
    L.append("The commands each stage ran are in run.sh (functions `baselines`, `dm`, `matching`, `experts`, `mtt`, "
             "`evaluate`); each stage's stdout and stderr are in `logs/`, each distilled folder's `meta.json` holds its "
             "own command line, and each `eval/CELL/itN.PROTOCOL.json` is the JSON line of its `evaluate-distilled`. "
             "For example, DM at 10 images per class to 1000 iterations and its short evaluation:")
    L.append("")
    L.append("```")
    L.append("distill4j distill --method dm --dataset fashion-mnist --ipc 10 --iterations 1000 --eval-every 0 \\")
    L.append("    --checkpoint-minutes 10 --seed 0 --device cpu --threads 2 --out cells/dm-ipc10 --json")
    L.append("distill4j evaluate-distilled --protocol dc --num-eval 3 --epoch-eval-train 300 --device cpu --threads 2 \\")
    L.append("    --json cells/dm-ipc10-it1000      # a copy of cells/dm-ipc10 made when it reached 1000")
    L.append("distill4j baseline-sets --dataset fashion-mnist --model convnet --methods random,herding --ipc 1,10,50 \\")
    L.append("    --feature-epochs 1 --seed 0 --device cpu --threads 2 --out cells/baselines --json")
    L.append("```")
    L.append("")
    L.append("## Campaign state")
    L.append("")
    L.append("Stages finished: %d (`done/`), evaluations: %d (`eval/`). Last lines of `campaign.log`:"
             % (len(os.listdir(os.path.join(HERE, "done"))) if os.path.isdir(os.path.join(HERE, "done")) else 0,
                len(glob.glob(os.path.join(HERE, "eval", "*", "*.json")))))
    L.append("")
    L.append("```")
    L.extend(campaign_tail())
    L.append("```")
    L.append("")
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
