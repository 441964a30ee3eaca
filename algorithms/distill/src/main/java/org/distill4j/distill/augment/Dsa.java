package org.distill4j.distill.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distill4j.autodiff.ResampleOps;
import org.distill4j.autodiff.Var;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;

/**
 * Differentiable Siamese augmentation (Zhao and Bilen, ICML 2021), as the reference code's
 * {@code DiffAugment} with {@code ParamDiffAug}'s defaults: colour (brightness, saturation,
 * contrast), crop (a translation by whole pixels with zero fill), cutout (a zeroed square), flip
 * (left-right), scale and rotate (affine grids, sampled bilinearly with zero padding).
 *
 * <p>Mode {@link Mode#SINGLE} (the reference's {@code aug_mode = 'S'}, which DC/DSA and DM train
 * with) picks <em>one</em> group of the strategy per call, from the seed; {@link Mode#MULTIPLE}
 * ({@code 'M'}) applies every group in order. Siamese ({@code seed != -1} in the reference, as DSA
 * and DM call it on the real and the synthetic batch): one draw of each parameter shared by every
 * image of the batch. Not Siamese ({@link #perImage()}, the reference's evaluation with
 * {@code seed = -1}): one draw per image. Either way the draws come from {@code seed} alone (and
 * the image's position), so the same seed gives the same transformation whatever the batch size.
 *
 * <p>The random numbers are this project's (Philox, {@link Generator}), not PyTorch's: the
 * distributions are the reference's, the individual draws differ. The affine transformations use
 * {@code align_corners = True}, the behaviour of the PyTorch 1.2 the reference code pins (the
 * argument appeared in 1.3 with the other default); {@link Params#alignCorners} switches.
 */
public final class Dsa implements Augmentation {
    /** The reference's default strategy. */
    public static final String DEFAULT_STRATEGY = "color_crop_cutout_flip_scale_rotate";

    /** The groups of a strategy string, by their names in it. */
    public enum Group {
        COLOR, CROP, CUTOUT, FLIP, SCALE, ROTATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many groups one call applies. */
    public enum Mode {
        /** One group of the strategy per call, drawn from the seed (the reference's 'S', its default). */
        SINGLE,
        /** Every group, in the strategy's order (the reference's 'M'). */
        MULTIPLE
    }

