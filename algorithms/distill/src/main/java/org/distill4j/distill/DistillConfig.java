package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of a Dataset Distillation run (Wang et al. 2018). {@link #builder()} starts from the
 * reference code's defaults: 1 image per class per step, 10 steps, 3 epochs, 400 iterations, one
 * random initialisation per iteration, real batches of 1024, rates starting at 0.02, Adam
 * (lr 0.01, betas 0.5/0.999) on images and rates, the outer rate halved every 40 epochs of the
 * real data, and 3 networks for the accuracy measured during training.
 *
 * <pre>{@code
 * DistillConfig cfg = DistillConfig.builder().ipc(1).steps(10).iterations(400).init(DistillConfig.Init.FIXED).build();
 * }</pre>
 *
 * @param ipc         images per class in each step
 * @param steps       distinct step tensors S
 * @param epochs      passes over the S steps: T = steps x epochs learned rates
 * @param iterations  outer (Adam) iterations
 * @param nNets       initialisations per iteration (the hypergradient is averaged over them)
 * @param batchReal   real images per iteration (the outer loss)
 * @param seed        seed of the images, initialisations and real batches
 * @param init        {@link Init#FIXED}: {@code nNets} initialisations sampled once and kept ("known init");
 *                    {@link Init#RANDOM}: fresh Xavier-normal initialisations every iteration ("unknown init")
 * @param memory      how the unrolled training is differentiated (see {@link UnrolledTraining.Memory})
 * @param softLabels  learn one label distribution per image
 * @param lr0         the learned rates' initial value
 * @param outerLr     Adam's rate on images and rates
 * @param decayEpochs the outer rate is multiplied by {@code decayFactor} every this many epochs of the real data
 * @param evalEvery   test accuracy every this many iterations (0: only at the end)
 * @param evalModels  networks that accuracy is measured on (random init; fixed init uses the kept ones)
 */
public record DistillConfig(int ipc, int steps, int epochs, int iterations, int nNets, int batchReal, long seed,
                            Init init, UnrolledTraining.Memory memory, boolean softLabels, double lr0,
                            double outerLr, int decayEpochs, double decayFactor, int evalEvery, int evalModels) {

    /** Where the networks trained on the synthetic steps start. */
    public enum Init {
        /** {@code nNets} initialisations sampled once and kept (the paper's "fixed init"). */
        FIXED,
        /** A fresh initialisation every iteration (the paper's "random init"). */
        RANDOM;

        /** "fixed" or "random": the name in meta.json and on the command line. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The init named {@code id} ("fixed" or "random"). */
        public static Init of(String id) {
            for (Init i : values()) {
                if (i.id().equals(id)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("init must be fixed or random, got '" + id + "'");
        }
    }

    public DistillConfig {
        atLeastOne("ipc", ipc);
        atLeastOne("steps", steps);
        atLeastOne("epochs", epochs);
        atLeastOne("iterations", iterations);
        atLeastOne("nNets", nNets);
        atLeastOne("batchReal", batchReal);
        atLeastOne("decayEpochs", decayEpochs);
        atLeastOne("evalModels", evalModels);
        if (init == null || memory == null) {
            throw new IllegalArgumentException("init and memory must be given, got " + init + " and " + memory);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("evalEvery must be >= 0, got " + evalEvery);
        }
        if (!(lr0 > 0) || !(outerLr > 0)) {
            throw new IllegalArgumentException("lr0 and outerLr must be positive, got " + lr0 + " and " + outerLr);
        }
        if (!(decayFactor > 0) || !Double.isFinite(decayFactor)) {
            throw new IllegalArgumentException("decayFactor must be positive, got " + decayFactor);
        }
    }

    /** A builder holding the reference code's defaults (see the class comment). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().ipc(ipc).steps(steps).epochs(epochs).iterations(iterations).nNets(nNets).batchReal(batchReal)
                .seed(seed).init(init).memory(memory).softLabels(softLabels).lr0(lr0).outerLr(outerLr)
                .decayEpochs(decayEpochs).decayFactor(decayFactor).evalEvery(evalEvery).evalModels(evalModels);
    }

    public boolean fixedInit() {
        return init == Init.FIXED;
    }

    /** Every setting, with the names meta.json uses (the outer betas are fixed: 0.5, 0.999). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipc", ipc);
        m.put("steps", steps);
        m.put("epochs", epochs);
        m.put("iterations", iterations);
        m.put("n_nets", nNets);
        m.put("batch_real", batchReal);
        m.put("seed", seed);
        m.put("init", init.id());
        m.put("memory", memory.name().toLowerCase(Locale.ROOT));
        m.put("soft_labels", softLabels);
        m.put("lr0", lr0);
        m.put("outer_lr", outerLr);
        m.put("outer_betas", new double[]{0.5, 0.999});
        m.put("decay_epochs", decayEpochs);
        m.put("decay_factor", decayFactor);
        m.put("eval_every", evalEvery);
        m.put("eval_models", evalModels);
        return m;
    }

    private static void atLeastOne(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** Named settings over the reference defaults; {@link #build()} checks them. */
    public static final class Builder {
        private int ipc = 1;
        private int steps = 10;
        private int epochs = 3;
        private int iterations = 400;
        private int nNets = 1;
        private int batchReal = 1024;
        private long seed = 0;
        private Init init = Init.RANDOM;
        private UnrolledTraining.Memory memory = UnrolledTraining.Memory.KEEP;
        private boolean softLabels = false;
        private double lr0 = 0.02;
        private double outerLr = 0.01;
        private int decayEpochs = 40;
        private double decayFactor = 0.5;
        private int evalEvery = 0;
        private int evalModels = 3;

        private Builder() {
        }

        public Builder ipc(int v) {
            ipc = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder nNets(int v) {
            nNets = v;
            return this;
        }

        public Builder batchReal(int v) {
            batchReal = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder init(Init v) {
            init = v;
            return this;
        }

        public Builder memory(UnrolledTraining.Memory v) {
            memory = v;
            return this;
        }

        public Builder softLabels(boolean v) {
            softLabels = v;
            return this;
        }

        public Builder lr0(double v) {
            lr0 = v;
            return this;
        }

        public Builder outerLr(double v) {
            outerLr = v;
            return this;
        }

        public Builder decayEpochs(int v) {
            decayEpochs = v;
            return this;
        }

        public Builder decayFactor(double v) {
            decayFactor = v;
            return this;
        }

        public Builder evalEvery(int v) {
            evalEvery = v;
            return this;
        }

        public Builder evalModels(int v) {
            evalModels = v;
            return this;
        }

        public DistillConfig build() {
            return new DistillConfig(ipc, steps, epochs, iterations, nNets, batchReal, seed, init, memory, softLabels, lr0,
                    outerLr, decayEpochs, decayFactor, evalEvery, evalModels);
        }
    }
}
