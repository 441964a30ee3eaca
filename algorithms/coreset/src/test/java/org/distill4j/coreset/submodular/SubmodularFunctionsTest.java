package org.distill4j.coreset.submodular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each function on instances small enough to enumerate: greedy against the brute-force optimum,
 * incremental values against the definitions, lazy against naive greedy, stochastic greedy.
 */
class SubmodularFunctionsTest {
    private static final double ONE_MINUS_INV_E = 1 - Math.exp(-1);

    private static Similarity similarity(long seed, int n, Similarity.Kernel kernel) {
        return Similarity.of(Tensor.randn(new Generator(seed), DType.F32, n, 3), kernel);
    }

    /** The function named {@code name}, fresh (empty set), over {@code s}. */
    private static SetFunction make(String name, Similarity s) {
        return switch (name) {
            case "facility-location" -> new FacilityLocation(s);
            case "graph-cut" -> new GraphCut(s);
            default -> new LogDeterminant(s);
        };
    }

    /** f(A) straight from the definitions, independent of the incremental updates. */
    private static double definition(String name, Similarity s, int[] a) {
        int n = s.size();
        switch (name) {
            case "facility-location": {
                double v = 0;
                for (int i = 0; i < n; i++) {
                    double best = 0;
                    for (int j : a) {
                        best = Math.max(best, s.column(j)[i]);
                    }
                    v += best;
                }
                return v;
            }
            case "graph-cut": {
                double[] totals = s.columnSums();
                double v = 0;
                for (int j : a) {
                    v += totals[j];
                    for (int i : a) {
                        v -= GraphCut.DEFAULT_LAMBDA * s.column(j)[i];
                    }
                }
                return v;
            }
            default: {
                if (a.length == 0) {
                    return 0;
                }
                DMatrixRMaj k = new DMatrixRMaj(a.length, a.length);
                for (int r = 0; r < a.length; r++) {
                    for (int c = 0; c < a.length; c++) {
                        k.set(r, c, s.column(a[c])[a[r]] + (r == c ? LogDeterminant.DEFAULT_LAMBDA : 0));
                    }
                }
                CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(a.length, true);
                assertTrue(chol.decompose(k), "K_A is positive definite");
                return Math.log(chol.computeDeterminant().real);
            }
        }
    }

    /** The best value over all k-subsets. */
    private static double bruteForce(int n, int k, ToDoubleFunction<int[]> f) {
        double best = Double.NEGATIVE_INFINITY;
        int[] a = new int[k];
        for (int i = 0; i < k; i++) {
            a[i] = i;
        }
        while (true) {
            best = Math.max(best, f.applyAsDouble(a.clone()));
            int i = k - 1;
            while (i >= 0 && a[i] == n - k + i) {
                i--;
            }
            if (i < 0) {
                return best;
            }
            a[i]++;
            for (int j = i + 1; j < k; j++) {
                a[j] = a[j - 1] + 1;
            }
        }
    }

