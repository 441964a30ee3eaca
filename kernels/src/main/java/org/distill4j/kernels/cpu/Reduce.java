package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ReduceOp;
import org.distill4j.kernels.View;

/**
 * Reductions over axes, and argmax along one axis.
 *
 * <p>The fast path first drops axes of size 1 and merges neighbours that are reduced alike and laid
 * out as one, then picks a loop by what is innermost in memory:
 * <ul>
 *   <li>a reduced axis of stride 1 ("rows": row sums, full sums, per-channel sums over N, H, W):
 *       each contiguous run is reduced by a vector kernel, runs folded in order;</li>
 *   <li>a kept axis of stride 1 ("columns": sums over a batch, as for bias gradients): rows are
 *       added into a block of double accumulators, one row after another;</li>
 *   <li>anything else: a strided walk per output.</li>
 * </ul>
 * A sum is always folded in the same order, fixed by the shape alone: runs in order, each run in
 * pieces of {@link #PIECE} elements in order (pieces and runs are also the parallel work units, with
 * partial results kept per unit and folded afterwards), so results do not depend on the threads.
 */
final class Reduce {
    /** Elements of a run reduced as one unit of work and of the summation order. */
    static final int PIECE = 1 << 16;

    private Reduce() {
    }

    // ---- fast path ----------------------------------------------------------------------------

