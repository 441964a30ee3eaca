package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coreset baselines as sets: herding against a brute-force greedy, random orders, the set's content and meta. */
class RealImageSetsTest {
    @TempDir
    Path tmp;

    /** Herding by its definition: each pick, among the class's unpicked rows, minimises ||(t+1) mu_c - sum(picks) - phi(x)||. */
    private static int[] bruteForceHerding(double[][] f, int[] members, int k) {
        int e = f[0].length;
        double[] mu = new double[e];
        for (int i : members) {
            for (int j = 0; j < e; j++) {
                mu[j] += f[i][j] / members.length;
            }
        }
        double[] sum = new double[e];
        Set<Integer> taken = new HashSet<>();
        int[] picks = new int[k];
        for (int t = 0; t < k; t++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int i : members) {
                if (taken.contains(i)) {
                    continue;
                }
                double d = 0;
                for (int j = 0; j < e; j++) {
                    double r = (t + 1) * mu[j] - sum[j] - f[i][j];
                    d += r * r;
                }
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            picks[t] = best;
            taken.add(best);
            for (int j = 0; j < e; j++) {
                sum[j] += f[best][j];
            }
        }
        return picks;
    }

    @Test
    void herdingIsTheGreedyOfItsDefinitionInsideEachClassAndNested() {
        int n = 40;
        int e = 5;
        int classes = 3;
        Generator g = new Generator(7);
        double[] flat = Tensor.randn(g, DType.F64, n, e).toDoubleArray();
        double[][] f = new double[n][e];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % classes;
            System.arraycopy(flat, i * e, f[i], 0, e);
        }
        Tensor features = Tensor.from(DType.F64, flat, n, e);
        int[][] order = RealImageSets.herdingOrder(features, labels, classes, 6);
        for (int c = 0; c < classes; c++) {
            int cc = c;
            int[] members = java.util.stream.IntStream.range(0, n).filter(i -> labels[i] == cc).toArray();
            assertArrayEquals(bruteForceHerding(f, members, 6), order[c], "class " + c);
        }
        int[][] shorter = RealImageSets.herdingOrder(features, labels, classes, 2);
        for (int c = 0; c < classes; c++) {
            assertArrayEquals(Arrays.copyOf(order[c], 2), shorter[c], "herding's first picks do not depend on the budget");
        }
    }

    @Test
    void randomOrderIsSeededDistinctAndInsideTheClass() {
        Dataset train = SyntheticImages.make("train", 30, 0.3, 1);
        int[][] a = RealImageSets.randomOrder(train, 10, 0);
        int[][] b = RealImageSets.randomOrder(train, 10, 0);
        int[][] other = RealImageSets.randomOrder(train, 10, 1);
        assertTrue(Arrays.deepEquals(a, b));
        assertFalse(Arrays.deepEquals(a, other), "another seed, another order");
        for (int c = 0; c < a.length; c++) {
            assertEquals(10, Arrays.stream(a[c]).distinct().count(), "all 10 of the class, each once");
            for (int i : a[c]) {
                assertEquals(c, train.label(i));
            }
        }
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RealImageSets.randomOrder(train, 11, 0));
        assertTrue(ex.getMessage().contains("class 0 has 10 training examples; 11 were asked for"), ex.getMessage());
    }

    @Test
    void theSetHoldsTheChosenImagesClassByClassAndReadsBack() throws Exception {
        Dataset train = SyntheticImages.make("train", 30, 0.3, 1);
        Dataset test = SyntheticImages.make("test", 30, 0.3, 2);
        Model model = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 8, 2);
        RealImageSets.Features feats = RealImageSets.trainFeatureModel(model, train, test,
                TrainConfig.sgd(1, 8, 0.01, 0.9, 0), null);
        assertEquals(30, feats.embeddings().dim(0));
        assertEquals(model.embeddingSize(), feats.embeddings().dim(1));
        int[][] order = RealImageSets.herdingOrder(feats.embeddings(), train.labels(), train.classes(), 4);
        Normalization norm = new Normalization(new double[]{0.5}, new double[]{0.25});
        DistilledSet set = RealImageSets.set(RealImageSets.Kind.HERDING, train, norm, "synthetic", "convnet", order, 3, 5,
                java.util.Map.of("method", "herding"));
        assertArrayEquals(new int[]{1, 9, 1, 8, 8}, set.images().shape());
        int[] labels = set.flatHardLabels();
        assertArrayEquals(new int[]{0, 0, 0, 1, 1, 1, 2, 2, 2}, labels);
        Tensor flat = set.flatImages();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(train.images().select(0, order[c][i]).toFloatArray(), flat.select(0, c * 3 + i).toFloatArray(),
                        "image " + i + " of class " + c + " is training example " + order[c][i]);
            }
        }
        set.save(tmp.resolve("h"));
        DistilledSet back = DistilledSet.read(tmp.resolve("h"));
        assertEquals("herding", back.meta().get("method"));
        assertEquals("convnet", back.model().orElseThrow());
        assertEquals("synthetic", back.dataset().orElseThrow());
        assertEquals(3, back.ipc());
        assertArrayEquals(new double[]{0.5}, back.normalization().orElseThrow().mean(), 0);
        assertArrayEquals(set.images().toFloatArray(), back.images().toFloatArray());
        // The papers' protocol reads it like a distilled set.
        SyntheticSetEvaluation.Result r = SyntheticSetEvaluation.evaluate(model, back, test,
                SyntheticSetEvaluation.Config.forMethod(DistillMethod.DC).withModels(1).withEpochs(2), SyntheticSetEvaluation.Listener.NONE);
        assertEquals(1, r.testAccuracy().n());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RealImageSets.set(RealImageSets.Kind.RANDOM,
                train, norm, "synthetic", "convnet", order, 5, 0, java.util.Map.of()));
        assertTrue(ex.getMessage().contains("holds 4 examples; 5 per class"), ex.getMessage());
    }
}