    /**
     * The reference's {@code ParamDiffAug}: {@link #defaults()} is {@code ratio_scale 1.2},
     * {@code ratio_rotate 15} (degrees), {@code ratio_crop_pad 0.125}, {@code ratio_cutout 0.5},
     * {@code brightness 1.0}, {@code saturation 2.0}, {@code contrast 0.5}, {@code prob_flip 0.5}.
     */
    public record Params(double scale, double rotate, double cropPad, double cutout, double brightness,
                         double saturation, double contrast, double flip, boolean alignCorners) {
        public Params {
            if (!(scale >= 1) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("DSA ratio_scale must be >= 1, got " + scale);
            }
            for (double v : new double[]{rotate, cropPad, cutout, brightness, saturation, contrast}) {
                if (!(v >= 0) || !Double.isFinite(v)) {
                    throw new IllegalArgumentException("DSA ratios must be finite and >= 0, got " + v);
                }
            }
            if (!(flip >= 0 && flip <= 1)) {
                throw new IllegalArgumentException("DSA prob_flip must be in [0, 1], got " + flip);
            }
        }

        public static Params defaults() {
            return new Params(1.2, 15.0, 0.125, 0.5, 1.0, 2.0, 0.5, 0.5, true);
        }

        /** The settings with the reference's names, for meta.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ratio_scale", scale);
            m.put("ratio_rotate", rotate);
            m.put("ratio_crop_pad", cropPad);
            m.put("ratio_cutout", cutout);
            m.put("brightness", brightness);
            m.put("saturation", saturation);
            m.put("contrast", contrast);
            m.put("prob_flip", flip);
            m.put("align_corners", alignCorners);
            return m;
        }
    }

    private final List<Group> strategy;
    private final Params params;
    private final Mode mode;
    private final boolean siamese;

    public Dsa(List<Group> strategy, Params params, Mode mode, boolean siamese) {
        if (strategy.isEmpty()) {
            throw new IllegalArgumentException("a DSA strategy needs at least one group");
        }
        this.strategy = List.copyOf(strategy);
        this.params = params;
        this.mode = mode;
        this.siamese = siamese;
    }

    /** The reference's default: every group, one per call, Siamese, default parameters. */
    public static Dsa defaults() {
        return of(DEFAULT_STRATEGY);
    }

    /** A strategy string such as {@code color_crop_cutout_flip_scale_rotate}, with the default parameters. */
    public static Dsa of(String strategy) {
        return new Dsa(parse(strategy), Params.defaults(), Mode.SINGLE, true);
    }

    /**
     * The augmentation {@code strategy} names, "none" for none: Siamese (one draw shared by the real
     * and the synthetic batch, as DSA matches them), or with {@code siamese} false one draw per image,
     * as MTT's student and experts train (the reference calls DiffAugment with seed -1 there).
     */
    public static Augmentation of(String strategy, Params params, Mode mode, boolean siamese) {
        return strategy.equals("none") ? Augmentation.NONE : new Dsa(parse(strategy), params, mode, siamese);
    }

    /** What a run records for the augmentation of {@code strategy}: "none", or the strategy and, for 'M', its mode. */
    public static String recordedName(String strategy, Mode mode) {
        return strategy.equals("none") ? "none" : strategy + (mode == Mode.SINGLE ? "" : " (aug_mode M)");
    }

    /** The groups named by {@code strategy} ("_"-separated); refuses unknown names in one line. */
    public static List<Group> parse(String strategy) {
        List<Group> out = new ArrayList<>();
        if (strategy == null || strategy.isBlank()) {
            throw new IllegalArgumentException("empty DSA strategy; use e.g. " + DEFAULT_STRATEGY);
        }
        for (String part : strategy.split("_", -1)) {
            Group g = null;
            for (Group c : Group.values()) {
                if (c.id().equals(part)) {
                    g = c;
                }
            }
            if (g == null) {
                throw new IllegalArgumentException("unknown DSA augmentation '" + part + "' in '" + strategy
                        + "'; known: color, crop, cutout, flip, scale, rotate");
            }
            out.add(g);
        }
        return out;
    }

    /** The strategy string. */
    public String strategy() {
        return String.join("_", strategy.stream().map(Group::id).toList());
    }

    public Params params() {
        return params;
    }

    public Mode mode() {
        return mode;
    }

    public boolean siamese() {
        return siamese;
    }

    /** The same augmentation with one draw per image (the reference's evaluation, {@code seed = -1}). */
    public Dsa perImage() {
        return new Dsa(strategy, params, mode, false);
    }

    public Dsa withParams(Params p) {
        return new Dsa(strategy, p, mode, siamese);
    }

    public Dsa withMode(Mode m) {
        return new Dsa(strategy, params, m, siamese);
    }

    /** The groups one call with {@code seed} applies, in order. */
    public List<Group> groups(long seed) {
        if (mode == Mode.MULTIPLE) {
            return strategy;
        }
        return List.of(strategy.get(new Generator(seed).fork(0).nextInt(strategy.size())));
    }

    @Override
    public Var apply(Var images, long seed) {
        if (images.rank() != 4) {
            throw new IllegalArgumentException("DSA expects images [N, C, H, W], got " + org.distill4j.tensor.Shape.str(images.shape()));
        }
        Generator root = new Generator(seed);
        List<Group> groups = groups(seed);
        Var x = images;
        for (int k = 0; k < groups.size(); k++) {
            // Each position in the sequence draws from its own streams.
            Draws d = new Draws(root.fork(1 + k), images.dim(0), siamese);
            x = switch (groups.get(k)) {
                case COLOR -> contrast(saturation(brightness(x, d.stream(0)), d.stream(1)), d.stream(2));
                case CROP -> crop(x, d.stream(3));
                case CUTOUT -> cutout(x, d.stream(4));
                case FLIP -> flip(x, d.stream(5));
                case SCALE -> scale(x, d.stream(6));
                case ROTATE -> rotate(x, d.stream(7));
            };
        }
        return x;
    }

    /** Uniform draws in [0, 1): one for the batch (Siamese) or one per image, each image its own stream. */
    private record Draws(Generator gen, int n, boolean siamese) {
        Draws stream(int s) {
            return new Draws(gen.fork(s), n, siamese);
        }

        /** {@code count} numbers per image (the same for all images when Siamese): [image][j]. */
        double[][] uniform(int count) {
            int rows = siamese ? 1 : n;
            double[][] out = new double[rows][count];
            for (int i = 0; i < rows; i++) {
                Generator g = siamese ? gen : gen.fork(i);
                for (int j = 0; j < count; j++) {
                    out[i][j] = g.nextDouble();
                }
            }
            return out;
        }

        /** Integers uniform in [lo, hi) per image, like torch.randint(lo, hi). */
        int[][] ints(int count, int lo, int hi) {
            int rows = siamese ? 1 : n;
            int[][] out = new int[rows][count];
            for (int i = 0; i < rows; i++) {
                Generator g = siamese ? gen : gen.fork(i);
                for (int j = 0; j < count; j++) {
                    out[i][j] = lo + g.nextInt(hi - lo);
                }
            }
            return out;
        }
    }

    /** A per-image factor as a constant {@code [N or 1, 1, 1, 1]} (a rank-0 one when shared). */
    private static Var factor(Var like, double[] values) {
        if (values.length == 1) {
            return Var.scalar(values[0], like);
        }
        return Var.constant(Tensor.from(like.dtype(), values, values.length, 1, 1, 1));
    }

    private static double[] column(double[][] draws, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[draws.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(draws[i][0]);
        }
        return out;
    }

    /** {@code x + (r - 0.5) * brightness}. */
    private Var brightness(Var x, Draws d) {
        return x.add(factor(x, column(d.uniform(1), r -> (r - 0.5) * params.brightness())));
    }

    /** {@code (x - mean over channels) * (r * saturation) + mean over channels}. */
    private Var saturation(Var x, Draws d) {
        Var mean = x.mean(new int[]{1}, true);
        return x.sub(mean).mul(factor(x, column(d.uniform(1), r -> r * params.saturation()))).add(mean);
    }

    /** {@code (x - mean of the image) * (r + contrast) + mean of the image}. */
    private Var contrast(Var x, Draws d) {
        Var mean = x.mean(new int[]{1, 2, 3}, true);
        return x.sub(mean).mul(factor(x, column(d.uniform(1), r -> r + params.contrast()))).add(mean);
    }

    /**
     * A translation by whole pixels, zero fill: {@code out[i, j] = x[i + tx, j + ty]} with tx, ty
     * uniform integers in {@code [-shift, shift]}, {@code shift = int(size * ratio_crop_pad + 0.5)}.
     */
    private Var crop(Var x, Draws d) {
        int h = x.dim(2);
        int w = x.dim(3);
        int sx = (int) (h * params.cropPad() + 0.5);
        int sy = (int) (w * params.cropPad() + 0.5);
        int[][] tx = d.stream(0).ints(1, -sx, sx + 1);
        int[][] ty = d.stream(1).ints(1, -sy, sy + 1);
        double[] grid = new double[tx.length * h * w * 2];
        boolean identity = true;
        for (int b = 0; b < tx.length; b++) {
            identity &= tx[b][0] == 0 && ty[b][0] == 0;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int at = 2 * ((b * h + i) * w + j);
                    grid[at] = j + ty[b][0];
                    grid[at + 1] = i + tx[b][0];
                }
            }
        }
        return identity ? x : ResampleOps.gridSample(x, Tensor.from(x.dtype(), grid, tx.length, h, w, 2));
    }

