package org.distill4j.coreset.submodular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SimilarityTest {
    private static double[][] rows(Tensor x) {
        int n = x.dim(0);
        int d = x.dim(1);
        double[] flat = x.toDoubleArray();
        double[][] r = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, r[i], 0, d);
        }
        return r;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    @Test
    void columnsMatchTheKernelDefinitions() {
        Tensor x = Tensor.randn(new Generator(4), DType.F32, 37, 5);
        double[][] r = rows(x);
        r[3] = new double[5]; // a zero row: cosine 0 with everything
        x = Tensor.fromDoubles(java.util.Arrays.stream(r).flatMapToDouble(java.util.Arrays::stream).toArray(), 37, 5)
                .to(DType.F32);
        int n = r.length;
        double meanSq = 0;
        double[] mean = new double[5];
        for (double[] row : r) {
            for (int k = 0; k < 5; k++) {
                mean[k] += row[k] / n;
            }
        }
        double maxRadius = 0;
        for (double[] row : r) {
            for (double[] other : r) {
                meanSq += dist2(row, other) / ((double) n * n);
            }
            maxRadius = Math.max(maxRadius, Math.sqrt(dist2(row, mean)));
        }
        Similarity cos = Similarity.of(x, Similarity.Kernel.COSINE);
        Similarity rbf = Similarity.of(x, Similarity.Kernel.RBF);
        Similarity dist = Similarity.of(x, Similarity.Kernel.DISTANCE);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double ni = Math.sqrt(dot(r[i], r[i]));
                double nj = Math.sqrt(dot(r[j], r[j]));
                double c = ni == 0 || nj == 0 ? 0 : dot(r[i], r[j]) / (ni * nj);
                assertEquals(0.5 + 0.5 * c, cos.column(j)[i], 1e-5, "cosine " + i + "," + j);
                assertEquals(Math.exp(-dist2(r[i], r[j]) / meanSq), rbf.column(j)[i], 1e-5, "rbf " + i + "," + j);
                assertEquals(2 * maxRadius - Math.sqrt(dist2(r[i], r[j])), dist.column(j)[i], 1e-4, "distance " + i + "," + j);
                assertTrue(dist.column(j)[i] >= 0);
            }
        }
    }

    @Test
    void cosineColumnSumsInClosedFormMatchSummingEveryColumn() {
        Tensor x = Tensor.randn(new Generator(5), DType.F32, 301, 6);
        float[] flat = x.toFloatArray();
        java.util.Arrays.fill(flat, 17 * 6, 18 * 6, 0f); // a zero row: cosine 0 with everything, 1/2 on the diagonal
        Similarity s = Similarity.of(Tensor.fromFloats(flat, 301, 6), Similarity.Kernel.COSINE);
        double[] sums = s.columnSums();
        for (int j = 0; j < 301; j++) {
            double expected = 0;
            for (float v : s.column(j)) {
                expected += v;
            }
            assertEquals(expected, sums[j], 1e-4, "column " + j);
        }
        assertEquals(0.5 * 301, sums[17], 1e-9);
    }

    @Test
    void facilityLocationGainsOverManyBlocksMatchOneAtATimeWithACacheOfTwoBlocks() {
        Tensor x = Tensor.randn(new Generator(6), DType.F32, 400, 5);
        // 16 columns a block of 400 floats: the cache holds two blocks; the gains run over 25.
        Similarity small = Similarity.of(x, Similarity.Kernel.COSINE, 2L * 16 * 400 * Float.BYTES, 16);
        Similarity roomy = Similarity.of(x, Similarity.Kernel.COSINE);
        FacilityLocation a = new FacilityLocation(small);
        FacilityLocation b = new FacilityLocation(roomy);
        a.add(3);
        b.add(3);
        int[] all = new int[400];
        for (int i = 0; i < 400; i++) {
            all[i] = (i * 7) % 400;
        }
        double[] ga = a.gains(all);
        for (int i = 0; i < 400; i += 37) {
            assertEquals(b.gains(new int[]{all[i]})[0], ga[i], 0.0, "candidate " + all[i]);
        }
        // Candidates in order: each block computed once.
        long before = small.blocksComputed();
        int[] ordered = new int[400];
        for (int i = 0; i < 400; i++) {
            ordered[i] = i;
        }
        a.gains(ordered);
        assertTrue(small.blocksComputed() - before <= 25, "blocks computed: " + (small.blocksComputed() - before));
    }

    @Test
    void lazyGreedyReevaluatesABlocksCompanionsTogetherAndPicksWhatNaiveGreedyPicks() {
        Tensor x = Tensor.randn(new Generator(9), DType.F32, 640, 6);
        long twoBlocks = 2L * 16 * 640 * Float.BYTES;
        Greedy.Result naive = new NaiveGreedy().maximize(new FacilityLocation(Similarity.of(x, Similarity.Kernel.COSINE)), 25);
        Similarity withCompanions = Similarity.of(x, Similarity.Kernel.COSINE, twoBlocks, 16);
        Greedy.Result lazy = new LazyGreedy().maximize(new FacilityLocation(withCompanions), 25);
        assertArrayEquals(naive.order(), lazy.order());
        assertArrayEquals(naive.gains(), lazy.gains(), 0.0);
        // The same function without companions: one candidate at a time, a block computed for each miss.
        Similarity alone = Similarity.of(x, Similarity.Kernel.COSINE, twoBlocks, 16);
        FacilityLocation f = new FacilityLocation(alone);
        SetFunction oneAtATime = new SetFunction() {
            @Override
            public int size() {
                return f.size();
            }

            @Override
            public double[] gains(int[] candidates) {
                return f.gains(candidates);
            }

            @Override
            public void add(int e) {
                f.add(e);
            }

            @Override
            public double value() {
                return f.value();
            }
        };
        Greedy.Result single = new LazyGreedy().maximize(oneAtATime, 25);
        assertArrayEquals(naive.order(), single.order());
        assertTrue(withCompanions.blocksComputed() < alone.blocksComputed(),
                withCompanions.blocksComputed() + " blocks with companions, " + alone.blocksComputed() + " without");
    }

    @Test
    void aSmallCacheRecomputesTheSameBits() {
        Tensor x = Tensor.randn(new Generator(9), DType.F32, 300, 7);
        Similarity roomy = Similarity.of(x, Similarity.Kernel.RBF);
        Similarity tight = Similarity.of(x, Similarity.Kernel.RBF, 1); // one block at a time
        int[] order = {299, 0, 150, 17, 299, 18, 0, 256, 255};
        for (int j : order) {
            assertArrayEquals(roomy.column(j), tight.column(j), "column " + j);
        }
        assertEquals(2, roomy.blocksComputed(), "300 columns in blocks of 256");
        assertTrue(tight.blocksComputed() > roomy.blocksComputed(), "the tight cache evicts and recomputes");
    }
}
