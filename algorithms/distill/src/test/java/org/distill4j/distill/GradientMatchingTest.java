package org.distill4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Dataset;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gradient matching (DC): the reference's distance, the exact image gradient, the loops, resume. */
class GradientMatchingTest {
    private static final DType F64 = DType.F64;

    /** The reference's distance_wb in plain doubles: rows per output channel, sum of 1 - cos with 1e-6. */
    private static double reference(double[] r, double[] s, int rows) {
        int cols = r.length / rows;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            double dot = 0;
            double nr = 0;
            double ns = 0;
            for (int j = 0; j < cols; j++) {
                dot += r[i * cols + j] * s[i * cols + j];
                nr += r[i * cols + j] * r[i * cols + j];
                ns += s[i * cols + j] * s[i * cols + j];
            }
            sum += 1 - dot / (Math.sqrt(nr) * Math.sqrt(ns) + 0.000001);
        }
        return sum;
    }

    @Test
    void distanceIsTheReferenceFormulaOnAHandCase() {
        // Rows [1, 0] vs [1, 0]: 1 - 1 / (1 + 1e-6); rows [0, 1] vs [1, 1]: 1 - 1 / (sqrt 2 + 1e-6).
        Var r = Var.constant(Tensor.from(F64, new double[]{1, 0, 0, 1}, 2, 2));
        Var s = Var.constant(Tensor.from(F64, new double[]{1, 0, 1, 1}, 2, 2));
        double want = (1 - 1 / (1 + 1e-6)) + (1 - 1 / (Math.sqrt(2) + 1e-6));
        assertEquals(want, GradientMatching.distance(r, s).item(), 1e-15);
        // Opposite rows: 2 each.
        Var neg = Var.constant(Tensor.from(F64, new double[]{-1, 0, 0, -1}, 2, 2));
        assertEquals(2 * (1 + 1 / (1 + 1e-6)), GradientMatching.distance(r, neg).item(), 1e-12);
    }

    @Test
    void distanceReshapesByOutputChannelAndIgnoresVectors() {
        Generator g = new Generator(5);
        // conv [out 3, in 2, 2, 2]: rows of 8; layer-norm-like [3, 4, 5]: rows of 20; linear [4, 6]; bias [5] gives 0.
        int[][] shapes = {{3, 2, 2, 2}, {3, 4, 5}, {4, 6}};
        for (int[] shape : shapes) {
            Tensor a = Tensor.randn(g.fork(shape.length), F64, shape);
            Tensor b = Tensor.randn(g.fork(10 + shape.length), F64, shape);
            double want = reference(a.toDoubleArray(), b.toDoubleArray(), shape[0]);
            assertEquals(want, GradientMatching.distance(Var.constant(a), Var.constant(b)).item(), 1e-12,
                    java.util.Arrays.toString(shape));
        }
        Tensor v = Tensor.randn(g.fork(99), F64, 5);
        assertEquals(0, GradientMatching.distance(Var.constant(v), Var.constant(Elementwise.affine(v, -1, 0))).item());
        // match_loss 'ours' sums the layers, biases contributing nothing.
        Tensor w1 = Tensor.randn(g.fork(1), F64, 3, 4);
        Tensor w2 = Tensor.randn(g.fork(2), F64, 3, 4);
        Var[] real = {Var.constant(w1), Var.constant(v)};
        Var[] syn = {Var.constant(w2), Var.constant(Elementwise.affine(v, 3, 1))};
        assertEquals(reference(w1.toDoubleArray(), w2.toDoubleArray(), 3),
                GradientMatching.matchLoss(syn, real, GradientMatchingConfig.Metric.OURS).item(), 1e-12);
        // mse and cos over the concatenated gradients.
        double[] a = concat(w1.toDoubleArray(), v.toDoubleArray());
        double[] b = concat(w2.toDoubleArray(), Elementwise.affine(v, 3, 1).toDoubleArray());
        double mse = 0;
        for (int i = 0; i < a.length; i++) {
            mse += (a[i] - b[i]) * (a[i] - b[i]);
        }
        assertEquals(mse, GradientMatching.matchLoss(syn, real, GradientMatchingConfig.Metric.MSE).item(), 1e-10);
        assertEquals(reference(a, b, 1), GradientMatching.matchLoss(syn, real, GradientMatchingConfig.Metric.COS).item(), 1e-12);
    }

    @Test
    void aZeroRowGivesNoNaNAndTorchNormsGradient() {
        // A synthetic gradient row of zeros (a unit no synthetic image activates): torch.norm's backward is 0 there, so
        // d/ds of 1 - <r, s> / (|r| |s| + 1e-6) at s = 0 is -r / 1e-6, finite.
        Var r = Var.constant(Tensor.from(F64, new double[]{3, 4, 1, 0}, 2, 2));
        Var s = Var.param(Tensor.from(F64, new double[]{0, 0, 1, 1}, 2, 2));
        Var d = GradientMatching.distance(r, s);
        double[] g = Autodiff.grad(d, s)[0].value().toDoubleArray();
        assertEquals(1 + (1 - 1 / (Math.sqrt(2) + 1e-6)), d.item(), 1e-12);
        assertEquals(-3 / 1e-6, g[0], 1e-3);
        assertEquals(-4 / 1e-6, g[1], 1e-3);
        for (double v : g) {
            assertTrue(Double.isFinite(v));
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void loopsFollowTheReferenceGetLoops() {
        assertArrayEquals(new int[]{1, 1}, GradientMatchingConfig.loops(1));
        assertArrayEquals(new int[]{10, 50}, GradientMatchingConfig.loops(10));
        assertArrayEquals(new int[]{50, 10}, GradientMatchingConfig.loops(50));
        GradientMatchingConfig c = GradientMatchingConfig.builder().ipc(10).build();
        assertEquals(10, c.outerLoop());
        assertEquals(50, c.innerLoop());
        assertEquals(0.1, c.lrImg());
        assertEquals(0.5, c.momentumImg());
        assertEquals(0.01, c.lrNet());
        assertEquals(256, c.batchReal());
        assertEquals(256, c.batchTrain());
        assertEquals(ImageInit.NOISE, c.init());
        assertEquals(1000, c.iterations());
        assertThrows(IllegalArgumentException.class, () -> GradientMatchingConfig.builder().ipc(3).build());
        assertEquals(2, GradientMatchingConfig.builder().ipc(3).outerLoop(2).innerLoop(4).build().outerLoop());
    }

    /** A seed-dependent differentiable augmentation for the tests: brightness shift and contrast scale drawn from the seed. */
    static final Augmentation TOY = (x, seed) -> {
        Generator g = new Generator(seed);
        double scale = 0.5 + g.nextDouble();
        double shift = g.nextDouble() - 0.5;
        return x.mul(scale).add(shift);
    };

    @Test
    void imageGradientMatchesFiniteDifferencesInFloat64() {
        Model model = Models.convnet(new int[]{1, 6, 6}, 3, 3, 1);
        Generator gen = new Generator(3);
        Params net = model.init(gen.fork(0), F64);
        Var syn = Var.param(Tensor.randn(gen.fork(1), F64, 2, 1, 6, 6));
        Tensor synLabels = Tensor.fromInts(new int[]{1, 1}, 2);
        Tensor real = Tensor.randn(gen.fork(2), F64, 5, 1, 6, 6);
        Tensor realLabels = Tensor.fromInts(new int[]{1, 1, 1, 1, 1}, 5);
        for (Augmentation aug : new Augmentation[]{Augmentation.NONE, TOY}) {
            for (GradientMatchingConfig.Metric metric : GradientMatchingConfig.Metric.values()) {
                Var loss = GradientMatching.classLoss(model, net, syn, synLabels, real, realLabels, aug, 42, metric);
                double[] g = Autodiff.grad(loss, syn)[0].value().toDoubleArray();
                Generator pick = new Generator(11);
                for (int k = 0; k < 6; k++) {
                    int i = pick.nextInt(syn.size());
                    double eps = 1e-6;
                    double[] v = syn.value().toDoubleArray();
                    Tensor original = syn.value().copy();
                    v[i] += eps;
                    set(syn, Tensor.from(F64, v, syn.shape()));
                    double plus = GradientMatching.classLoss(model, net, syn, synLabels, real, realLabels, aug, 42, metric).item();
                    v[i] -= 2 * eps;
                    set(syn, Tensor.from(F64, v, syn.shape()));
                    double minus = GradientMatching.classLoss(model, net, syn, synLabels, real, realLabels, aug, 42, metric).item();
                    set(syn, original);
                    double numeric = (plus - minus) / (2 * eps);
                    assertTrue(Math.abs(numeric) + Math.abs(g[i]) > 1e-9, "empty gradient");
                    assertEquals(numeric, g[i], 1e-6 + 1e-4 * Math.abs(numeric), metric + " pixel " + i);
                }
            }
        }
    }

    static void set(Var leaf, Tensor value) {
        Elementwise.unaryInto(UnaryOp.AFFINE, value, 1, 0, leaf.value());
    }

    private static GradientMatchingConfig small(int iterations) {
        return GradientMatchingConfig.builder().ipc(2).outerLoop(2).innerLoop(2).batchReal(16).batchTrain(4)
                .iterations(iterations).seed(7).build();
    }

    @Test
    void distillsAndResumesBitForBit(@TempDir Path tmp) throws Exception {
        Dataset train = SyntheticImages.make("synthetic", 60, 0.3, 1);
        Model model = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 4, 1);
        List<Double> losses = new ArrayList<>();
        GradientMatching.Result full = GradientMatching.distill(model, train, small(4), TOY, "toy", DType.F32,
                Checkpointing.NONE, new DistillProgress.Listener() {
                    @Override
                    public void onIteration(DistillProgress p) {
                        losses.add(p.loss());
                        assertTrue(p.iterationsPerSecond() > 0);
                    }
                });
        assertEquals(4, losses.size());
        assertArrayEquals(new int[]{1, 6, 1, 8, 8}, full.set().images().shape());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2}, full.set().labels().toIntArray());
        assertEquals(0.01, full.set().lrs()[0]);
        // Interrupted after 2 iterations (a checkpoint every iteration), then resumed to 4.
        Checkpointing ck = new Checkpointing(tmp.resolve("ckpt"), 1e-9, false);
        GradientMatching.distill(model, train, small(2), TOY, "toy", DType.F32, ck, DistillProgress.Listener.NONE);
        assertTrue(Files.isRegularFile(tmp.resolve("ckpt/meta.json")));
        int[] resumedAt = {-1};
        GradientMatching.Result resumed = GradientMatching.distill(model, train, small(4), TOY, "toy", DType.F32, ck,
                new DistillProgress.Listener() {
                    @Override
                    public void onResume(int iteration, Path checkpoint) {
                        resumedAt[0] = iteration;
                    }
                });
        assertEquals(2, resumedAt[0]);
        assertEquals(2, resumed.resumedFrom());
        assertArrayEquals(full.set().images().toFloatArray(), resumed.set().images().toFloatArray());
        // Other settings at the same checkpoint: refused in one line, or started afresh when forced.
        GradientMatchingConfig other = small(4).toBuilder().lrImg(0.5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientMatching.distill(model, train,
                other, TOY, "toy", DType.F32, ck, DistillProgress.Listener.NONE));
        assertTrue(e.getMessage().contains("other settings") && e.getMessage().contains("lr_img"), e.getMessage());
        assertEquals(0, GradientMatching.distill(model, train, other.toBuilder().iterations(1).build(), TOY, "toy", DType.F32,
                ck.restarting(), DistillProgress.Listener.NONE).resumedFrom());
        // The saved set is a distilled folder that DistilledSet.read takes back.
        full.set().save(tmp.resolve("out"));
        DistilledSet back = DistilledSet.read(tmp.resolve("out"));
        assertEquals(2, back.ipc());
        assertEquals("convnet", back.model().orElseThrow());
    }

    @Test
    void refusesAnIpcAboveAClassSize() {
        Dataset train = SyntheticImages.make("synthetic", 9, 0.3, 1);
        Model model = Models.convnet(SyntheticImages.SHAPE, SyntheticImages.CLASSES, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientMatching.distill(model, train,
                GradientMatchingConfig.builder().ipc(10).iterations(1).build(), Augmentation.NONE, "none", DType.F32,
                Checkpointing.NONE, DistillProgress.Listener.NONE));
        assertTrue(e.getMessage().contains("more than class 0 holds (3 images)"), e.getMessage());
    }
}
