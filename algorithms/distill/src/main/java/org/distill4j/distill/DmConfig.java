package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;

/**
 * Settings of a distribution matching run (Zhao and Bilen, WACV 2023). {@link #builder()} starts
 * from the reference code's defaults ({@code main_DM.py}): 50 images per class, 20,000
 * iterations, SGD on the images with lr 1.0 and momentum 0.5, 256 real images per class per
 * iteration, images initialised from real ones, DSA strategy
 * {@code color_crop_cutout_flip_scale_rotate} with {@code ParamDiffAug}'s defaults and mode 'S';
 * the synthetic set evaluated every 2,000 iterations (the reference: 20 networks of 1,000 epochs
 * each; here {@link SyntheticSetEvaluation.Config#forMethod} with 5), and a checkpoint every 5 minutes.
 *
 * <pre>{@code
 * DmConfig cfg = DmConfig.builder().ipc(10).iterations(1000).build();
 * }</pre>
 *
 * @param ipc               images per class
 * @param iterations        the reference's {@code Iteration}: image updates
 * @param lrImg             SGD rate on the images ({@code lr_img})
 * @param momentum          SGD momentum on the images (0.5)
 * @param batchReal         real images per class per iteration ({@code batch_real}; a class with fewer gives all)
 * @param init              where the images start ({@code init}: real or noise)
 * @param dsaStrategy       the DSA strategy string, or "none" ({@code dsa_strategy})
 * @param dsaParams         DSA's parameters ({@code ParamDiffAug})
 * @param augMode           DSA's {@code aug_mode}: one group per call (S) or all (M)
 * @param seed              seed of the images, networks, real batches and augmentations
 * @param evalEvery         evaluate with the protocol every this many iterations, and at the end (0: never)
 * @param evaluation        the protocol used then
 * @param checkpointSeconds write the partial set this often (with an output folder)
 */
public record DmConfig(int ipc, int iterations, double lrImg, double momentum, int batchReal, ImageInit init,
                       String dsaStrategy, Dsa.Params dsaParams, Dsa.Mode augMode, long seed, int evalEvery,
                       SyntheticSetEvaluation.Config evaluation, double checkpointSeconds) {

    /** Where the synthetic images start. */
    public enum ImageInit {
        /** Randomly chosen real images of each class (the reference's default). */
        REAL,
        /** Standard normal noise. */
        NOISE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ImageInit of(String id) {
            for (ImageInit i : values()) {
                if (i.id().equals(id)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("init must be real or noise, got '" + id + "'");
        }
    }

    public DmConfig {
        if (ipc < 1 || iterations < 0 || batchReal < 1 || evalEvery < 0) {
            throw new IllegalArgumentException("DM needs ipc >= 1, iterations >= 0, batch_real >= 1 and eval_every >= 0, got "
                    + ipc + ", " + iterations + ", " + batchReal + " and " + evalEvery);
        }
        if (!(lrImg > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("DM needs lr_img > 0 and momentum in [0, 1), got " + lrImg + " and " + momentum);
        }
        if (!(checkpointSeconds > 0)) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, got " + checkpointSeconds);
        }
        if (init == null || dsaParams == null || augMode == null || evaluation == null) {
            throw new IllegalArgumentException("init, DSA parameters, aug mode and evaluation must be given");
        }
        if (!dsaStrategy.equals("none")) {
            Dsa.parse(dsaStrategy);
        }
    }

    /** The augmentation of the real and synthetic batches ({@link Augmentation#NONE} for strategy "none"). */
    public Augmentation augmentation() {
        if (dsaStrategy.equals("none")) {
            return Augmentation.NONE;
        }
        return new Dsa(Dsa.parse(dsaStrategy), dsaParams, augMode, true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().ipc(ipc).iterations(iterations).lrImg(lrImg).momentum(momentum).batchReal(batchReal).init(init)
                .dsaStrategy(dsaStrategy).dsaParams(dsaParams).augMode(augMode).seed(seed).evalEvery(evalEvery)
                .evaluation(evaluation).checkpointSeconds(checkpointSeconds);
    }

    /**
     * The settings that determine the images, with the reference's names (what a resumed run must
     * share); the evaluation and checkpoint interval are left out, as they do not change the images.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "dm");
        m.put("ipc", ipc);
        m.put("Iteration", iterations);
        m.put("lr_img", lrImg);
        m.put("momentum_img", momentum);
        m.put("batch_real", batchReal);
        m.put("init", init.id());
        m.put("dsa_strategy", dsaStrategy);
        m.put("dsa_param", dsaParams.toMap());
        m.put("aug_mode", augMode == Dsa.Mode.SINGLE ? "S" : "M");
        m.put("seed", seed);
        return m;
    }

    /** Named settings over the reference defaults; {@link #build()} checks them. */
    public static final class Builder {
        private int ipc = 50;
        private int iterations = 20_000;
        private double lrImg = 1.0;
        private double momentum = 0.5;
        private int batchReal = 256;
        private ImageInit init = ImageInit.REAL;
        private String dsaStrategy = Dsa.DEFAULT_STRATEGY;
        private Dsa.Params dsaParams = Dsa.Params.defaults();
        private Dsa.Mode augMode = Dsa.Mode.SINGLE;
        private long seed = 0;
        private int evalEvery = 2000;
        private SyntheticSetEvaluation.Config evaluation = SyntheticSetEvaluation.Config.forMethod(DistillMethod.DM);
        private double checkpointSeconds = 300;

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

        public Builder lrImg(double v) {
            lrImg = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder batchReal(int v) {
            batchReal = v;
            return this;
        }

        public Builder init(ImageInit v) {
            init = v;
            return this;
        }

        public Builder dsaStrategy(String v) {
            dsaStrategy = v;
            return this;
        }

        public Builder dsaParams(Dsa.Params v) {
            dsaParams = v;
            return this;
        }

        public Builder augMode(Dsa.Mode v) {
            augMode = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder evalEvery(int v) {
            evalEvery = v;
            return this;
        }

        public Builder evaluation(SyntheticSetEvaluation.Config v) {
            evaluation = v;
            return this;
        }

        public Builder checkpointSeconds(double v) {
            checkpointSeconds = v;
            return this;
        }

        public DmConfig build() {
            return new DmConfig(ipc, iterations, lrImg, momentum, batchReal, init, dsaStrategy, dsaParams, augMode, seed,
                    evalEvery, evaluation, checkpointSeconds);
        }
    }
}
