#!/usr/bin/env bash
# Issue 18's results table: DM at 1/10/50 images per class, DC and DSA at 1 and 10, MTT at 1 and
# 10, random-real and herding baselines at 1/10/50, Fashion-MNIST, ConvNet-3, evaluated with the
# papers' protocol (evaluate-distilled --protocol dc). One resumable campaign: every stage leaves a
# marker (done/STAGE) or a result file (eval/CELL/*.json) and is skipped when it is there, and an
# interrupted distillation resumes from its checkpoint, so running this script again continues
# where it stopped. Cheap cells first; each cell in stages of growing iteration counts, each stage
# evaluated (a point of the accuracy-vs-iterations curve). Budgets and protocols: README.md.
#
#   docs/results/distillation/table/run.sh           (from anywhere; runs to the end, for days)
#   nohup nice -n 19 docs/results/distillation/table/run.sh >> docs/results/distillation/table/nohup.out 2>&1 &
#   python3 docs/results/distillation/table/summarize.py   (any time: the table of what has finished)
#
# The jars are copied once into .jars (ignored by git) and run from there, so that rebuilding the
# working tree cannot disturb a campaign of days; delete .jars by hand to run a newer build.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cells="$here/cells"
evals="$here/eval"
logs="$here/logs"
done_dir="$here/done"
jars="$here/.jars"
threads="${THREADS:-2}"
dataset="${DATASET:-fashion-mnist}"
mkdir -p "$cells" "$evals" "$logs" "$done_dir"
exec 9> "$here/.lock"
flock -n 9 || { echo "run.sh: another campaign holds $here/.lock" >&2; exit 1; }

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" | tee -a "$here/campaign.log"; }

