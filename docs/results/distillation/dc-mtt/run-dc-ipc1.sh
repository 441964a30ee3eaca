#!/usr/bin/env bash
# DC (gradient matching) at 1 image per class on Fashion-MNIST, ConvNet-3, in resumable stages:
# each stage is the same command with more iterations, so it resumes the shared checkpoint
# (dc-ipc1.checkpoint, written every 5 minutes and after the last iteration) and evaluates the set
# it has then (5 ConvNet-3s, 300 epochs of SGD on the 10 images, the reference's epoch_eval_train
# for DC on Fashion-MNIST). An interrupted stage is resumed by running it again.
#   docs/results/distillation/dc-mtt/run-dc-ipc1.sh STAGE_ITERATIONS...   (from the repository root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
for n in "$@"; do
  "$root/distill4j" distill --method dc --dataset fashion-mnist --ipc 1 --iterations "$n" --threads 2 \
      --models 5 --train-epochs 300 --checkpoint "$here/dc-ipc1.checkpoint" --checkpoint-minutes 5 \
      --out "$here/dc-ipc1-it$n" --json > "$here/dc-ipc1-it$n.log" 2> "$here/dc-ipc1-it$n.err"
done
