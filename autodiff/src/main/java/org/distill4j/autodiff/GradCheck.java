package org.distill4j.autodiff;

import java.util.function.Function;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Checks analytic gradients against central finite differences in float64, like PyTorch's
 * {@code gradcheck} and {@code gradgradcheck} (eps 1e-6, atol 1e-5, rtol 1e-3).
 *
 * <p>Rather than the full Jacobian, it checks the vector-Jacobian product with a random cotangent
 * {@code w}: {@code d/dx sum(w * f(x))} against {@code (L(x + eps e_j) - L(x - eps e_j)) / 2 eps}
 * for every input coordinate {@code j}. A wrong rule survives only if its error is orthogonal to a
 * random {@code w}, which happens with probability zero. The second-order check applies the same
 * test to the gradient map {@code (x, w) -> d/dx sum(w * f(x))}, through {@code createGraph}.
 */
public final class GradCheck {
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /** Throws {@link AssertionError} naming the first bad coordinate if first derivatives disagree. */
    public static void check(Function<Var[], Var> f, Tensor... inputs) {
        checkSampled(f, Integer.MAX_VALUE, inputs);
    }

    /**
     * The first-order check on at most {@code maxCoordinates} randomly chosen coordinates of each
     * input: for models with many parameters, where every coordinate would cost a forward pass.
     */
    public static void checkSampled(Function<Var[], Var> f, int maxCoordinates, Tensor... inputs) {
        checkF64(inputs);
        Tensor w = Tensor.randn(new Generator(1234), DType.F64, outputShape(f, inputs));
        Function<Tensor[], Double> loss = xs -> scalar(f.apply(constants(xs)), w);
        Var[] params = params(inputs);
        Var[] analytic = Autodiff.grad(sumWeighted(f.apply(params), w), params);
        int[][] coords = sample(inputs, maxCoordinates);
        compare("first-order", analytic, numeric(loss, inputs, coords), coords);
    }

    private static int[][] sample(Tensor[] inputs, int max) {
        Generator gen = new Generator(4321);
        int[][] coords = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            int n = inputs[i].size();
            coords[i] = n <= max ? java.util.stream.IntStream.range(0, n).toArray()
                    : java.util.Arrays.copyOf(gen.permutation(n), max);
        }
        return coords;
    }

    /** Throws {@link AssertionError} if the second derivatives (through {@code createGraph}) disagree. */
    public static void checkSecondOrder(Function<Var[], Var> f, Tensor... inputs) {
        checkF64(inputs);
        int[] outShape = outputShape(f, inputs);
        Generator gen = new Generator(5678);
        Tensor w = Tensor.randn(gen, DType.F64, outShape);
        Tensor[] v = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            v[i] = Tensor.randn(gen, DType.F64, inputs[i].shape());
        }
        // M(x, w) = sum_i sum(v_i * d/dx_i sum(w * f(x)))
        Function<Var[], Var> m = all -> {
            Var[] xs = java.util.Arrays.copyOf(all, inputs.length);
            Var wv = all[inputs.length];
            Var[] g = Autodiff.grad(new Var[]{sumWeighted(f.apply(xs), wv)}, xs, null, true, true);
            Var total = null;
            for (int i = 0; i < g.length; i++) {
                Var term = ElementwiseOps.mul(g[i], Var.constant(v[i])).sum();
                total = total == null ? term : ElementwiseOps.add(total, term);
            }
            return total;
        };
        Tensor[] all = java.util.Arrays.copyOf(inputs, inputs.length + 1);
        all[inputs.length] = w;
        Var[] params = params(all);
        Var[] analytic = Autodiff.grad(m.apply(params), params);
        Function<Tensor[], Double> loss = xs -> {
            Var[] ps = params(xs);
            return m.apply(ps).item();
        };
        int[][] coords = sample(all, Integer.MAX_VALUE);
        compare("second-order", analytic, numeric(loss, all, coords), coords);
    }

    private static Var sumWeighted(Var out, Tensor w) {
        return ElementwiseOps.mul(out, Var.constant(w)).sum();
    }

    private static Var sumWeighted(Var out, Var w) {
        return ElementwiseOps.mul(out, w).sum();
    }

    private static double scalar(Var out, Tensor w) {
        try (GradMode.Scope s = GradMode.disabled()) {
            return sumWeighted(out, w).item();
        }
    }

    private static int[] outputShape(Function<Var[], Var> f, Tensor[] inputs) {
        try (GradMode.Scope s = GradMode.disabled()) {
            return f.apply(constants(inputs)).shape();
        }
    }

    private static void checkF64(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.F64) {
                throw new IllegalArgumentException("gradcheck needs F64 inputs, got " + t.dtype());
            }
        }
    }

    private static Var[] constants(Tensor[] xs) {
        Var[] vs = new Var[xs.length];
        for (int i = 0; i < xs.length; i++) {
            vs[i] = Var.constant(xs[i]);
        }
        return vs;
    }

    private static Var[] params(Tensor[] xs) {
        Var[] vs = new Var[xs.length];
        for (int i = 0; i < xs.length; i++) {
            vs[i] = Var.param(xs[i]);
        }
        return vs;
    }

    /** Central differences of {@code loss} with respect to the chosen coordinates of each input. */
    private static double[][] numeric(Function<Tensor[], Double> loss, Tensor[] inputs, int[][] coords) {
        double[][] out = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            double[] data = inputs[i].toDoubleArray();
            int[] shape = inputs[i].shape();
            out[i] = new double[data.length];
            for (int j : coords[i]) {
                double saved = data[j];
                Tensor[] xs = inputs.clone();
                data[j] = saved + EPS;
                xs[i] = Tensor.fromDoubles(data, shape);
                double plus = loss.apply(xs);
                data[j] = saved - EPS;
                xs[i] = Tensor.fromDoubles(data, shape);
                double minus = loss.apply(xs);
                data[j] = saved;
                out[i][j] = (plus - minus) / (2 * EPS);
            }
        }
        return out;
    }

    private static void compare(String order, Var[] analytic, double[][] numeric, int[][] coords) {
        for (int i = 0; i < coords.length; i++) {
            double[] a = analytic[i].value().toDoubleArray();
            for (int j : coords[i]) {
                double n = numeric[i][j];
                if (!(Math.abs(a[j] - n) <= ATOL + RTOL * Math.abs(n))) {
                    throw new AssertionError(order + " gradient of input " + i + " differs at element " + j
                            + ": analytic " + a[j] + ", numeric " + n);
                }
            }
        }
    }
}
