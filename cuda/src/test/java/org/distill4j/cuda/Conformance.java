package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.distill4j.kernels.Backend;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.View;
import org.distill4j.kernels.cpu.CpuBackend;

/**
 * The base of the kernel-by-kernel comparisons: every check runs one {@link Backend} call on the
 * CUDA backend under test ({@link #cuda()}: emulated, or a real GPU) and the same call on the CPU
 * backend, on the same random inputs, and compares the outputs element by element.
 */
abstract class Conformance {
    static final CpuBackend CPU = CpuBackend.get();
    static final DType[] FLOATING = {DType.F32, DType.F64};

    final Random random = new Random(20261124);

    /** The backend under test. */
    abstract Backend cuda();

    /** The same data on both backends. */
    record Pair(Buffer cpu, Buffer cuda) {
        View view(int offset, int... strides) {
            return new View(cuda, offset, strides);
        }

        View cpuView(int offset, int... strides) {
            return new View(cpu, offset, strides);
        }
    }

    Pair pair(DType t, double[] values) {
        return new Pair(upload(CPU, t, values), upload(cuda(), t, values));
    }

    /** Zero-filled outputs of {@code n} elements on both backends. */
    Pair outputs(DType t, int n) {
        return new Pair(CPU.allocate(t, n), cuda().allocate(t, n));
    }

    static Buffer upload(Backend b, DType t, double[] v) {
        return switch (t) {
            case F64 -> b.upload(v.clone());
            case F32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                yield b.upload(f);
            }
            case I32 -> {
                int[] ints = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    ints[i] = (int) v[i];
                }
                yield b.upload(ints);
            }
        };
    }

    double[] uniform(int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return v;
    }

    /** Small integers, so that ties and equalities happen. */
    double[] integers(int n, int lo, int hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + random.nextInt(hi - lo + 1);
        }
        return v;
    }

    /** Relative tolerance for one rounding-level difference in {@code t}. */
    static double eps(DType t) {
        return t == DType.F32 ? 2e-6 : 1e-13;
    }

    /** Every element of {@code p.cuda} equals {@code p.cpu} within {@code atol + rtol*|expected|}. */
    void assertClose(String what, Pair p, int n, double rtol, double atol) {
        assertClose(what, CPU.downloadDoubles(p.cpu(), 0, n), cuda().downloadDoubles(p.cuda(), 0, n), rtol, atol);
    }

    static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int bad = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a
                    : Math.abs(a - e) <= atol + rtol * Math.abs(e);
            if (!ok && bad++ < 5) {
                first.append(String.format("%n  [%d] expected %s, got %s", i, e, a));
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " values differ (rtol " + rtol + ", atol " + atol + ")" + first);
        }
    }

    static void assertExact(String what, double[] expected, double[] actual) {
        assertClose(what, expected, actual, 0, 0);
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