if [[ ! -d "$jars" ]]; then
    "$root/distill4j" --version >/dev/null || { say "build failed"; exit 2; }
    rm -rf "$jars.tmp"
    mkdir -p "$jars.tmp"
    cp "$root"/cli/target/distill4j-cli-*.jar "$root"/cli/target/lib/*.jar "$jars.tmp"/
    git -C "$root" rev-parse HEAD > "$jars.tmp/COMMIT"
    mv "$jars.tmp" "$jars"
fi
# The kernels' vector width is pinned (VECTOR_BITS, 512 unless set): a run's bits depend on the width, not on
# the CPU, so every stage rounds the same on any machine with 512-bit vectors. The campaign began on an AMD
# Zen 5, where 512 is the default; on an Intel Xeon (default 256) the same stages give the same bits at 512
# (a ConvNet-3 training run: the same parameters hash on both), and ConvNet-3 runs faster there too.
vector_bits="${VECTOR_BITS:-512}"
d4j() {
    # 9>&-: the lock stays with this script, so a campaign stopped by killing it can be started again at once.
    java -Xmx6g --add-modules jdk.incubator.vector -Ddistill4j.vector.bits="$vector_bits" -cp "$jars/*" \
        org.distill4j.cli.Main "$@" 9>&-
}

# stage NAME COMMAND...: runs COMMAND once (stdout logs/NAME.log, stderr logs/NAME.err); done/NAME marks it done.
stage() {
    local name="$1"
    shift
    [[ -f "$done_dir/$name" ]] && return 0
    say "start $name"
    if "$@" > "$logs/$name.log" 2> "$logs/$name.err"; then
        touch "$done_dir/$name"
        say "done $name"
    else
        say "FAILED $name (exit $?; see logs/$name.err); the rest of this cell is skipped"
        return 1
    fi
}

# The protocols (evaluate-distilled --protocol dc; fresh ConvNet-3s, SGD momentum 0.9, weight decay
# 5e-4, lr x0.1 after half the epochs, batch 256), each given in full (augmentation and epochs named,
# not left to evaluate-distilled's reading of meta.json):
#   short: 3 networks, 300 epochs, the method's augmentation (DSA per image for DM/DSA/MTT, none for DC)
#   full:  5 networks, the paper's epochs and augmentation (1000 with DSA for DM/DSA/MTT, 300 without for DC)
#   dc:    baselines as the DC paper evaluates them: 5 networks, 300 epochs, no augmentation
#   dsa:   baselines as the short protocol of DM/DSA/MTT: 3 networks, 300 epochs, DSA per image
# protocol_flags PROTOCOL CELL
protocol_flags() {
    local aug=dsa epochs=1000
    case "$2" in dc-*|random-*|herding-*) aug=none; epochs=300 ;; esac
    case "$1" in
        short) echo "--num-eval 3 --epoch-eval-train 300 --eval-augment $aug" ;;
        full) echo "--num-eval 5 --epoch-eval-train $epochs --eval-augment $aug" ;;
        dc) echo "--num-eval 5 --epoch-eval-train 300 --eval-augment none" ;;
        dsa) echo "--num-eval 3 --epoch-eval-train 300 --eval-augment dsa" ;;
    esac
}

# evaluate CELL TAG PROTOCOL DIR [EXTRA...]: eval/CELL/TAG.PROTOCOL.json (the command's JSON line) unless there.
# Each finished network is recorded in eval/CELL/TAG.PROTOCOL.journal, so an interrupted evaluation goes on
# from its last network (evaluate-distilled --journal; the same result as an uninterrupted run).
evaluate() {
    local cell="$1" tag="$2" proto="$3" dir="$4"
    shift 4
    local out="$evals/$cell/$tag.$proto.json"
    [[ -f "$out" ]] && return 0
    mkdir -p "$evals/$cell"
    local name="eval-$cell-$tag.$proto"
    say "start $name"
    # shellcheck disable=SC2046
    if d4j evaluate-distilled --protocol dc $(protocol_flags "$proto" "$cell") "$@" --device cpu --threads "$threads" --json \
            --journal "$evals/$cell/$tag.$proto.journal" "$dir" \
            > "$logs/$name.log" 2> "$logs/$name.err"; then
        tail -n 1 "$logs/$name.log" > "$out.tmp" && mv "$out.tmp" "$out"
        say "done $name: $(grep -o '"test_accuracy_mean": *[0-9.]*' "$out")"
    else
        say "FAILED $name (see logs/$name.err)"
        return 1
    fi
}

# An MTT set is evaluated with the rate it learned (the reference sets lr_net to syn_lr).
learned_lr() {
    python3 -c "import numpy, sys; print(float(numpy.load(sys.argv[1])[0]))" "$1/lrs.npy"
}

# Iterations done by the DM run in DIR (-1 if none).
dm_progress() {
    python3 -c "
import json, sys
try:
    print(json.load(open(sys.argv[1] + '/meta.json'))['progress']['iteration'])
except Exception:
    print(-1)" "$1"
}

# A copy of a finished DM stage (the run folder moves on), made under a temporary name then renamed.
snapshot() {
    local from="$1" to="$2"
    [[ -d "$to" ]] && return 0
    rm -rf "$to.tmp"
    mkdir "$to.tmp" && cp "$from"/images.npy "$from"/labels.npy "$from"/lrs.npy "$from"/meta.json "$from"/grid.png "$to.tmp"/ \
        && mv "$to.tmp" "$to"
}

# The six baseline sets (random and herding, 1/10/50 per class). Herding in the embedding of a ConvNet-3
# trained 1 epoch on the 60,000 training images (SGD 0.01, momentum 0.9, batch 256).
baseline_sets() {
    stage baselines d4j baseline-sets --dataset "$dataset" --model convnet --methods random,herding --ipc 1,10,50 \
        --feature-epochs 1 --seed 0 --device cpu --threads "$threads" --out "$cells/baselines" --json
}

# baselines PROTOCOL IPC...: evaluate the random and herding sets of those sizes under PROTOCOL (dc or dsa).
baselines() {
    local proto="$1" ipc m
    shift
    baseline_sets || return
    for ipc in "$@"; do
        for m in random herding; do
            evaluate "$m-ipc$ipc" it0 "$proto" "$cells/baselines/$m-ipc$ipc" || return
        done
    done
}

# dm IPC ITERATIONS...: DM with the reference defaults (init real, lr_img 1, momentum 0.5, batch_real 256, DSA).
dm() {
    local ipc="$1" n
    shift
    local run="$cells/dm-ipc$ipc"
    for n in "$@"; do
        local snap="$cells/dm-ipc$ipc-it$n"
        if [[ ! -d "$snap" ]]; then
            # A finished run asked for the iterations it has would start afresh: skip the command then.
            if [[ "$(dm_progress "$run")" != "$n" ]]; then
                stage "dm-ipc$ipc-it$n" d4j distill --method dm --dataset "$dataset" --ipc "$ipc" --iterations "$n" \
                    --eval-every 0 --checkpoint-minutes 10 --seed 0 --device cpu --threads "$threads" --out "$run" --json || return
            fi
            [[ "$(dm_progress "$run")" == "$n" ]] || { say "dm-ipc$ipc: the run is not at iteration $n; stopping this cell"; return 1; }
            snapshot "$run" "$snap" || return
        fi
        evaluate "dm-ipc$ipc" "it$n" short "$snap" || return
    done
}

# matching METHOD IPC ITERATIONS...: DC (init noise, the DC README's command) or DSA (init real, the DSA
# README's command); loops by get_loops; one checkpoint per cell, one output folder per stage.
matching() {
    local method="$1" ipc="$2" n
    shift 2
    local init=noise
    [[ "$method" == dsa ]] && init=real
    for n in "$@"; do
        local out="$cells/$method-ipc$ipc-it$n"
        stage "$method-ipc$ipc-it$n" d4j distill --method "$method" --dataset "$dataset" --ipc "$ipc" --iterations "$n" \
            --init "$init" --train-epochs 0 --checkpoint "$cells/$method-ipc$ipc.checkpoint" --checkpoint-minutes 10 --seed 0 \
            --device cpu --threads "$threads" --out "$out" --json || return
        evaluate "$method-ipc$ipc" "it$n" short "$out" || return
    done
}

# A small expert set for MTT (the reference trains 100 experts of 50 epochs: about 300 hours here):
# 3 experts of 10 epochs, DSA per image, SGD 0.01 (buffer.py's defaults otherwise).
experts() {
    stage experts d4j experts --dataset "$dataset" --model convnet --experts 3 --epochs 10 --seed 0 \
        --device cpu --threads "$threads" --out "$cells/experts" --json
}

# mtt IPC ITERATIONS...: the MTT README's CIFAR-10 settings for that size (it gives none for Fashion-MNIST):
# ipc 1: syn_steps 50, expert_epochs 2, max_start_epoch 2, lr_lr 1e-7; ipc 10: syn_steps 30, expert_epochs 2,
# max_start_epoch 20 (here 8: the experts have 10 epochs), lr_lr 1e-5; lr_img 1000, lr_teacher 0.01, init real.
mtt() {
    local ipc="$1" n
    shift
    local syn=30 start=8 lrlr=1e-05
    [[ "$ipc" == 1 ]] && { syn=50; start=2; lrlr=1e-07; }
    for n in "$@"; do
        local out="$cells/mtt-ipc$ipc-it$n"
        stage "mtt-ipc$ipc-it$n" d4j distill --method mtt --experts "$cells/experts" --dataset "$dataset" --ipc "$ipc" \
            --iterations "$n" --syn-steps "$syn" --expert-epochs 2 --max-start-epoch "$start" --lr-lr "$lrlr" --train-epochs 0 \
            --checkpoint "$cells/mtt-ipc$ipc.checkpoint" --checkpoint-minutes 10 --seed 0 --device cpu --threads "$threads" \
            --out "$out" --json || return
        evaluate "mtt-ipc$ipc" "it$n" short "$out" --lr-net "$(learned_lr "$out")" || return
    done
}

# full CELL TAG DIR [EXTRA...]: the paper's protocol (5 networks, the paper's epochs) on one stage's set.
full() {
    [[ -d "$3" ]] || return 0
    evaluate "$1" "$2" full "$3" "${@:4}"
}

# The whole campaign is one function, read by bash before it starts: editing this file while a campaign
# runs does not change the running one.
campaign() {
    say "campaign: $(cat "$jars/COMMIT") jars, $threads threads, $vector_bits-bit kernels"
    # Round 1, cheap first.
    baselines dc 1 10
    dm 1 0 100 200 500 1000
    matching dc 1 10 25 50 100
    matching dsa 1 10 25 50 100
    baselines dsa 1 10
    dm 10 0 100 200 500
    # A first point in every cell of the table before any cell goes further; the cells that do not wait
    # for the experts (hours on a CPU) first.
    matching dc 10 2
    matching dsa 10 2
    dm 50 0 100
    experts && mtt 1 50
    experts && mtt 10 50
    baselines dc 50
    baselines dsa 50
    dm 10 1000
    experts && mtt 1 100 200 500
    dm 50 200
    experts && mtt 10 100 200 500
    matching dc 10 5 10
    matching dsa 10 5 10
    # The paper's protocol on the last set of round 1.
    full dm-ipc1 it1000 "$cells/dm-ipc1-it1000"
    full dm-ipc10 it1000 "$cells/dm-ipc10-it1000"
    full dc-ipc1 it100 "$cells/dc-ipc1-it100"
    full dsa-ipc1 it100 "$cells/dsa-ipc1-it100"
    [[ -d "$cells/mtt-ipc1-it500" ]] && full mtt-ipc1 it500 "$cells/mtt-ipc1-it500" --lr-net "$(learned_lr "$cells/mtt-ipc1-it500")"
    full dc-ipc10 it10 "$cells/dc-ipc10-it10"
    full dsa-ipc10 it10 "$cells/dsa-ipc10-it10"
    [[ -d "$cells/mtt-ipc10-it500" ]] && full mtt-ipc10 it500 "$cells/mtt-ipc10-it500" --lr-net "$(learned_lr "$cells/mtt-ipc10-it500")"
    full dm-ipc50 it200 "$cells/dm-ipc50-it200"
    # Round 2: longer runs (each resumes its cell's checkpoint).
    dm 1 2000 5000 10000 20000
    dm 10 2000 5000 10000 20000
    matching dc 1 200 500 1000
    matching dsa 1 200 500 1000
    experts && mtt 1 1000 2000 5000
    experts && mtt 10 1000 2000 5000
    dm 50 500 1000 2000
    matching dc 10 20 50
    matching dsa 10 20 50
    say "campaign: every stage has run"
}
campaign
exit