    private static List<Greedy> optimizers(long seed) {
        List<Greedy> g = new ArrayList<>();
        g.add(new NaiveGreedy());
        g.add(new LazyGreedy());
        g.add(new StochasticGreedy(new Generator(seed), 0.1));
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"facility-location", "graph-cut", "log-determinant"})
    void greedyReachesOneMinusOneOverEOfTheBruteForceOptimum(String name) {
        int n = 12;
        int k = 4;
        for (Similarity.Kernel kernel : Similarity.Kernel.values()) {
            if (name.equals("log-determinant") && kernel == Similarity.Kernel.DISTANCE) {
                continue; // C - d is not PSD, so log det is neither monotone nor defined everywhere
            }
            for (long seed = 1; seed <= 3; seed++) {
                Similarity s = similarity(seed, n, kernel);
                double opt = bruteForce(n, k, a -> definition(name, s, a));
                for (Greedy g : optimizers(seed)) {
                    SetFunction f = make(name, s);
                    Greedy.Result r = g.maximize(f, k);
                    String what = name + " " + kernel + " seed " + seed + " " + g.getClass().getSimpleName();
                    assertEquals(k, java.util.Arrays.stream(r.order()).distinct().count(), what + ": k distinct picks");
                    double exact = definition(name, s, r.order());
                    assertEquals(exact, f.value(), 1e-6 * Math.max(1, Math.abs(exact)), what + ": incremental value");
                    double gainSum = java.util.Arrays.stream(r.gains()).sum();
                    assertEquals(exact, gainSum, 1e-6 * Math.max(1, Math.abs(exact)), what + ": gains add up to f");
                    // Stochastic greedy's bound, 1 - 1/e - epsilon, holds in expectation; these seeds meet it.
                    double ratio = g instanceof StochasticGreedy ? ONE_MINUS_INV_E - 0.1 : ONE_MINUS_INV_E;
                    assertTrue(exact >= ratio * opt - 1e-9, what + ": " + exact + " < " + ratio + " * " + opt);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"facility-location", "graph-cut", "log-determinant"})
    void lazyGreedyReturnsExactlyTheNaiveGreedySet(String name) {
        for (long seed = 10; seed < 14; seed++) {
            Similarity s = similarity(seed, 80, Similarity.Kernel.RBF);
            Greedy.Result naive = new NaiveGreedy().maximize(make(name, s), 25);
            Greedy.Result lazy = new LazyGreedy().maximize(make(name, s), 25);
            assertArrayEquals(naive.order(), lazy.order(), name + " seed " + seed);
            assertArrayEquals(naive.gains(), lazy.gains(), 0.0, name + " seed " + seed);
        }
    }

    @org.junit.jupiter.api.Test
    void lazyGreedyBreaksTiesLikeNaiveGreedy() {
        // Four identical points and four others identical among themselves: many equal gains.
        double[] rows = {1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1};
        Similarity s = Similarity.of(Tensor.fromDoubles(rows, 8, 2).to(DType.F32), Similarity.Kernel.COSINE);
        for (String name : List.of("facility-location", "graph-cut", "log-determinant")) {
            Greedy.Result naive = new NaiveGreedy().maximize(make(name, s), 8);
            Greedy.Result lazy = new LazyGreedy().maximize(make(name, s), 8);
            assertArrayEquals(naive.order(), lazy.order(), name);
        }
    }

    @org.junit.jupiter.api.Test
    void stochasticGreedyIsSeededAndNearGreedy() {
        Similarity s = similarity(21, 400, Similarity.Kernel.COSINE);
        Function<Long, Greedy.Result> run = seed -> new StochasticGreedy(new Generator(seed), 0.01)
                .maximize(new FacilityLocation(s), 40);
        assertArrayEquals(run.apply(5L).order(), run.apply(5L).order(), "same seed, same set");
        FacilityLocation greedy = new FacilityLocation(s);
        new LazyGreedy().maximize(greedy, 40);
        FacilityLocation stochastic = new FacilityLocation(s);
        new StochasticGreedy(new Generator(5), 0.01).maximize(stochastic, 40);
        assertTrue(stochastic.value() >= 0.99 * greedy.value(), stochastic.value() + " vs greedy " + greedy.value());
        assertEquals(StochasticGreedy.sampleSize(400, 40, 0.01), (int) Math.ceil(10 * Math.log(100)));
    }

    @org.junit.jupiter.api.Test
    void facilityLocationClustersCoverEveryElementOnce() {
        Similarity s = similarity(3, 50, Similarity.Kernel.DISTANCE);
        FacilityLocation f = new FacilityLocation(s);
        Greedy.Result r = new LazyGreedy().maximize(f, 6);
        int[] nearest = f.nearest();
        for (int i = 0; i < 50; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j : r.order()) {
                best = Math.max(best, s.column(j)[i]);
            }
            assertEquals(best, s.column(nearest[i])[i], 0.0, "element " + i + " goes to its most similar pick");
        }
        for (int j : r.order()) {
            assertEquals(j, nearest[j], "a pick stands for itself");
        }
    }

    @org.junit.jupiter.api.Test
    void aDisjointSumIsTheSumOfItsParts() {
        Similarity a = similarity(1, 30, Similarity.Kernel.COSINE);
        Similarity b = similarity(2, 1, Similarity.Kernel.COSINE);
        Similarity c = similarity(3, 20, Similarity.Kernel.COSINE);
        DisjointSum sum = new DisjointSum(List.of(new FacilityLocation(a), new FacilityLocation(b), new FacilityLocation(c)));
        assertEquals(51, sum.size());
        assertEquals(0, sum.part(29));
        assertEquals(1, sum.part(30));
        assertEquals(2, sum.part(31));
        Greedy.Result lazy = new LazyGreedy().maximize(sum, 10);
        DisjointSum again = new DisjointSum(List.of(new FacilityLocation(a), new FacilityLocation(b), new FacilityLocation(c)));
        Greedy.Result naive = new NaiveGreedy().maximize(again, 10);
        assertArrayEquals(naive.order(), lazy.order());
        double parts = 0;
        for (int p = 0; p < 3; p++) {
            List<Integer> local = new ArrayList<>();
            for (int e : lazy.order()) {
                if (sum.part(e) == p) {
                    local.add(e - sum.offset(p));
                }
            }
            Similarity sp = List.of(a, b, c).get(p);
            parts += definition("facility-location", sp, local.stream().mapToInt(Integer::intValue).toArray());
        }
        assertEquals(parts, sum.value(), 1e-6);
    }
}
