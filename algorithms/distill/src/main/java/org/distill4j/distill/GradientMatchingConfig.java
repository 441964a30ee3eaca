package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of gradient matching (DC, Zhao, Mopuri, Bilen, ICLR 2021; with an augmentation, DSA,
 * Zhao and Bilen, ICML 2021). {@link #builder()} holds the reference code's defaults
 * (VICO-UoE/DatasetCondensation {@code main.py}): 1 image per class, 1000 iterations, images
 * initialised from noise, SGD on the images with rate 0.1 and momentum 0.5, the network trained on
 * the synthetic set with rate 0.01 in batches of 256, real batches of 256 per class, the layer-wise
 * distance {@code ours}, and outer/inner loops from the images per class as {@code get_loops}.
 *
 * <pre>{@code
 * GradientMatchingConfig cfg = GradientMatchingConfig.builder().ipc(10).iterations(200).build();  // loops 10/50
 * }</pre>
 *
 * @param ipc        images per class
 * @param iterations outer iterations (each with a fresh network)
 * @param outerLoop  image updates per iteration ({@code outer_loop})
 * @param innerLoop  epochs of network training on the synthetic set between image updates ({@code inner_loop})
 * @param lrImg      SGD rate of the images
 * @param momentumImg SGD momentum of the images
 * @param lrNet      SGD rate of the network (no momentum)
 * @param batchReal  real images per class per matching step
 * @param batchTrain synthetic images per batch when training the network
 * @param init       where the images start
 * @param metric     the gradient distance
 * @param seed       seed of the images, networks, real batches and augmentations
 */
public record GradientMatchingConfig(int ipc, int iterations, int outerLoop, int innerLoop, double lrImg, double momentumImg,
                                     double lrNet, int batchReal, int batchTrain, ImageInit init, Metric metric, long seed) {

    /** The reference's {@code dis_metric}: the layer-wise distance of the paper, or MSE / cosine over all gradients. */
    public enum Metric {
        /** Per layer, per output channel {@code 1 - cos}, summed; 1-d parameters (biases, norms) contribute nothing. */
        OURS,
        /** Squared distance of the concatenated gradients. */
        MSE,
        /** {@code 1 - cos} of the concatenated gradients. */
        COS;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Metric of(String id) {
            for (Metric m : values()) {
                if (m.id().equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("distance metric must be ours, mse or cos, got '" + id + "'");
        }
    }

    public GradientMatchingConfig {
        positive("ipc", ipc);
        positive("iterations", iterations);
        positive("outer loop", outerLoop);
        positive("inner loop", innerLoop);
        positive("batch real", batchReal);
        positive("batch train", batchTrain);
        if (!(lrImg > 0) || !(lrNet > 0) || !Double.isFinite(lrImg) || !Double.isFinite(lrNet)) {
            throw new IllegalArgumentException("the image and network rates must be positive, got " + lrImg + " and " + lrNet);
        }
        if (!(momentumImg >= 0) || !(momentumImg < 1)) {
            throw new IllegalArgumentException("image momentum must be in [0, 1), got " + momentumImg);
        }
        if (init == null || metric == null) {
            throw new IllegalArgumentException("init and metric must be given");
        }
    }

    /**
     * The reference's {@code get_loops(ipc)}: (outer, inner) = 1 -> (1, 1), 10 -> (10, 50),
     * 20 -> (20, 25), 30 -> (30, 20), 40 -> (40, 15), 50 -> (50, 10); the reference stops for any
     * other ipc, which has no default here (give both loops).
     */
    public static int[] loops(int ipc) {
        return switch (ipc) {
            case 1 -> new int[]{1, 1};
            case 10 -> new int[]{10, 50};
            case 20 -> new int[]{20, 25};
            case 30 -> new int[]{30, 20};
            case 40 -> new int[]{40, 15};
            case 50 -> new int[]{50, 10};
            default -> null;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().ipc(ipc).iterations(iterations).outerLoop(outerLoop).innerLoop(innerLoop).lrImg(lrImg)
                .momentumImg(momentumImg).lrNet(lrNet).batchReal(batchReal).batchTrain(batchTrain).init(init).metric(metric)
                .seed(seed);
    }

    /** Every setting, with meta.json's names. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = pinned();
        m.put("iterations", iterations);
        return m;
    }

    /** The settings a checkpoint must share to be resumed: all but the iteration count. */
    public Map<String, Object> pinned() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipc", ipc);
        m.put("outer_loop", outerLoop);
        m.put("inner_loop", innerLoop);
        m.put("lr_img", lrImg);
        m.put("momentum_img", momentumImg);
        m.put("lr_net", lrNet);
        m.put("batch_real", batchReal);
        m.put("batch_train", batchTrain);
        m.put("init", init.id());
        m.put("dis_metric", metric.id());
        m.put("seed", seed);
        return m;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** Named settings over the reference defaults; the loops follow ipc unless set. */
    public static final class Builder {
        private int ipc = 1;
        private int iterations = 1000;
        private Integer outerLoop;
        private Integer innerLoop;
        private double lrImg = 0.1;
        private double momentumImg = 0.5;
        private double lrNet = 0.01;
        private int batchReal = 256;
        private int batchTrain = 256;
        private ImageInit init = ImageInit.NOISE;
        private Metric metric = Metric.OURS;
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

        /** Image updates per iteration; null: {@link #loops}(ipc). */
        public Builder outerLoop(Integer v) {
            outerLoop = v;
            return this;
        }

        /** Network epochs between image updates; null: {@link #loops}(ipc). */
        public Builder innerLoop(Integer v) {
            innerLoop = v;
            return this;
        }

        public Builder lrImg(double v) {
            lrImg = v;
            return this;
        }

        public Builder momentumImg(double v) {
            momentumImg = v;
            return this;
        }

        public Builder lrNet(double v) {
            lrNet = v;
            return this;
        }

        public Builder batchReal(int v) {
            batchReal = v;
            return this;
        }

        public Builder batchTrain(int v) {
            batchTrain = v;
            return this;
        }

        public Builder init(ImageInit v) {
            init = v;
            return this;
        }

        public Builder metric(Metric v) {
            metric = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public GradientMatchingConfig build() {
            positive("ipc", ipc);
            int[] l = loops(ipc);
            if ((outerLoop == null || innerLoop == null) && l == null) {
                throw new IllegalArgumentException("the reference code defines the outer and inner loops for 1, 10, 20, 30, 40 "
                        + "and 50 images per class only; give both for ipc " + ipc);
            }
            return new GradientMatchingConfig(ipc, iterations, outerLoop != null ? outerLoop : l[0],
                    innerLoop != null ? innerLoop : l[1], lrImg, momentumImg, lrNet, batchReal, batchTrain, init, metric, seed);
        }
    }
}
