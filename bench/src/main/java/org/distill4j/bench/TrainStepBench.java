package org.distill4j.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Images per second of one training step (forward, backward, SGD-with-momentum update) at batch
 * 256 on Fashion-MNIST-shaped input, for {@code distill4j bench train}. The same three models and
 * steps are timed in PyTorch by {@code bench/pytorch/train_step.py}, so the two can be compared.
 * Each model is warmed up for a few seconds (JIT compilation), then the median of the timed steps
 * (at least the number asked for, and at least {@link #MIN_TIMED_SECONDS} of them) is kept.
 */
public final class TrainStepBench {
    public static final String[] MODELS = {"mlp", "lenet", "convnet"};
    public static final int BATCH = 256;
    /** Timed seconds per model at least, beyond the warm-up (bench/pytorch/train_step.py uses the same). */
    public static final double MIN_TIMED_SECONDS = 2.0;

    private TrainStepBench() {
    }

    /** Images/s per model, in {@link #MODELS} order. */
    public static Map<String, Double> run(double warmupSeconds, int steps, Consumer<String> progress) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : MODELS) {
            progress.accept(name);
            out.put(name, imagesPerSecond(name, warmupSeconds, steps));
        }
        return out;
    }

    static double imagesPerSecond(String name, double warmupSeconds, int steps) {
        Generator gen = new Generator(1);
        Model model = Models.byName(name, new int[]{1, 28, 28}, 10);
        Params params = model.init(gen, DType.F32);
        Tensor x = Tensor.randn(gen, DType.F32, BATCH, 1, 28, 28);
        int[] labelValues = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labelValues[i] = i % 10;
        }
        Tensor labels = Tensor.fromInts(labelValues, BATCH);
        Sgd sgd = new Sgd(0.01, 0.9, 0, false);
        Runnable step = () -> {
            Var loss = LossOps.crossEntropy(model.forward(params, Var.constant(x), Mode.TRAIN), labels);
            sgd.step(params, Autodiff.grad(loss, params.array()));
        };
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int warm = 0;
        while (System.nanoTime() < warmEnd || warm < 2) {
            step.run();
            warm++;
        }
        // At least `steps` steps and MIN_TIMED_SECONDS: a 2 ms MLP step's median over 20 steps
        // moved by a third from one run to the next.
        double[] seconds = new double[Math.max(steps, 64)];
        int n = 0;
        long timedEnd = System.nanoTime() + (long) (MIN_TIMED_SECONDS * 1e9);
        while (n < steps || System.nanoTime() < timedEnd) {
            if (n == seconds.length) {
                seconds = Arrays.copyOf(seconds, 2 * n);
            }
            long t0 = System.nanoTime();
            step.run();
            seconds[n++] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds, 0, n);
        return BATCH / seconds[n / 2];
    }
}
