package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.Evaluator;
import org.distill4j.train.SampleStats;
import org.junit.jupiter.api.Test;

/**
 * What the CLI's evaluation of a distilled set (DistillData.evaluate) relies on, on hand-made sets
 * of {@link SyntheticImages} class means: replay runs step t on the images of step t mod S with
 * rate t, ordinary training uses the images with their hard labels, and the evaluation
 * initialisations are reproducible and apart from the ones a run trains on.
 */
class DistilledEvaluationTest {
    private static final Dataset TRAIN = SyntheticImages.make("synthetic", 300, 2.0, 1);
    private static final Dataset TEST = SyntheticImages.make("synthetic-test", 300, 2.0, 2);
    private static final Model MLP = Models.mlp(SyntheticImages.SHAPE, 16, SyntheticImages.CLASSES);
    private static final Params[] INITS = DistilledEvaluation.evaluationInits(MLP, false, 5, 3, DType.F32);
    /** Class c's mean training image in slot c: [3, 1, 8, 8]. */
    private static final Tensor MEANS = Baselines.classMeans(TRAIN, 1, 1, new double[]{1}).flatImages();

    /** A set of S = {@code labels.length} steps, each the three class means with the given labels. */
    private static DistilledSet means(int[][] labels, double... lrs) {
        Tensor[] images = new Tensor[labels.length];
        Tensor[] labelTensors = new Tensor[labels.length];
        for (int s = 0; s < labels.length; s++) {
            images[s] = MEANS;
            labelTensors[s] = Tensor.fromInts(labels[s], labels[s].length);
        }
        Map<String, Object> meta = Map.of("model", "mlp", "classes", 3, "ipc", 1, "steps", labels.length);
        return new DistilledSet(Indexing.stack(0, images), Indexing.stack(0, labelTensors), lrs, meta);
    }

    private static final int[] RIGHT = {0, 1, 2};
    /** Every mean labelled as the next class: a network trained on these is wrong, not merely unsure. */
    private static final int[] WRONG = {1, 2, 0};

    @Test
    void replayWithVanishingRatesLeavesEachNetworkAsInitialised() {
        SampleStats s = DistilledEvaluation.replay(MLP, means(new int[][]{RIGHT}, 1e-12, 1e-12), TEST, INITS);
        assertEquals(INITS.length, s.values().length);
        for (int i = 0; i < INITS.length; i++) {
            assertEquals(Evaluator.accuracy(MLP, INITS[i], TEST), s.values()[i], "network " + i);
        }
        assertEquals(Arrays.stream(s.values()).average().orElseThrow(), s.mean(), 1e-12);
    }

    @Test
    void replayTakesStepTsImagesAndLabelsFromStepTModSWithRateT() {
        // Two steps x three epochs: steps 0, 2, 4 show step 0's images, steps 1, 3, 5 step 1's.
        double big = 0.5;
        double none = 1e-12;
        SampleStats right = DistilledEvaluation.replay(MLP,
                means(new int[][]{RIGHT, WRONG}, big, none, big, none, big, none), TEST, INITS);
        SampleStats wrong = DistilledEvaluation.replay(MLP,
                means(new int[][]{RIGHT, WRONG}, none, big, none, big, none, big), TEST, INITS);
        String figures = "right labels " + Arrays.toString(right.values()) + ", wrong labels " + Arrays.toString(wrong.values());
        for (int i = 0; i < INITS.length; i++) {
            assertTrue(right.values()[i] > 0.75, figures);  // chance is 1/3
            assertTrue(wrong.values()[i] < 0.25, figures);
        }
        assertTrue(wrong.mean() < 0.15, figures);
    }

    @Test
    void ordinaryTrainingUsesTheImagesWithTheirHardLabels() {
        DistilledSet hard = means(new int[][]{RIGHT, RIGHT}, 0.02, 0.02);
        SampleStats right = DistilledEvaluation.trainOrdinary(MLP, hard, TEST, INITS, 30, 0.01, 5);
        SampleStats wrong = DistilledEvaluation.trainOrdinary(MLP, means(new int[][]{WRONG, WRONG}, 0.02, 0.02),
                TEST, INITS, 30, 0.01, 5);
        String figures = "right labels " + Arrays.toString(right.values()) + ", wrong labels " + Arrays.toString(wrong.values());
        for (int i = 0; i < INITS.length; i++) {
            assertTrue(right.values()[i] > 0.75, figures);  // chance is 1/3
            assertTrue(wrong.values()[i] < 0.25, figures);
        }
        assertTrue(wrong.mean() < 0.15, figures);
        // Soft labels are trained on as their arg-max: 0.8 on the right class gives the same networks.
        double[] p = new double[2 * 3 * 3];
        for (int row = 0; row < 6; row++) {
            for (int c = 0; c < 3; c++) {
                p[row * 3 + c] = c == row % 3 ? 0.8 : 0.1;
            }
        }
        DistilledSet soft = new DistilledSet(hard.images(), Tensor.from(DType.F32, p, 2, 3, 3), hard.lrs(), hard.meta());
        assertArrayEquals(right.values(), DistilledEvaluation.trainOrdinary(MLP, soft, TEST, INITS, 30, 0.01, 5).values());
    }

    @Test
    void evaluationInitialisationsAreReproducibleAndApartFromTrainingOnes() {
        long seed = 11;
        Params[] fixed = DistilledEvaluation.evaluationInits(MLP, true, seed, 2, DType.F32);
        Params[] unseen = DistilledEvaluation.evaluationInits(MLP, false, seed, 2, DType.F32);
        assertArrayEquals(flat(fixed[1]), flat(DistilledEvaluation.evaluationInits(MLP, true, seed, 2, DType.F32)[1]));
        assertArrayEquals(flat(unseen[1]), flat(DistilledEvaluation.evaluationInits(MLP, false, seed, 2, DType.F32)[1]));
        // Fixed init evaluates on the networks it trained on; random init on networks it never saw.
        assertArrayEquals(flat(fixed[0]), flat(Initializations.fixed(MLP, seed, 0, DType.F32)));
        float[][] all = {flat(fixed[0]), flat(fixed[1]), flat(unseen[0]), flat(unseen[1]),
                flat(Initializations.training(MLP, seed, 0, 0, DType.F32))};
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                assertFalse(Arrays.equals(all[i], all[j]), "initialisations " + i + " and " + j + " coincide");
            }
        }
    }

    private static float[] flat(Params p) {
        return p.flatten().toFloatArray();
    }
}
