package org.distill4j.coreset.submodular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Softmax;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SubmodularSelectionTest {
    private static SelectionContext context(boolean balance) {
        int n = 90;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3 == 0 && i % 2 == 0 ? 2 : i % 3; // uneven classes
        }
        Dataset d = new Dataset("toy", Tensor.zeros(DType.F32, n, 1, 1, 1), labels, 3);
        Tensor emb = Tensor.randn(new Generator(1), DType.F32, n, 5);
        Tensor probs = Softmax.softmax(Tensor.randn(new Generator(2), DType.F32, n, 3), 1);
        return SelectionContext.precomputed(d, emb, probs, null, 7, balance);
    }

    @Test
    void lazyAndNaiveGreedySelectTheSameExamples() {
        for (boolean balance : new boolean[]{true, false}) {
            SelectionContext ctx = context(balance);
            for (String f : SubmodularSelection.FUNCTIONS) {
                for (SubmodularSelection.Features features : SubmodularSelection.Features.values()) {
                    Selection naive = new SubmodularSelection(f, features, Similarity.Kernel.COSINE,
                            SubmodularSelection.Optimizer.NAIVE, Double.NaN, 0.1).select(ctx, 20);
                    Selection lazy = new SubmodularSelection(f, features, Similarity.Kernel.COSINE,
                            SubmodularSelection.Optimizer.LAZY, Double.NaN, 0.1).select(ctx, 20);
                    assertArrayEquals(naive.indices(), lazy.indices(), f + " " + features + " balance " + balance);
                    assertArrayEquals(naive.scores(), lazy.scores(), 0, f + " " + features);
                }
            }
        }
    }

    @Test
    void stochasticGreedyIsSeededByTheContext() {
        SelectionContext ctx = context(true);
        for (String f : SubmodularSelection.FUNCTIONS) {
            SubmodularSelection m = new SubmodularSelection(f, SubmodularSelection.Features.EMBEDDINGS,
                    Similarity.Kernel.RBF, SubmodularSelection.Optimizer.STOCHASTIC, Double.NaN, 0.1);
            Selection a = m.select(ctx, 25);
            assertEquals(25, a.size());
            assertArrayEquals(a.indices(), m.select(context(true), 25).indices(), f);
        }
    }

    @Test
    void theRegistryBuildsEachFunctionUnderItsName() {
        for (String f : SubmodularSelection.FUNCTIONS) {
            assertEquals(f, CoresetMethods.byName(f).name());
        }
        assertThrows(IllegalArgumentException.class, () -> new SubmodularSelection("max-cut"));
    }
}
