package org.distill4j.kernels.cpu;

/** Index-select along an axis, its adjoint index-add, and one-per-row gather/scatter-add. */
final class Indexing {
    private Indexing() {
    }

    static void checkIndex(int index, int len) {
        if (index < 0 || index >= len) {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for axis of size " + len);
        }
    }

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
