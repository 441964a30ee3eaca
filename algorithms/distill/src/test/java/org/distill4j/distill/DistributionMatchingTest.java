package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.GradCheck;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distribution matching: the loss by hand, its image gradient, a short run, checkpoints and resume, bad input. */
class DistributionMatchingTest {
    @TempDir
    Path tmp;

    @Test
    void lossMatchesAHandComputation() {
        // A 4-pixel MLP with 3 hidden ReLU units: embed(x) = relu(W x + b). Two classes, one
        // synthetic image each, two real images each; no augmentation.
        Model mlp = Models.mlp(new int[]{1, 2, 2}, 3, 2);
        Params net = mlp.init(new Generator(3), DType.F64);
        double[] w = net.get("fc1.weight").value().toDoubleArray();
        double[] b = net.get("fc1.bias").value().toDoubleArray();
        double[][] real0 = {{1, 2, 0, -1}, {0.5, -1, 2, 1}};
        double[][] real1 = {{-2, 0, 1, 1}, {1, 1, 1, 1}};
        double[][] syn = {{0.3, -0.2, 0.9, 0.1}, {-1, 0.4, 0.2, 2}};
        double want = 0;
        double[][][] real = {real0, real1};
        for (int c = 0; c < 2; c++) {
            for (int h = 0; h < 3; h++) {
                double meanReal = 0;
                for (double[] x : real[c]) {
                    meanReal += relu(w, b, h, x) / real[c].length;
                }
                double d = meanReal - relu(w, b, h, syn[c]);
                want += d * d;
            }
        }
        Tensor[] realT = {images(real0), images(real1)};
        Var s = Var.param(images(syn));
        double got = DistributionMatching.matchLoss(mlp, net, s, realT, 1, Augmentation.NONE, new long[]{1, 2}).item();
        assertEquals(want, got, 1e-12);
        assertTrue(want > 0.01, "a case where the loss is not ~0: " + want);
    }

    private static double relu(double[] w, double[] b, int h, double[] x) {
        double z = b[h];
        for (int i = 0; i < 4; i++) {
            z += w[h * 4 + i] * x[i];
        }
        return Math.max(0, z);
    }

