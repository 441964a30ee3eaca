package org.distill4j.kernels.cpu;

/**
 * Index-select along an axis, its adjoint index-add, and one-per-row gather/scatter-add.
 *
 * <p>The fast paths check every index before writing anything, then copy or add whole contiguous
 * runs of {@code inner} elements. Index-add splits work only by outer position and by blocks of
 * the inner axis, never by index, so duplicate indices accumulate in index order on any thread count.
 */
final class Indexing {
    /** Inner elements per index-add task. */
    private static final int INNER_BLOCK = 4096;

    private Indexing() {
    }

    static void checkIndex(int index, int len) {
        if (index < 0 || index >= len) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for axis of size " + len);
        }
    }

    /** Checks {@code idx[iOff, iOff + count)}, naming the first bad index and its position. */
    static void checkAll(String what, CpuBuffer idx, int iOff, int count, int len) {
        for (int j = 0; j < count; j++) {
            int index = idx.i[iOff + j];
            if (index < 0 || index >= len) {
                throw new IndexOutOfBoundsException(what + ": index " + index + " at position " + j
                        + " out of bounds for axis of size " + len);
            }
        }
    }

    // ---- fast paths ---------------------------------------------------------------------------

    static void indexSelect(int outer, int len, int inner, CpuBuffer x, int xOff, CpuBuffer idx, int iOff, int count,
                            CpuBuffer out, int oOff) {
        checkAll("indexSelect", idx, iOff, count, len);
        if (x.dtype() != out.dtype()) {
            indexSelectReference(outer, len, inner, x, xOff, idx, iOff, count, out, oOff);
            return;
        }
        Object src = x.f != null ? x.f : x.d != null ? x.d : x.i;
        Object dst = out.f != null ? out.f : out.d != null ? out.d : out.i;
        Parallel.forRange(outer * count, Math.max(1, Segments.CHUNK / Math.max(1, inner)), (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t / count;
                int j = t % count;
                System.arraycopy(src, xOff + (o * len + idx.i[iOff + j]) * inner, dst, oOff + t * inner, inner);
            }
        });
    }

    static void indexAdd(int outer, int len, int inner, CpuBuffer src, int sOff, CpuBuffer idx, int iOff, int count,
                         CpuBuffer out, int oOff) {
        checkAll("indexAdd", idx, iOff, count, len);
        if (src.dtype() != out.dtype() || out.i != null) {
            indexAddReference(outer, len, inner, src, sOff, idx, iOff, count, out, oOff);
            return;
        }
        int blocks = (inner + INNER_BLOCK - 1) / INNER_BLOCK;
        Parallel.forRange(outer * blocks, Math.max(1, Segments.CHUNK / Math.max(1, count * Math.min(inner, INNER_BLOCK))),
                (t0, t1) -> {
                    for (int t = t0; t < t1; t++) {
                        int o = t / blocks;
                        int i0 = (t % blocks) * INNER_BLOCK;
                        int w = Math.min(INNER_BLOCK, inner - i0);
                        for (int j = 0; j < count; j++) {
                            int from = sOff + (o * count + j) * inner + i0;
                            int to = oOff + (o * len + idx.i[iOff + j]) * inner + i0;
                            if (out.f != null) {
                                addRun(src.f, from, out.f, to, w);
                            } else {
                                addRun(src.d, from, out.d, to, w);
                            }
                        }
                    }
                });
    }

    private static void addRun(float[] src, int from, float[] out, int to, int n) {
        for (int i = 0; i < n; i++) {
            out[to + i] += src[from + i];
        }
    }

    private static void addRun(double[] src, int from, double[] out, int to, int n) {
        for (int i = 0; i < n; i++) {
            out[to + i] += src[from + i];
        }
    }

    static void gatherRows(int rows, int cols, CpuBuffer x, int xOff, CpuBuffer idx, int iOff, CpuBuffer out, int oOff) {
        checkAll("gatherRows", idx, iOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            Access.set(out, oOff + r, Access.get(x, xOff + r * cols + idx.i[iOff + r]));
        }
    }

    static void scatterAddRows(int rows, int cols, CpuBuffer src, int sOff, CpuBuffer idx, int iOff, CpuBuffer out, int oOff) {
        checkAll("scatterAddRows", idx, iOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int t = oOff + r * cols + idx.i[iOff + r];
            Access.set(out, t, Access.get(out, t) + Access.get(src, sOff + r));
        }
    }

    // ---- scalar references ----------------------------------------------------------------------

    static void indexSelectReference(int outer, int len, int inner, CpuBuffer x, int xOff, CpuBuffer idx, int iOff,
                                     int count, CpuBuffer out, int oOff) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                int src = idx.i[iOff + j];
                checkIndex(src, len);
                for (int i = 0; i < inner; i++) {
                    Access.set(out, oOff + (o * count + j) * inner + i, Access.get(x, xOff + (o * len + src) * inner + i));
                }
            }
        }
    }

    static void indexAddReference(int outer, int len, int inner, CpuBuffer src, int sOff, CpuBuffer idx, int iOff,
                                  int count, CpuBuffer out, int oOff) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                int dst = idx.i[iOff + j];
                checkIndex(dst, len);
                for (int i = 0; i < inner; i++) {
                    int t = oOff + (o * len + dst) * inner + i;
                    Access.set(out, t, Access.get(out, t) + Access.get(src, sOff + (o * count + j) * inner + i));
                }
            }
        }
    }

    static void gatherRowsReference(int rows, int cols, CpuBuffer x, int xOff, CpuBuffer idx, int iOff,
                                    CpuBuffer out, int oOff) {
        for (int r = 0; r < rows; r++) {
            int j = idx.i[iOff + r];
            checkIndex(j, cols);
            Access.set(out, oOff + r, Access.get(x, xOff + r * cols + j));
        }
    }

    static void scatterAddRowsReference(int rows, int cols, CpuBuffer src, int sOff, CpuBuffer idx, int iOff,
                                        CpuBuffer out, int oOff) {
        for (int r = 0; r < rows; r++) {
            int j = idx.i[iOff + r];
            checkIndex(j, cols);
            int t = oOff + r * cols + j;
            Access.set(out, t, Access.get(out, t) + Access.get(src, sOff + r));
        }
    }
}
