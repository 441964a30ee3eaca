package org.distill4j.kernels.cpu;

import org.distill4j.kernels.ReduceOp;

/**
 * The two {@link Reduce} loops for layouts whose innermost memory axis is not a reduced
 * contiguous run: "columns" (a kept axis of stride 1, as in sums over a batch) and the general
 * strided walk. Both accumulate in double, each output folded in row-major order of the reduced
 * positions, and split work by outputs only, so results do not depend on the threads.
 */
final class StridedReduce {
    /** Columns given to one task in the column case. */
    private static final int COLUMN_BLOCK = 256;

    private StridedReduce() {
    }

    /** Output rows of {@code kd[last]} columns: each row of inputs added into a block of accumulators. */
    static void columns(ReduceOp op, CpuBuffer x, int xOff, int[] kd, int[] ks, int[] rd, int[] rs,
                        CpuBuffer out, int outOffset) {
        int width = kd[kd.length - 1];
        int rows = Access.size(kd) / width;
        int blocks = (width + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        int positions = Access.size(rd);
        double init = Reduce.identity(op);
        int grain = Math.max(1, Reduce.PIECE / (positions * Math.min(width, COLUMN_BLOCK)));
        Parallel.forRange(rows * blocks, grain, (t0, t1) -> {
            Odometer walk = new Odometer(rd, rs);
            double[] acc = new double[COLUMN_BLOCK];
            for (int t = t0; t < t1; t++) {
                int row = t / blocks;
                int j0 = (t % blocks) * COLUMN_BLOCK;
                int w = Math.min(COLUMN_BLOCK, width - j0);
                int b = Reduce.base(row * width, xOff, kd, ks) + j0;
                java.util.Arrays.fill(acc, init);
                walk.reset();
                for (int r = 0; r < positions; r++, walk.next()) {
                    int off = b + walk.offset();
                    if (x.f != null) {
                        float[] xf = x.f;
                        switch (op) {
                            case SUM -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] += xf[off + j];
                                }
                            }
                            case MAX -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] = Math.max(acc[j], xf[off + j]);
                                }
                            }
                            case MIN -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] = Math.min(acc[j], xf[off + j]);
                                }
                            }
                        }
                    } else {
                        double[] xd = x.d;
                        switch (op) {
                            case SUM -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] += xd[off + j];
                                }
                            }
                            case MAX -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] = Math.max(acc[j], xd[off + j]);
                                }
                            }
                            case MIN -> {
                                for (int j = 0; j < w; j++) {
                                    acc[j] = Math.min(acc[j], xd[off + j]);
                                }
                            }
                        }
                    }
                }
                for (int j = 0; j < w; j++) {
                    Access.set(out, outOffset + row * width + j0 + j, acc[j]);
                }
            }
        });
    }

    /** Any other layout: per output, a strided inner loop under an {@link Odometer} over the other reduced axes. */
    static void general(ReduceOp op, CpuBuffer x, int xOff, int[] kd, int[] ks, int[] rd, int[] rs,
                        CpuBuffer out, int outOffset) {
        int innerLen = rd[rd.length - 1];
        int innerStride = rs[rs.length - 1];
        int[] od = java.util.Arrays.copyOf(rd, rd.length - 1);
        int[] os = java.util.Arrays.copyOf(rs, rs.length - 1);
        int outSize = Access.size(kd);
        int work = Access.size(rd);
        Parallel.forRange(outSize, Math.max(1, Reduce.PIECE / work), (o0, o1) -> {
            Odometer walk = new Odometer(od, os);
            for (int o = o0; o < o1; o++) {
                int b = Reduce.base(o, xOff, kd, ks);
                double acc = Reduce.identity(op);
                walk.reset();
                for (int r = 0; r < walk.count(); r++, walk.next()) {
                    int off = b + walk.offset();
                    for (int i = 0; i < innerLen; i++) {
                        acc = Reduce.fold(op, acc, Access.get(x, off + i * innerStride));
                    }
                }
                Access.set(out, outOffset + o, acc);
            }
        });
    }
}
