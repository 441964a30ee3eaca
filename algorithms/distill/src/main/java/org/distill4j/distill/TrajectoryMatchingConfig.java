package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of trajectory matching (MTT, Cazenavette et al. CVPR 2022). {@link #builder()} holds the
 * reference code's argparse defaults (GeorgeCazenavette/mtt-distillation {@code distill.py}): 1
 * image per class, 5000 iterations, 20 synthetic steps, a target 3 expert epochs after the start,
 * starts drawn below epoch 25, SGD (momentum 0.5) on the images with rate 1000 and on the learned
 * rate with rate 1e-5, the learned rate starting at 0.01 ({@code lr_teacher}), synthetic batches of
 * all the images ({@code batch_syn = ipc x classes}), images initialised from real ones, and the
 * unrolled steps recomputed in the backward pass ({@link UnrolledTraining.Memory#RECOMPUTE}).
 *
 * @param ipc           images per class
 * @param iterations    distillation iterations
 * @param synSteps      student steps on synthetic batches per iteration
 * @param expertEpochs  the target is this many expert epochs after the start
 * @param maxStartEpoch the start epoch is drawn uniformly from {@code 0 .. maxStartEpoch - 1} (numpy's randint)
 * @param lrImg         SGD rate of the images
 * @param lrLr          SGD rate of the learned rate
 * @param lrTeacher     the learned rate's start
 * @param momentum      SGD momentum of images and rate (the reference's 0.5)
 * @param batchSyn      synthetic images per student step (0: all, {@code ipc x classes})
 * @param init          where the images start
 * @param memory        KEEP: one graph through all steps; RECOMPUTE: each step rebuilt in the backward pass
 * @param seed          seed of images, expert order, start epochs, batches and augmentations
 */
public record TrajectoryMatchingConfig(int ipc, int iterations, int synSteps, int expertEpochs, int maxStartEpoch, double lrImg,
                                       double lrLr, double lrTeacher, double momentum, int batchSyn, ImageInit init,
                                       UnrolledTraining.Memory memory, long seed) {

    public TrajectoryMatchingConfig {
        if (ipc < 1 || iterations < 1 || synSteps < 1 || expertEpochs < 1 || maxStartEpoch < 1 || batchSyn < 0) {
            throw new IllegalArgumentException("ipc, iterations, syn steps, expert epochs and max start epoch must be >= 1 and "
                    + "batch syn >= 0, got " + ipc + ", " + iterations + ", " + synSteps + ", " + expertEpochs + ", "
                    + maxStartEpoch + " and " + batchSyn);
        }
        for (double v : new double[]{lrImg, lrLr, lrTeacher}) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("lr img, lr lr and lr teacher must be positive, got " + lrImg + ", " + lrLr
                        + " and " + lrTeacher);
            }
        }
        if (!(momentum >= 0) || !(momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (init == null || memory == null) {
            throw new IllegalArgumentException("init and memory must be given");
        }
    }

    /** The expert epochs a folder needs: the latest start plus the target's distance. */
    public int epochsNeeded() {
        return maxStartEpoch - 1 + expertEpochs;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = pinned();
        m.put("iterations", iterations);
        m.put("memory", memory.name().toLowerCase(Locale.ROOT));
        return m;
    }

    /** What a checkpoint must share to be resumed: all but the iteration count and the memory mode. */
    public Map<String, Object> pinned() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipc", ipc);
        m.put("syn_steps", synSteps);
        m.put("expert_epochs", expertEpochs);
        m.put("max_start_epoch", maxStartEpoch);
        m.put("lr_img", lrImg);
        m.put("lr_lr", lrLr);
        m.put("lr_teacher", lrTeacher);
        m.put("momentum", momentum);
        m.put("batch_syn", batchSyn);
        m.put("pix_init", init.id());
        m.put("seed", seed);
        return m;
    }

    public static final class Builder {
        private int ipc = 1;
        private int iterations = 5000;
        private int synSteps = 20;
        private int expertEpochs = 3;
        private int maxStartEpoch = 25;
        private double lrImg = 1000;
        private double lrLr = 1e-5;
        private double lrTeacher = 0.01;
        private double momentum = 0.5;
        private int batchSyn = 0;
        private ImageInit init = ImageInit.REAL;
        private UnrolledTraining.Memory memory = UnrolledTraining.Memory.RECOMPUTE;
        private long seed = 0;

        private Builder() {
        }

        public Builder ipc(int v) {
            ipc = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder synSteps(int v) {
            synSteps = v;
            return this;
        }

        public Builder expertEpochs(int v) {
            expertEpochs = v;
            return this;
        }

        public Builder maxStartEpoch(int v) {
            maxStartEpoch = v;
            return this;
        }

        public Builder lrImg(double v) {
            lrImg = v;
            return this;
        }

        public Builder lrLr(double v) {
            lrLr = v;
            return this;
        }

        public Builder lrTeacher(double v) {
            lrTeacher = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** Synthetic images per student step; 0: all of them. */
        public Builder batchSyn(int v) {
            batchSyn = v;
            return this;
        }

        public Builder init(ImageInit v) {
            init = v;
            return this;
        }

        public Builder memory(UnrolledTraining.Memory v) {
            memory = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public TrajectoryMatchingConfig build() {
            return new TrajectoryMatchingConfig(ipc, iterations, synSteps, expertEpochs, maxStartEpoch, lrImg, lrLr, lrTeacher,
                    momentum, batchSyn, init, memory, seed);
        }
    }
}