    /**
     * Zeroes a square of {@code int(size * ratio_cutout + 0.5)} pixels a side centred at a uniform
     * position (clipped to the image), as the reference's {@code rand_cutout}.
     */
    private Var cutout(Var x, Draws d) {
        int h = x.dim(2);
        int w = x.dim(3);
        int ch = (int) (h * params.cutout() + 0.5);
        int cw = (int) (w * params.cutout() + 0.5);
        if (ch == 0 || cw == 0) {
            return x;
        }
        int[][] ox = d.stream(0).ints(1, 0, h + (1 - ch % 2));
        int[][] oy = d.stream(1).ints(1, 0, w + (1 - cw % 2));
        double[] mask = new double[ox.length * h * w];
        java.util.Arrays.fill(mask, 1);
        for (int b = 0; b < ox.length; b++) {
            int r0 = Math.max(0, ox[b][0] - ch / 2);
            int r1 = Math.min(h, ox[b][0] - ch / 2 + ch);
            int c0 = Math.max(0, oy[b][0] - cw / 2);
            int c1 = Math.min(w, oy[b][0] - cw / 2 + cw);
            for (int i = r0; i < r1; i++) {
                for (int j = c0; j < c1; j++) {
                    mask[(b * h + i) * w + j] = 0;
                }
            }
        }
        return x.mul(Var.constant(Tensor.from(x.dtype(), mask, ox.length, 1, h, w)));
    }