    static void reduce(ReduceOp op, int[] shape, View x, boolean[] reduce, CpuBuffer out, int outOffset, boolean simd) {
        CpuBuffer xb = Access.cpu(x.buffer());
        if (xb.dtype() != out.dtype() || Access.size(shape) == 0) {
            reduceReference(op, shape, x, reduce, out, outOffset);
            return;
        }
        // Coalesce: drop extent-1 axes, merge neighbours reduced alike whose strides chain.
        int rank = 0;
        int[] dims = new int[shape.length];
        int[] strides = new int[shape.length];
        boolean[] red = new boolean[shape.length];
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == 1) {
                continue;
            }
            int st = x.strides()[a];
            if (rank > 0 && red[rank - 1] == reduce[a] && strides[rank - 1] == st * shape[a]) {
                dims[rank - 1] *= shape[a];
                strides[rank - 1] = st;
            } else {
                dims[rank] = shape[a];
                strides[rank] = st;
                red[rank] = reduce[a];
                rank++;
            }
        }
        int nk = 0;
        for (int a = 0; a < rank; a++) {
            nk += red[a] ? 0 : 1;
        }
        if (nk == rank) {
            Elementwise.copy(shape, x, out, outOffset);
            return;
        }
        int[] kd = new int[nk];
        int[] ks = new int[nk];
        int[] rd = new int[rank - nk];
        int[] rs = new int[rank - nk];
        for (int a = 0, k = 0, r = 0; a < rank; a++) {
            if (red[a]) {
                rd[r] = dims[a];
                rs[r++] = strides[a];
            } else {
                kd[k] = dims[a];
                ks[k++] = strides[a];
            }
        }
        int last = rank - 1;
        if (red[last] && strides[last] == 1) {
            rows(op, xb, x.offset(), kd, ks, rd, rs, out, outOffset, simd);
        } else if (!red[last] && strides[last] == 1) {
            StridedReduce.columns(op, xb, x.offset(), kd, ks, rd, rs, out, outOffset);
        } else {
            StridedReduce.general(op, xb, x.offset(), kd, ks, rd, rs, out, outOffset);
        }
    }

    static double identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    static double fold(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
        };
    }

    /** Offset in x of the first element reduced into output {@code o} (row-major over the kept axes). */
    static int base(int o, int xOff, int[] kd, int[] ks) {
        int off = xOff;
        for (int a = kd.length - 1; a >= 0; a--) {
            off += (o % kd[a]) * ks[a];
            o /= kd[a];
        }
        return off;
    }

    /** One piece (at most {@link #PIECE} elements) of a contiguous run. */
    private static double piece(ReduceOp op, CpuBuffer x, int off, int len, boolean simd) {
        if (simd) {
            if (x.f != null) {
                return switch (op) {
                    case SUM -> VectorReduceF32.sum(x.f, off, len);
                    case MAX -> VectorReduceF32.max(x.f, off, len);
                    case MIN -> VectorReduceF32.min(x.f, off, len);
                };
            }
            return switch (op) {
                case SUM -> VectorReduceF64.sum(x.d, off, len);
                case MAX -> VectorReduceF64.max(x.d, off, len);
                case MIN -> VectorReduceF64.min(x.d, off, len);
            };
        }
        double acc = identity(op);
        if (x.f != null) {
            for (int i = 0; i < len; i++) {
                acc = fold(op, acc, x.f[off + i]);
            }
        } else {
            for (int i = 0; i < len; i++) {
                acc = fold(op, acc, x.d[off + i]);
            }
        }
        return acc;
    }

    /** A whole contiguous run: its pieces folded in order. */
    static double run(ReduceOp op, CpuBuffer x, int off, int len, boolean simd) {
        double acc = identity(op);
        for (int p = 0; p < len; p += PIECE) {
            acc = fold(op, acc, piece(op, x, off + p, Math.min(PIECE, len - p), simd));
        }
        return acc;
    }

    private static void rows(ReduceOp op, CpuBuffer x, int xOff, int[] kd, int[] ks, int[] rd, int[] rs,
                             CpuBuffer out, int outOffset, boolean simd) {
        int runLen = rd[rd.length - 1];
        int[] od = java.util.Arrays.copyOf(rd, rd.length - 1);
        int[] os = java.util.Arrays.copyOf(rs, rs.length - 1);
        int runs = Access.size(od);
        int outSize = Access.size(kd);
        if (outSize == 1 && runs == 1 && runLen > PIECE) {
            // One long run: its pieces in parallel, folded in order after.
            int pieces = (runLen + PIECE - 1) / PIECE;
            double[] part = new double[pieces];
            Parallel.forRange(pieces, 1, (p0, p1) -> {
                for (int p = p0; p < p1; p++) {
                    part[p] = piece(op, x, xOff + p * PIECE, Math.min(PIECE, runLen - p * PIECE), simd);
                }
            });
            double acc = identity(op);
            for (double v : part) {
                acc = fold(op, acc, v);
            }
            Access.set(out, outOffset, acc);
        } else if (outSize == 1) {
            // Many runs into one output: run results in parallel, folded in order after.
            double[] part = new double[runs];
            Parallel.forRange(runs, Math.max(1, PIECE / runLen), (r0, r1) -> {
                Odometer walk = new Odometer(od, os);
                walk.reset();
                for (int r = 0; r < r0; r++) {
                    walk.next();
                }
                for (int r = r0; r < r1; r++, walk.next()) {
                    part[r] = run(op, x, xOff + walk.offset(), runLen, simd);
                }
            });
            double acc = identity(op);
            for (double v : part) {
                acc = fold(op, acc, v);
            }
            Access.set(out, outOffset, acc);
        } else {
            int work = runs * runLen;
            Parallel.forRange(outSize, Math.max(1, PIECE / work), (o0, o1) -> {
                Odometer walk = new Odometer(od, os);
                for (int o = o0; o < o1; o++) {
                    int b = base(o, xOff, kd, ks);
                    double acc = identity(op);
                    walk.reset();
                    for (int r = 0; r < runs; r++, walk.next()) {
                        acc = fold(op, acc, run(op, x, b + walk.offset(), runLen, simd));
                    }
                    Access.set(out, outOffset + o, acc);
                }
            });
        }
    }

    // ---- argmax -------------------------------------------------------------------------------

    static void argmax(int outer, int len, int inner, CpuBuffer x, int xOff, CpuBuffer out, int outOff) {
        int[] idx = out.i;
        Parallel.forRange(outer, Math.max(1, PIECE / Math.max(1, len * inner)), (o0, o1) -> {
            double[] best = new double[inner];
            for (int o = o0; o < o1; o++) {
                int row = xOff + o * len * inner;
                int dst = outOff + o * inner;
                for (int i = 0; i < inner; i++) {
                    best[i] = Access.get(x, row + i);
                    idx[dst + i] = 0;
                }
                for (int j = 1; j < len; j++) {
                    int src = row + j * inner;
                    for (int i = 0; i < inner; i++) {
                        double v = x.f != null ? x.f[src + i] : x.d[src + i];
                        if (v > best[i]) {
                            best[i] = v;
                            idx[dst + i] = j;
                        }
                    }
                }
            }
        });
    }

    // ---- scalar references --------------------------------------------------------------------

    static void reduceReference(ReduceOp op, int[] shape, View x, boolean[] reduce, CpuBuffer out, int outOffset) {
        CpuBuffer xb = Access.cpu(x.buffer());
        int[] outShape = shape.clone();
        for (int a = 0; a < shape.length; a++) {
            if (reduce[a]) {
                outShape[a] = 1;
            }
        }
        int outSize = Access.size(outShape);
        double init = switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        double[] acc = new double[outSize];
        java.util.Arrays.fill(acc, init);
        int n = Access.size(shape);
        for (int i = 0; i < n; i++) {
            double v = Access.get(xb, Access.offset(i, shape, x));
            int o = 0;
            int rest = i;
            int scale = 1;
            for (int a = shape.length - 1; a >= 0; a--) {
                int idx = rest % shape[a];
                rest /= shape[a];
                if (!reduce[a]) {
                    o += idx * scale;
                }
                scale *= outShape[a];
            }
            acc[o] = switch (op) {
                case SUM -> acc[o] + v;
                case MAX -> Math.max(acc[o], v);
                case MIN -> Math.min(acc[o], v);
            };
        }
        for (int o = 0; o < outSize; o++) {
            Access.set(out, outOffset + o, acc[o]);
        }
    }

    static void argmaxReference(int outer, int len, int inner, CpuBuffer x, int xOffset, CpuBuffer out, int outOffset) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bestValue = Access.get(x, xOffset + (o * len) * inner + i);
                for (int j = 1; j < len; j++) {
                    double v = Access.get(x, xOffset + (o * len + j) * inner + i);
                    if (v > bestValue) {
                        bestValue = v;
                        best = j;
                    }
                }
                out.i[outOffset + o * inner + i] = best;
            }
        }
    }
}
