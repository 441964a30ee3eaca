#!/usr/bin/env bash
# Compiles each kernel family src/main/cuda/<family>.cu into <family>.fatbin: SASS for the GPU
# generations we support plus PTX for newer ones, and writes kernels.properties, the manifest the
# CUDA backend reads. Maven runs it in generate-resources (cuda/pom.xml); by hand:
#
#   cuda/build-kernels.sh cuda/src/main/cuda cuda/target/generated-resources/cuda/org/distill4j/cuda/kernels cuda/target/nvcc
#
# ptxas -v prints every kernel's registers, stack and spills; a kernel that spills fails the
# build (--warn-on-spills with --warning-as-error), and the table below sums it up.
# Without nvcc on the PATH it builds nothing and says so; the backend then reports it has no kernels.
set -euo pipefail

src=$(cd "$1" && pwd)
out=$2
logs=$3
NVCC=${NVCC:-nvcc}
ARCHS="75 80 86 89 90"  # Turing, Ampere (A100), Ampere (RTX 30), Ada, Hopper
PTX_ARCH=90             # PTX for anything newer: the driver compiles it at load time

if ! command -v "$NVCC" >/dev/null 2>&1; then
    echo "[cuda] nvcc not found on the PATH: building without CUDA kernels (the CUDA backend will report it has none)"
    rm -rf "$out"
    exit 0
fi

mkdir -p "$out" "$logs"
manifest="$out/kernels.properties"
families=$(cd "$src" && ls *.cu | sed 's/\.cu$//' | sort)

# Up to date when the manifest is newer than every source and this script.
if [ -f "$manifest" ] && [ -z "$(find "$src" "$0" -newer "$manifest" -print -quit)" ]; then
    echo "[cuda] kernels up to date ($(echo $families | wc -w) fatbins in $out)"
    exit 0
fi

gencode=""
for a in $ARCHS; do
    gencode="$gencode -gencode arch=compute_$a,code=sm_$a"
done
gencode="$gencode -gencode arch=compute_$PTX_ARCH,code=compute_$PTX_ARCH"
flags="-std=c++17 -O3 --fatbin $gencode -Xptxas -v,--warn-on-spills,--warning-as-error"

version=$("$NVCC" --version | sed -n 's/.*release \([0-9][0-9.]*\),.*/\1/p')
jobs=$(nproc 2>/dev/null || echo 2)
echo "[cuda] nvcc $version: $(echo $families | wc -w) families for sm_${ARCHS// /, sm_} + PTX compute_$PTX_ARCH, $jobs at a time"
echo "[cuda] $NVCC $flags -o <family>.fatbin <family>.cu"
start=$(date +%s)

compile() {
    local family=$1
    if ! $NVCC $flags -o "$out/$family.fatbin" "$src/$family.cu" >"$logs/$family.ptxas.log" 2>&1; then
        echo "[cuda] nvcc failed on $family.cu:"
        grep -v "^ptxas info" "$logs/$family.ptxas.log" | sed 's/^/[cuda]   /' | head -40
        return 1
    fi
}
export -f compile
export NVCC flags out logs src
if ! printf '%s\n' $families | xargs -P "$jobs" -I{} bash -c 'compile {}'; then
    rm -f "$manifest"
    exit 1
fi

# One row per kernel: registers on each SASS target, then the largest stack frame and spill.
table="$logs/registers.txt"
cat "$logs"/*.ptxas.log | awk -v archs="$ARCHS" '
    /Compiling entry function/ { match($0, /function .[A-Za-z0-9_]+./); fn = substr($0, RSTART + 10, RLENGTH - 11);
                                 match($0, /sm_[0-9]+/); arch = substr($0, RSTART + 3, RLENGTH - 3); names[fn] = 1 }
    /bytes stack frame/ { if ($1 + 0 > stack[fn]) stack[fn] = $1 + 0; spill = $5 + $9; if (spill > spills[fn]) spills[fn] = spill }
    /Used [0-9]+ registers/ { match($0, /Used [0-9]+/); regs[fn, arch] = substr($0, RSTART + 5, RLENGTH - 5) }
    END {
        n = split(archs, a, " ");
        printf "%-24s", "kernel"; for (i = 1; i <= n; i++) printf " sm_%s", a[i]; printf "  stack  spills\n";
        for (fn in names) {
            line = sprintf("%-24s", fn);
            for (i = 1; i <= n; i++) line = line sprintf(" %5s", regs[fn, a[i]]);
            line = line sprintf("  %5d  %6d", stack[fn], spills[fn]);
            print line | "sort";
        }
    }' >"$table"
sed 's/^/[cuda] /' "$table"
kernels=$(($(wc -l <"$table") - 1))
if awk 'NR > 1 && $NF > 0 { bad = 1 } END { exit !bad }' "$table"; then
    echo "[cuda] a kernel spills registers to local memory: see $table"
    rm -f "$manifest"
    exit 1
fi

{
    echo "# Written by cuda/build-kernels.sh; read by org.distill4j.cuda.KernelLibrary."
    echo "nvcc.version=$version"
    echo "archs=$(for a in $ARCHS; do printf 'sm_%s ' "$a"; done)compute_$PTX_ARCH"
    echo "families=$(echo $families)"
    for family in $families; do
        names=$(sed -n "s/.*Compiling entry function '\([A-Za-z0-9_]*\)' for 'sm_${ARCHS%% *}'.*/\1/p" "$logs/$family.ptxas.log" | sort | tr '\n' ' ')
        echo "family.$family=${names% }"
    done
} >"$manifest.tmp"
mv "$manifest.tmp" "$manifest"
size=$(du -ck "$out"/*.fatbin | tail -1 | cut -f1)
echo "[cuda] $kernels kernels in $(echo $families | wc -w) fatbins (${size} KiB), no spills, $(($(date +%s) - start)) s"