    private static Tensor images(double[][] rows) {
        double[] flat = new double[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * 4, 4);
        }
        return Tensor.fromDoubles(flat, rows.length, 1, 2, 2);
    }

    @Test
    void imageGradientMatchesFiniteDifferencesThroughDsa() {
        Model convnet = Models.convnet(new int[]{1, 8, 8}, 3, 4, 2);
        Params net = convnet.init(new Generator(4), DType.F64).map((n, v) -> v.detach());
        Generator g = new Generator(5);
        Tensor[] real = {Tensor.randn(g, DType.F64, 3, 1, 8, 8), Tensor.randn(g, DType.F64, 2, 1, 8, 8),
            Tensor.randn(g, DType.F64, 4, 1, 8, 8)};
        Dsa dsa = Dsa.defaults().withMode(Dsa.Mode.MULTIPLE);
        GradCheck.checkSampled(x -> DistributionMatching.matchLoss(convnet, net, x[0], real, 2, dsa, new long[]{7, 8, 9}),
                40, Tensor.randn(g, DType.F64, 6, 1, 8, 8));
    }

    private static Splits data() {
        Dataset train = SyntheticImages.make("dm-train", 60, 0.5, 1);
        Dataset test = SyntheticImages.make("dm-test", 30, 0.5, 2);
        return new Splits(train, test, Normalization.of(new double[]{0}, new double[]{1}));
    }

    private static DmConfig.Builder tiny() {
        SyntheticSetEvaluation.Config eval = SyntheticSetEvaluation.Config.forMethod(DistillMethod.DM).withModels(2).withEpochs(4);
        return DmConfig.builder().ipc(2).iterations(6).batchReal(8).evalEvery(3).evaluation(eval);
    }

    private static final Model CONVNET = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 8, 2);

    @Test
    void aShortRunLowersTheLossAndRecordsItsCurves() throws Exception {
        List<Double> losses = new ArrayList<>();
        List<Integer> evaluated = new ArrayList<>();
        DistributionMatching.Result r = DistributionMatching.distill(CONVNET, data(), "synthetic", tiny().iterations(12).build(),
                DType.F32, null, new DistributionMatching.Listener() {
                    @Override
                    public void onIteration(int it, int total, double loss, double perIt, double eta) {
                        losses.add(loss);
                        assertTrue(perIt > 0 && eta >= 0);
                    }

                    @Override
                    public void onEvaluation(int it, SyntheticSetEvaluation.Result result) {
                        evaluated.add(it);
                        assertEquals(2, result.testAccuracy().n());
                    }
                });
        assertEquals(12, losses.size());
        assertEquals(List.of(0, 3, 6, 9, 12), evaluated);
        assertEquals(List.of(1, 6, 1, 8, 8), java.util.Arrays.stream(r.set().images().shape()).boxed().toList());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2}, r.set().flatHardLabels());
        assertEquals(2, r.lossCurve().size());
        assertEquals(5, r.accuracyCurve().size());
    }

    @Test
    void aResumedRunEndsWithTheSameImagesAsAnUninterruptedOne() throws Exception {
        DmConfig cfg = tiny().evalEvery(0).checkpointSeconds(1e-9).build();
        DistilledSet straight = DistributionMatching.distill(CONVNET, data(), "synthetic", cfg, DType.F32, null,
                DistributionMatching.Listener.NONE).set();
        Path dir = tmp.resolve("dm");
        DistributionMatching.Checkpointing ckpt = new DistributionMatching.Checkpointing(
                Output.check(dir, OutputKinds.DISTILLED_SET, false), Map.of("command", "test"), null, true);
        // Killed right after the checkpoint at iteration 4.
        assertThrows(IllegalStateException.class, () -> DistributionMatching.distill(CONVNET, data(), "synthetic", cfg,
                DType.F32, ckpt, new DistributionMatching.Listener() {
                    @Override
                    public void onIteration(int it, int total, double loss, double perIt, double eta) {
                    }

                    @Override
                    public void onCheckpoint(int it, Path folder) {
                        if (it == 4) {
                            throw new IllegalStateException("killed");
                        }
                    }
                }));
        Map<String, Object> meta = Json.readObject(dir.resolve("meta.json"));
        assertEquals(4, ((Number) ((Map<?, ?>) meta.get("progress")).get("iteration")).intValue());
        assertEquals("test", meta.get("command"));
        DistilledSet partial = DistilledSet.read(dir);  // a distilled folder evaluate-distilled reads
        assertEquals(1, partial.steps());
        int[] resumedAt = {-1};
        DistilledSet resumed = DistributionMatching.distill(CONVNET, data(), "synthetic", cfg, DType.F32, ckpt,
                new DistributionMatching.Listener() {
                    @Override
                    public void onIteration(int it, int total, double loss, double perIt, double eta) {
                    }

                    @Override
                    public void onResume(int it) {
                        resumedAt[0] = it;
                    }
                }).set();
        assertEquals(4, resumedAt[0]);
        assertArrayEquals(straight.images().toFloatArray(), resumed.images().toFloatArray(), 0);
        assertTrue((Boolean) ((Map<?, ?>) Json.readObject(dir.resolve("meta.json")).get("progress")).get("finished"));
        assertTrue(Files.exists(dir.resolve("momentum.npy")));
        // Other settings in the same unfinished folder are refused, in one line.
        Files.writeString(dir.resolve("meta.json"), Files.readString(dir.resolve("meta.json")).replace("\"finished\": true",
                "\"finished\": false").replace("\"finished\":true", "\"finished\":false"));
        DmConfig other = cfg.toBuilder().lrImg(0.5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributionMatching.distill(CONVNET,
                data(), "synthetic", other, DType.F32, ckpt, DistributionMatching.Listener.NONE));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }

    @Test
    void aFinishedRunIsExtendedByAskingForMoreIterations() throws Exception {
        DmConfig six = tiny().evalEvery(0).build();
        DistilledSet straight = DistributionMatching.distill(CONVNET, data(), "synthetic", six, DType.F32, null,
                DistributionMatching.Listener.NONE).set();
        Path dir = tmp.resolve("extend");
        DistributionMatching.Checkpointing ckpt = new DistributionMatching.Checkpointing(
                Output.check(dir, OutputKinds.DISTILLED_SET, false), Map.of(), null, true);
        DistributionMatching.distill(CONVNET, data(), "synthetic", six.toBuilder().iterations(2).build(), DType.F32, ckpt,
                DistributionMatching.Listener.NONE);
        int[] resumedAt = {-1};
        DistilledSet extended = DistributionMatching.distill(CONVNET, data(), "synthetic", six, DType.F32, ckpt,
                new DistributionMatching.Listener() {
                    @Override
                    public void onIteration(int it, int total, double loss, double perIt, double eta) {
                    }

                    @Override
                    public void onResume(int it) {
                        resumedAt[0] = it;
                    }
                }).set();
        assertEquals(2, resumedAt[0]);
        assertArrayEquals(straight.images().toFloatArray(), extended.images().toFloatArray(), 0);
    }

    @Test
    void refusesBadInputInOneLine() {
        Dataset train = data().train();
        assertThrows(IllegalArgumentException.class, () -> DistributionMatching.check("convnet", train, 0));
        assertThrows(IllegalArgumentException.class, () -> DistributionMatching.check("convnet", train, 21));
        DistributionMatching.check("convnet", train, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributionMatching.check("resnet18", train, 1));
        assertTrue(e.getMessage().contains("resnet18"));
        assertThrows(IllegalArgumentException.class, () -> DmConfig.builder().dsaStrategy("color_blur").build());
        assertEquals(DistillMethod.DM, DistillMethod.of("dm"));
        assertThrows(IllegalArgumentException.class, () -> DistillMethod.of("kip"));
        assertEquals("dsa", DistillMethod.DSA.id());
    }

    @Test
    void referenceDefaults() {
        DmConfig d = DmConfig.builder().build();
        assertEquals(50, d.ipc());
        assertEquals(20_000, d.iterations());
        assertEquals(1.0, d.lrImg());
        assertEquals(0.5, d.momentum());
        assertEquals(256, d.batchReal());
        assertEquals(DmConfig.ImageInit.REAL, d.init());
        assertEquals("color_crop_cutout_flip_scale_rotate", d.dsaStrategy());
        assertEquals(1000, d.evaluation().epochs());
        assertEquals(501, d.evaluation().decayEpoch());
        assertEquals(300, SyntheticSetEvaluation.Config.forMethod(DistillMethod.DC).epochs());
    }
}
