#!/usr/bin/env bash
# Adaptive selection against full training (LeNet, Fashion-MNIST), resumable: each run writes
# runs/<method>-<fraction>.json (train --json's last line) when it has finished, and a run whose file
# is there is skipped. Then table.py writes results.md from the files.
#   docs/results/coreset/adaptive/run.sh                       every run of the README's table
#   docs/results/coreset/adaptive/run.sh full:1 glister:0.1    only these (method:fraction)
# DISTILL4J=/path/to/launcher runs another build (default: the repository's ./distill4j).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
launcher="${DISTILL4J:-$root/distill4j}"
epochs=10
every=2
# CORDS's MNIST recipe (configs/SL/config_*_mnist.py): SGD, lr 0.05, Nesterov momentum 0.9, weight decay
# 5e-4, cosine over the run, batch 128; a tenth of the training set held out for validation.
common=(--dataset fashion-mnist --model lenet --epochs "$epochs" --batch-size 128 --optimizer sgd --lr 0.05
        --momentum 0.9 --nesterov --weight-decay 5e-4 --schedule cosine --seed 0 --threads 2 --device cpu --json)
if [[ $# -gt 0 ]]; then
    runs=("$@")
else
    runs=(full:1 gradmatch-pb:0.1 craig-pb:0.1 glister:0.1 random-online:0.1
          gradmatch:0.1 craig:0.1 adaptive-random:0.1
          gradmatch-pb:0.3 craig-pb:0.3 glister:0.3 random-online:0.3 gradmatch:0.3 craig:0.3 adaptive-random:0.3)
fi
mkdir -p "$here/runs"
for run in "${runs[@]}"; do
    method="${run%%:*}"
    fraction="${run##*:}"
    out="$here/runs/$method-$fraction.json"
    if [[ -s "$out" ]]; then
        echo "$method $fraction: done ($out)"
        continue
    fi
    echo "$method $fraction: running ($(date -u +%H:%M:%S))"
    if nice -n 10 "$launcher" train "${common[@]}" --adaptive "$method" --fraction "$fraction" --select-every "$every" \
            > "$out.stdout" 2> "$here/runs/$method-$fraction.log"; then
        tail -n 1 "$out.stdout" > "$out.part" && mv "$out.part" "$out"
        rm -f "$out.stdout"
    else
        echo "$method $fraction: failed, see runs/$method-$fraction.log" >&2
        rm -f "$out.stdout"
    fi
done
python3 "$here/table.py" "$here"
