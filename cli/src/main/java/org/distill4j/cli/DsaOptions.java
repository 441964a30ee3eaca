package org.distill4j.cli;

import org.distill4j.distill.augment.Dsa;
import picocli.CommandLine.Option;

/**
 * Differentiable Siamese augmentation's settings, with the reference code's defaults
 * ({@code --dsa_strategy} and {@code ParamDiffAug}).
 */
public final class DsaOptions {
    @Option(names = "--dsa-strategy", defaultValue = Dsa.DEFAULT_STRATEGY, paramLabel = "GROUPS",
            description = "DSA groups, '_'-separated (color, crop, cutout, flip, scale, rotate), or none.")
    String strategy;

    @Option(names = "--aug-mode", defaultValue = "S", paramLabel = "S|M",
            description = "DSA: one group per call (S) or every group (M), as the reference's aug_mode.")
    String augMode;

    @Option(names = "--ratio-scale", defaultValue = "1.2", paramLabel = "R", description = "DSA scale: factors in [1/R, R).")
    double ratioScale;

    @Option(names = "--ratio-rotate", defaultValue = "15", paramLabel = "DEG", description = "DSA rotation: angles in [-DEG, DEG).")
    double ratioRotate;

    @Option(names = "--ratio-crop-pad", defaultValue = "0.125", paramLabel = "R", description = "DSA crop: shifts up to R x size pixels.")
    double ratioCropPad;

    @Option(names = "--ratio-cutout", defaultValue = "0.5", paramLabel = "R", description = "DSA cutout: a square of R x size.")
    double ratioCutout;

    @Option(names = "--brightness", defaultValue = "1.0", paramLabel = "R", description = "DSA colour: brightness shift in [-R/2, R/2).")
    double brightness;

    @Option(names = "--saturation", defaultValue = "2.0", paramLabel = "R", description = "DSA colour: saturation factor in [0, R).")
    double saturation;

    @Option(names = "--contrast", defaultValue = "0.5", paramLabel = "R", description = "DSA colour: contrast factor in [R, R + 1).")
    double contrast;

    @Option(names = "--prob-flip", defaultValue = "0.5", paramLabel = "P", description = "DSA flip: probability of a left-right flip.")
    double probFlip;

    @Option(names = "--align-corners", defaultValue = "true", paramLabel = "true|false", arity = "1",
            description = "DSA scale and rotate: align_corners of affine_grid/grid_sample (true: PyTorch 1.2, which the reference pins).")
    boolean alignCorners;

    Dsa.Params params() {
        return new Dsa.Params(ratioScale, ratioRotate, ratioCropPad, ratioCutout, brightness, saturation, contrast, probFlip,
                alignCorners);
    }

    Dsa.Mode mode() {
        return switch (augMode) {
            case "S" -> Dsa.Mode.SINGLE;
            case "M" -> Dsa.Mode.MULTIPLE;
            default -> throw new IllegalArgumentException("--aug-mode must be S or M, got '" + augMode + "'");
        };
    }

    /** The augmentation these flags name (checked first); see {@link Dsa#of(String, Dsa.Params, Dsa.Mode, boolean)}. */
    org.distill4j.distill.augment.Augmentation augmentation(boolean siamese) {
        check();
        return Dsa.of(strategy, params(), mode(), siamese);
    }

    /** What is recorded for the augmentation these flags name. */
    String recordedName() {
        return Dsa.recordedName(strategy, mode());
    }

    /** Checks the strategy and parameters (one line when wrong); "none" is allowed. */
    void check() {
        if (!strategy.equals("none")) {
            Dsa.parse(strategy);
        }
        params();
        mode();
    }
}
