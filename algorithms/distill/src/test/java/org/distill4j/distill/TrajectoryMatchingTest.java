package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trajectory matching (MTT): the exact gradient, both memory modes, expert folders, resume. */
class TrajectoryMatchingTest {
    private static final DType F64 = DType.F64;

    private record Problem(Model model, Var images, int[] labels, Var lr, Params from, Params target,
                           TrajectoryMatching.Step[] plan) {
    }

    private static Problem problem(Model model, int steps, int batch, long seed) {
        Generator g = new Generator(seed);
        int n = 2 * model.classes();
        int[] shape = model.inputShape();
        Var images = Var.param(Tensor.randn(g.fork(0), F64, n, shape[0], shape[1], shape[2]));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 2;
        }
        Params from = model.init(g.fork(1), F64);
        Params target = model.init(g.fork(2), F64);
        return new Problem(model, images, labels, Var.param(Tensor.scalar(F64, 0.05)), from, target,
                TrajectoryMatching.plan(n, batch, steps, g.fork(3)));
    }

    private static TrajectoryMatching.Gradient gradient(Problem p, Augmentation aug, UnrolledTraining.Memory memory) {
        return TrajectoryMatching.gradient(p.model, p.images, p.labels, p.lr, p.from, p.target, p.plan, aug, memory);
    }

    private static double fd(Problem p, Var leaf, int index, Augmentation aug) {
        double eps = 1e-6;
        double[] v = leaf.value().toDoubleArray();
        Tensor original = leaf.value().copy();
        v[index] += eps;
        GradientMatchingTest.set(leaf, Tensor.from(F64, v, leaf.shape()));
        double plus = gradient(p, aug, UnrolledTraining.Memory.KEEP).loss();
        v[index] -= 2 * eps;
        GradientMatchingTest.set(leaf, Tensor.from(F64, v, leaf.shape()));
        double minus = gradient(p, aug, UnrolledTraining.Memory.KEEP).loss();
        GradientMatchingTest.set(leaf, original);
        return (plus - minus) / (2 * eps);
    }

    @Test
    void gradientMatchesFiniteDifferencesInFloat64() {
        Model model = Models.convnet(new int[]{1, 6, 6}, 3, 3, 1);
        for (Augmentation aug : new Augmentation[]{Augmentation.NONE, GradientMatchingTest.TOY}) {
            // 4 steps over 6 images in batches of 4: chunks of 4 and 2, then a new permutation.
            Problem p = problem(model, 4, 4, 9);
            for (UnrolledTraining.Memory memory : UnrolledTraining.Memory.values()) {
                TrajectoryMatching.Gradient g = gradient(p, aug, memory);
                double[] gi = g.images().toDoubleArray();
                Generator pick = new Generator(13);
                for (int k = 0; k < 6; k++) {
                    int i = pick.nextInt(p.images.size());
                    check(fd(p, p.images, i, aug), gi[i], memory + " pixel " + i);
                }
                check(fd(p, p.lr, 0, aug), g.lr().item(), memory + " rate");
            }
        }
    }

    private static void check(double numeric, double analytic, String what) {
        assertTrue(Math.abs(numeric) + Math.abs(analytic) > 1e-9, what + ": gradient is zero, the test would be empty");
        assertEquals(numeric, analytic, 1e-7 + 1e-4 * Math.abs(numeric), what);
    }

    @Test
    void keepAndRecomputeGiveTheSameGradient() {
        Model model = Models.convnet(new int[]{1, 8, 8}, 3, 4, 2);
        Problem p = problem(model, 5, 3, 4);
        TrajectoryMatching.Gradient a = gradient(p, GradientMatchingTest.TOY, UnrolledTraining.Memory.KEEP);
        TrajectoryMatching.Gradient b = gradient(p, GradientMatchingTest.TOY, UnrolledTraining.Memory.RECOMPUTE);
        assertEquals(a.loss(), b.loss(), 1e-13);
        assertEquals(a.lr().item(), b.lr().item(), 1e-10 * Math.abs(a.lr().item()));
        double[] x = a.images().toDoubleArray();
        double[] y = b.images().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-12 + 1e-9 * Math.abs(x[i]), "pixel " + i);
        }
    }

    @Test
    void planTakesChunksFromTheEndAndRefills() {
        TrajectoryMatching.Step[] plan = TrajectoryMatching.plan(5, 2, 4, new Generator(1));
        int[] perm = new Generator(1).fork(0).permutation(5);
        assertArrayEquals(new int[]{perm[4]}, plan[0].indices());
        assertArrayEquals(new int[]{perm[2], perm[3]}, plan[1].indices());
        assertArrayEquals(new int[]{perm[0], perm[1]}, plan[2].indices());
        assertEquals(1, plan[3].indices().length);
        assertTrue(plan[0].seed() != plan[1].seed());
    }

    @Test
    void defaultsAreTheReferences() {
        TrajectoryMatchingConfig c = TrajectoryMatchingConfig.builder().build();
        assertEquals(20, c.synSteps());
        assertEquals(3, c.expertEpochs());
        assertEquals(25, c.maxStartEpoch());
        assertEquals(1000, c.lrImg());
        assertEquals(1e-5, c.lrLr());
        assertEquals(0.01, c.lrTeacher());
        assertEquals(5000, c.iterations());
        assertEquals(ImageInit.REAL, c.init());
        assertEquals(UnrolledTraining.Memory.RECOMPUTE, c.memory());
        ExpertConfig e = ExpertConfig.builder().build();
        assertEquals(100, e.experts());
        assertEquals(50, e.epochs());
        assertEquals(0.01, e.lr());
        assertEquals(0, e.momentum());
        assertEquals(0, e.weightDecay());
        assertEquals(256, e.batchTrain());
    }

    private static final Model TINY = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 4, 1);

    private static ExpertConfig experts(int n) {
        return ExpertConfig.builder().experts(n).epochs(3).batchTrain(16).lr(0.05).seed(2).build();
    }

    @Test
    void expertsAreSavedEveryEpochAndResumed(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("synthetic", 48, 0.3, 1);
        Dataset test = SyntheticImages.make("synthetic-test", 30, 0.3, 2);
        Path dir = tmp.resolve("experts");
        List<String> events = new ArrayList<>();
        ExpertTrajectories.Listener log = new ExpertTrajectories.Listener() {
            @Override
            public void onSkipped(int expert, int n) {
                events.add("skip " + expert);
            }

            @Override
            public void onResumed(int expert, int n, int epoch) {
                events.add("resume " + expert + " after " + epoch);
            }

            @Override
            public void onEpoch(int expert, int n, int epoch, int epochs, double loss, double acc, double seconds) {
                events.add("epoch " + expert + "." + epoch);
            }
        };
        ExpertTrajectories.Summary s = ExpertTrajectories.train(TINY, train, test, "synthetic", null, experts(2),
                Augmentation.NONE, "none", dir, false, log);
        assertEquals(2, s.trained());
        assertEquals(List.of("epoch 0.1", "epoch 0.2", "epoch 0.3", "epoch 1.1", "epoch 1.2", "epoch 1.3"), events);
        for (int ep = 0; ep <= 3; ep++) {
            assertTrue(Files.isRegularFile(dir.resolve("expert_0001").resolve(ExpertTrajectories.epochFile(ep))));
        }
        ExpertTrajectories opened = ExpertTrajectories.open(dir, TINY, train);
        assertEquals(2, opened.experts());
        assertEquals(3, opened.epochs());
        float[] e1 = opened.epoch(1, 3).flatten().toFloatArray();
        String sums1 = Files.readString(dir.resolve("expert_0001/done.json"));
        sums1 = sums1.substring(sums1.indexOf("\"sha256\""));
        // An interrupted expert (no done.json) goes on from its last saved epoch; finished ones are skipped; a third is added.
        Files.delete(dir.resolve("expert_0001/done.json"));
        Files.delete(dir.resolve("expert_0001/epoch_003.npy"));
        events.clear();
        s = ExpertTrajectories.train(TINY, train, test, "synthetic", null, experts(3), Augmentation.NONE, "none", dir, false, log);
        assertEquals(List.of("skip 0", "resume 1 after 2", "epoch 1.3", "epoch 2.1", "epoch 2.2", "epoch 2.3"), events);
        assertEquals(2, s.trained());
        assertEquals(1, s.skipped());
        opened = ExpertTrajectories.open(dir, TINY, train);
        assertEquals(3, opened.experts());
        assertArrayEquals(e1, opened.epoch(1, 3).flatten().toFloatArray(), "the resumed expert ends where the uninterrupted one did");
        String again = Files.readString(dir.resolve("expert_0001/done.json"));
        assertEquals(sums1, again.substring(again.indexOf("\"sha256\"")), "every epoch's file the same, and recorded");
        // Interrupted right after its initialisation, or with its last file cut short: from the start, the same again.
        Files.delete(dir.resolve("expert_0001/done.json"));
        for (int ep = 1; ep <= 3; ep++) {
            Files.delete(dir.resolve("expert_0001").resolve(ExpertTrajectories.epochFile(ep)));
        }
        events.clear();
        ExpertTrajectories.train(TINY, train, test, "synthetic", null, experts(3), Augmentation.NONE, "none", dir, false, log);
        assertEquals(List.of("skip 0", "resume 1 after 0", "epoch 1.1", "epoch 1.2", "epoch 1.3", "skip 2"), events);
        assertArrayEquals(e1, ExpertTrajectories.open(dir, TINY, train).epoch(1, 3).flatten().toFloatArray());
        Files.delete(dir.resolve("expert_0001/done.json"));
        Path last = dir.resolve("expert_0001").resolve(ExpertTrajectories.epochFile(3));
        byte[] whole = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(whole, whole.length - 8));
        events.clear();
        ExpertTrajectories.train(TINY, train, test, "synthetic", null, experts(3), Augmentation.NONE, "none", dir, false, log);
        assertEquals(List.of("skip 0", "epoch 1.1", "epoch 1.2", "epoch 1.3", "skip 2"), events);
        assertArrayEquals(e1, ExpertTrajectories.open(dir, TINY, train).epoch(1, 3).flatten().toFloatArray());
        // Other settings: refused in one line.
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ExpertTrajectories.train(TINY, train,
                test, "synthetic", null, ExpertConfig.builder().experts(3).epochs(4).batchTrain(16).lr(0.05).seed(2).build(),
                Augmentation.NONE, "none", dir, false, ExpertTrajectories.Listener.NONE));
        assertTrue(other.getMessage().contains("other settings"), other.getMessage());
    }

    @Test
    void resumingReplaysTheRateDropAndRedoesExpertsWithMomentum(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("synthetic", 48, 0.3, 1);
        List<String> events = new ArrayList<>();
        ExpertTrajectories.Listener log = new ExpertTrajectories.Listener() {
            @Override
            public void onResumed(int expert, int n, int epoch) {
                events.add("resume " + epoch);
            }

            @Override
            public void onEpoch(int expert, int n, int epoch, int epochs, double loss, double acc, double seconds) {
                events.add("epoch " + epoch);
            }
        };
        // Six epochs with the reference's decay: the rate drops after epoch 4 (6 / 2 + 1), so epoch 6 runs at a tenth.
        for (double momentum : new double[] {0, 0.9}) {
            ExpertConfig cfg = ExpertConfig.builder().experts(1).epochs(6).batchTrain(16).lr(0.05).momentum(momentum)
                    .decay(true).seed(3).build();
            Path dir = tmp.resolve("m" + momentum);
            ExpertTrajectories.train(TINY, train, null, "synthetic", null, cfg, Augmentation.NONE, "none", dir, false, log);
            float[][] whole = new float[7][];
            for (int ep = 0; ep <= 6; ep++) {
                whole[ep] = ExpertTrajectories.open(dir, TINY, train).epoch(0, ep).flatten().toFloatArray();
            }
            for (int cut : new int[] {5, 4}) {
                Files.delete(dir.resolve("expert_0000/done.json"));
                for (int ep = cut + 1; ep <= 6; ep++) {
                    Files.delete(dir.resolve("expert_0000").resolve(ExpertTrajectories.epochFile(ep)));
                }
                events.clear();
                ExpertTrajectories.train(TINY, train, null, "synthetic", null, cfg, Augmentation.NONE, "none", dir, false, log);
                List<String> expected = new ArrayList<>();
                if (momentum == 0) {
                    expected.add("resume " + cut);
                }
                for (int ep = momentum == 0 ? cut + 1 : 1; ep <= 6; ep++) {
                    expected.add("epoch " + ep);
                }
                assertEquals(expected, events, "momentum " + momentum + ", cut after epoch " + cut);
                ExpertTrajectories opened = ExpertTrajectories.open(dir, TINY, train);
                for (int ep = 0; ep <= 6; ep++) {
                    assertArrayEquals(whole[ep], opened.epoch(0, ep).flatten().toFloatArray(), "epoch " + ep);
                }
            }
        }
    }

    @Test
    void refusesMissingTruncatedAndForeignExpertFolders(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("synthetic", 48, 0.3, 1);
        Path dir = tmp.resolve("experts");
        assertThrows(NoSuchFileException.class, () -> ExpertTrajectories.open(dir, TINY, train));
        ExpertTrajectories.train(TINY, train, null, "synthetic", null, experts(1), Augmentation.NONE, "none", dir, false,
                ExpertTrajectories.Listener.NONE);
        Model wider = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 5, 1);
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, () -> ExpertTrajectories.open(dir, wider, train));
        assertTrue(model.getMessage().contains("holds experts of model"), model.getMessage());
        Dataset otherData = SyntheticImages.make("synthetic", 48, 0.3, 99);
        IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
                () -> ExpertTrajectories.open(dir, TINY, otherData));
        assertTrue(data.getMessage().contains("other data"), data.getMessage());
        Path f = dir.resolve("expert_0000/epoch_002.npy");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        IOException cut = assertThrows(IOException.class, () -> ExpertTrajectories.open(dir, TINY, train));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Files.delete(f);
        cut = assertThrows(IOException.class, () -> ExpertTrajectories.open(dir, TINY, train));
        assertTrue(cut.getMessage().contains("missing"), cut.getMessage());
        Files.delete(dir.resolve("expert_0000/done.json"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ExpertTrajectories.open(dir, TINY, train));
        assertTrue(none.getMessage().contains("no finished expert"), none.getMessage());
    }

    private static TrajectoryMatchingConfig mtt(int iterations, UnrolledTraining.Memory memory) {
        return TrajectoryMatchingConfig.builder().ipc(2).iterations(iterations).synSteps(3).expertEpochs(1).maxStartEpoch(2)
                .lrImg(10).lrLr(1e-4).batchSyn(4).memory(memory).seed(3).build();
    }

    @Test
    void distillsResumesAndRefusesTooShortExperts(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("synthetic", 48, 0.3, 1);
        Path dir = tmp.resolve("experts");
        ExpertTrajectories.train(TINY, train, null, "synthetic", null, experts(2), GradientMatchingTest.TOY, "toy", dir, false,
                ExpertTrajectories.Listener.NONE);
        ExpertTrajectories ex = ExpertTrajectories.open(dir, TINY, train);
        TrajectoryMatching.Result full = TrajectoryMatching.distill(TINY, train, mtt(4, UnrolledTraining.Memory.RECOMPUTE), ex,
                GradientMatchingTest.TOY, "toy", DType.F32, Checkpointing.NONE, DistillProgress.Listener.NONE);
        assertTrue(Double.isFinite(full.finalLoss()));
        assertTrue(full.learnedLr() != 0.01, "the rate is learned");
        assertEquals(full.learnedLr(), full.set().lrs()[0]);
        Checkpointing ck = new Checkpointing(tmp.resolve("ckpt"), 1e-9, false);
        TrajectoryMatching.distill(TINY, train, mtt(2, UnrolledTraining.Memory.RECOMPUTE), ex, GradientMatchingTest.TOY, "toy",
                DType.F32, ck, DistillProgress.Listener.NONE);
        // Resumed in the other memory mode (not a pinned setting): the same images up to rounding.
        TrajectoryMatching.Result resumed = TrajectoryMatching.distill(TINY, train, mtt(4, UnrolledTraining.Memory.KEEP), ex,
                GradientMatchingTest.TOY, "toy", DType.F32, ck, DistillProgress.Listener.NONE);
        assertEquals(2, resumed.resumedFrom());
        float[] a = full.set().images().toFloatArray();
        float[] b = resumed.set().images().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-3 + 1e-3 * Math.abs(a[i]), "pixel " + i);
        }
        IllegalArgumentException shortExperts = assertThrows(IllegalArgumentException.class, () -> TrajectoryMatching.distill(TINY,
                train, TrajectoryMatchingConfig.builder().ipc(1).iterations(1).maxStartEpoch(3).expertEpochs(2).build(), ex,
                Augmentation.NONE, "none", DType.F32, Checkpointing.NONE, DistillProgress.Listener.NONE));
        assertTrue(shortExperts.getMessage().contains("need 4"), shortExperts.getMessage());
    }
}