    /** Left-right flip with probability {@code prob_flip}. */
    private Var flip(Var x, Draws d) {
        double[][] r = d.uniform(1);
        int h = x.dim(2);
        int w = x.dim(3);
        boolean any = false;
        double[] grid = new double[r.length * h * w * 2];
        for (int b = 0; b < r.length; b++) {
            boolean flip = r[b][0] < params.flip();
            any |= flip;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int at = 2 * ((b * h + i) * w + j);
                    grid[at] = flip ? w - 1 - j : j;
                    grid[at + 1] = i;
                }
            }
        }
        return any ? ResampleOps.gridSample(x, Tensor.from(x.dtype(), grid, r.length, h, w, 2)) : x;
    }

    /** Scales each axis by a factor uniform in {@code [1 / ratio_scale, ratio_scale)}: theta = diag(sx, sy). */
    private Var scale(Var x, Draws d) {
        double lo = 1 / params.scale();
        double[][] sx = d.stream(0).uniform(1);
        double[][] sy = d.stream(1).uniform(1);
        double[][] theta = new double[sx.length][];
        for (int b = 0; b < sx.length; b++) {
            double a = sx[b][0] * (params.scale() - lo) + lo;
            double e = sy[b][0] * (params.scale() - lo) + lo;
            theta[b] = new double[]{a, 0, 0, 0, e, 0};
        }
        return affine(x, theta);
    }

    /** Rotates by an angle uniform in {@code [-ratio_rotate, ratio_rotate)} degrees: theta = [[cos, -sin, 0], [sin, cos, 0]]. */
    private Var rotate(Var x, Draws d) {
        double[][] r = d.uniform(1);
        double[][] theta = new double[r.length][];
        for (int b = 0; b < r.length; b++) {
            double t = (r[b][0] - 0.5) * 2 * params.rotate() / 180 * Math.PI;
            theta[b] = new double[]{Math.cos(t), Math.sin(-t), 0, Math.sin(t), Math.cos(t), 0};
        }
        return affine(x, theta);
    }

    private Var affine(Var x, double[][] theta) {
        int h = x.dim(2);
        int w = x.dim(3);
        double[] grid = new double[theta.length * h * w * 2];
        boolean identity = true;
        for (int b = 0; b < theta.length; b++) {
            identity &= java.util.Arrays.equals(theta[b], new double[]{1, 0, 0, 0, 1, 0});
            double[] g = pixelGrid(theta[b], h, w, params.alignCorners());
            System.arraycopy(g, 0, grid, b * h * w * 2, g.length);
        }
        return identity ? x : ResampleOps.gridSample(x, Tensor.from(x.dtype(), grid, theta.length, h, w, 2));
    }

    /**
     * The pixel grid {@code [h, w, 2]} of {@code F.grid_sample(x, F.affine_grid(theta, ...))} for
     * one affine matrix {@code theta} (row-major 2 x 3): each output pixel's normalised point
     * (x_j, y_i, 1) mapped by theta and unnormalised, computed in double in pixel units so that the
     * identity maps every pixel onto itself exactly.
     */
    static double[] pixelGrid(double[] theta, int h, int w, boolean alignCorners) {
        // Normalised -> pixel: p = c + s * u, with c = (size - 1) / 2 and s = (size - 1) / 2 or size / 2.
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double sx = alignCorners ? (w - 1) / 2.0 : w / 2.0;
        double sy = alignCorners ? (h - 1) / 2.0 : h / 2.0;
        double[] out = new double[h * w * 2];
        for (int i = 0; i < h; i++) {
            double v = sy == 0 ? 0 : (i - cy) / sy;
            for (int j = 0; j < w; j++) {
                double u = sx == 0 ? 0 : (j - cx) / sx;
                double gu = theta[0] * u + theta[1] * v + theta[2];
                double gv = theta[3] * u + theta[4] * v + theta[5];
                // Identity rows map (j - cx) / sx back onto j - cx without rounding for the usual sizes;
                // where theta's row is (1, 0, 0) the point is j itself.
                out[2 * (i * w + j)] = theta[0] == 1 && theta[1] == 0 && theta[2] == 0 ? j : cx + sx * gu;
                out[2 * (i * w + j) + 1] = theta[3] == 0 && theta[4] == 1 && theta[5] == 0 ? i : cy + sy * gv;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "DSA " + strategy() + " (" + mode.name().toLowerCase(Locale.ROOT) + (siamese ? ", Siamese" : ", per image") + ")";
    }

    /** The settings for meta.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", strategy());
        m.put("aug_mode", mode == Mode.SINGLE ? "S" : "M");
        m.putAll(params.toMap());
        return m;
    }
}
