package org.distill4j.tensor;

/**
 * The moments the normalisation layers need (of rows and of channels), row standardisation with
 * its gradient, and the per-channel affine with its gradients.
 */
public final class Norm {
    private Norm() {
    }

    /** Mean and biased variance of each row of a {@code [rows, len]} tensor, each of shape {@code [rows]}. */
    public static Tensor[] rowMoments(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("rowMoments expects [rows, len], got " + Shape.str(x.shape()));
        }
        Tensor c = x.contiguous();
        Tensor mean = Tensor.zeros(x.backend(), x.dtype(), x.dim(0));
        Tensor var = Tensor.zeros(x.backend(), x.dtype(), x.dim(0));
        x.backend().rowMoments(x.dim(0), x.dim(1), c.buffer(), c.offset(), mean.buffer(), 0, var.buffer(), 0);
        return new Tensor[]{mean, var};
    }

    /** {@code (x - mean[r]) * rstd[r]} over each row r of {@code x} ([rows, len]); mean and rstd hold {@code rows} values. */
    public static Tensor rowStandardize(Tensor x, Tensor mean, Tensor rstd) {
        checkRows(x, mean, rstd, "rowStandardize");
        Tensor xc = x.contiguous();
        Tensor m = mean.contiguous();
        Tensor r = rstd.contiguous();
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), x.dim(0), x.dim(1));   // every element written
        x.backend().rowStandardize(x.dim(0), x.dim(1), xc.buffer(), xc.offset(), m.buffer(), m.offset(), r.buffer(),
                r.offset(), y.buffer(), 0);
        return y;
    }

    /**
     * The first-order gradient of {@link #rowStandardize} with respect to x, from the output
     * gradient {@code g} and the output {@code y} ([rows, len] each): {@code (g - mean(g) - y *
     * mean(g * y)) * rstd[r]}, means along each row.
     */
    public static Tensor rowStandardizeBackward(Tensor g, Tensor y, Tensor rstd) {
        checkRows(g, rstd, rstd, "rowStandardize backward");
        if (!java.util.Arrays.equals(g.shape(), y.shape())) {
            throw new IllegalArgumentException("rowStandardize backward: gradient " + Shape.str(g.shape())
                    + " and output " + Shape.str(y.shape()) + " differ");
        }
        Tensor gc = g.contiguous();
        Tensor yc = y.contiguous();
        Tensor r = rstd.contiguous();
        Tensor gx = Tensor.unfilled(g.backend(), g.dtype(), g.dim(0), g.dim(1));   // every element written
        g.backend().rowStandardizeBackward(g.dim(0), g.dim(1), gc.buffer(), gc.offset(), yc.buffer(), yc.offset(),
                r.buffer(), r.offset(), gx.buffer(), 0);
        return gx;
    }

    private static void checkRows(Tensor x, Tensor a, Tensor b, String op) {
        if (x.rank() != 2 || a.size() != x.dim(0) || b.size() != x.dim(0)) {
            throw new IllegalArgumentException(op + " expects [rows, len] and " + (x.rank() == 2 ? x.dim(0) : "rows")
                    + " values per row, got " + Shape.str(x.shape()) + ", " + Shape.str(a.shape()) + ", " + Shape.str(b.shape()));
        }
        Elementwise.checkSameDType(x, a, op);
        Elementwise.checkSameDType(x, b, op);
    }

    /**
     * {@code x * gamma[c] + beta[c]} for an {@code [N, C, ...]} tensor {@code x} and {@code C} values
     * each of gamma and beta (the normalisation layers' per-channel affine), then with {@code relu}
     * {@code max(., 0)}, in one pass where the backend has one: the bits of the broadcast multiply,
     * add and ReLU.
     */
    public static Tensor channelAffine(Tensor x, Tensor gamma, Tensor beta, boolean relu) {
        checkChannels(x, gamma, beta, "channelAffine");
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), x.shape());   // every element written
        if (x.size() == 0) {
            return y;
        }
        Tensor xc = x.contiguous();
        Tensor gc = gamma.contiguous();
        Tensor bc = beta.contiguous();
        x.backend().channelAffine(x.dim(0), x.dim(1), x.size() / (x.dim(0) * x.dim(1)), xc.buffer(), xc.offset(),
                gc.buffer(), gc.offset(), bc.buffer(), bc.offset(), relu, y.buffer(), 0);
        return y;
    }

    /**
     * The first-order gradients of {@link #channelAffine} from the output gradient {@code g}, with
     * {@code reluOut} the forward's output when it applied the ReLU (else null; then
     * {@code g' = g}, else {@code g' = g * step(reluOut)}): {@code {g' * gamma[c], sum(g' * x),
     * sum(g')}}, the sums over every axis but the channels ({@code C} values each); the last two are
     * null unless {@code params}. The bits of the broadcast ops and reductions of the composed rule.
     */
    public static Tensor[] channelAffineBackward(Tensor g, Tensor x, Tensor gamma, Tensor reluOut, boolean params) {
        checkChannels(x, gamma, gamma, "channelAffine backward");
        if (!java.util.Arrays.equals(g.shape(), x.shape())
                || reluOut != null && !java.util.Arrays.equals(reluOut.shape(), x.shape())) {
            throw new IllegalArgumentException("channelAffine backward: gradient " + Shape.str(g.shape())
                    + (reluOut == null ? "" : ", output " + Shape.str(reluOut.shape())) + " and input "
                    + Shape.str(x.shape()) + " differ");
        }
        Elementwise.checkSameDType(x, g, "channelAffine backward");
        if (reluOut != null) {
            Elementwise.checkSameDType(x, reluOut, "channelAffine backward");
        }
        int c = x.dim(1);
        Tensor gx = Tensor.unfilled(x.backend(), x.dtype(), x.shape());   // every element written
        Tensor ggamma = params ? Tensor.zeros(x.backend(), x.dtype(), c) : null;
        Tensor gbeta = params ? Tensor.zeros(x.backend(), x.dtype(), c) : null;
        if (x.size() == 0) {
            return new Tensor[]{gx, ggamma, gbeta};
        }
        Tensor gc = g.contiguous();
        Tensor xc = x.contiguous();
        Tensor gammac = gamma.contiguous();
        Tensor mc = reluOut == null ? null : reluOut.contiguous();
        x.backend().channelAffineBackward(x.dim(0), c, x.size() / (x.dim(0) * c), gc.buffer(), gc.offset(), xc.buffer(),
                xc.offset(), gammac.buffer(), gammac.offset(), mc == null ? null : mc.buffer(), mc == null ? 0 : mc.offset(),
                gx.buffer(), 0, params ? ggamma.buffer() : null, 0, params ? gbeta.buffer() : null, 0);
        return new Tensor[]{gx, ggamma, gbeta};
    }

    /**
     * Instance norm's forward in one pass where the backend has one, for an {@code [N, C, ...]}
     * tensor and the mean and rstd of each {@code (n, c)} plane ({@code N * C} values each):
     * {@link #rowStandardize} then {@link #channelAffine} (with {@code relu} or not), the same bits,
     * with no standardised tensor kept. For work that records no graph.
     */
    public static Tensor standardizeAffine(Tensor x, Tensor mean, Tensor rstd, Tensor gamma, Tensor beta, boolean relu) {
        checkChannels(x, gamma, beta, "standardizeAffine");
        int planes = x.rank() < 2 ? 0 : x.dim(0) * x.dim(1);
        if (mean.size() != planes || rstd.size() != planes) {
            throw new IllegalArgumentException("standardizeAffine expects " + planes + " means and rstds, got "
                    + Shape.str(mean.shape()) + ", " + Shape.str(rstd.shape()));
        }
        Elementwise.checkSameDType(x, mean, "standardizeAffine");
        Elementwise.checkSameDType(x, rstd, "standardizeAffine");
        Tensor y = Tensor.unfilled(x.backend(), x.dtype(), x.shape());   // every element written
        if (x.size() == 0) {
            return y;
        }
        Tensor xc = x.contiguous();
        Tensor mc = mean.contiguous();
        Tensor rc = rstd.contiguous();
        Tensor gc = gamma.contiguous();
        Tensor bc = beta.contiguous();
        x.backend().standardizeAffine(x.dim(0), x.dim(1), x.size() / planes, xc.buffer(), xc.offset(), mc.buffer(),
                mc.offset(), rc.buffer(), rc.offset(), gc.buffer(), gc.offset(), bc.buffer(), bc.offset(), relu, y.buffer(), 0);
        return y;
    }

    private static void checkChannels(Tensor x, Tensor gamma, Tensor beta, String op) {
        if (x.rank() < 2 || gamma.rank() != 1 || beta.rank() != 1 || gamma.size() != x.dim(1) || beta.size() != x.dim(1)) {
            throw new IllegalArgumentException(op + " expects [N, C, ...] and C values each of gamma and beta, got "
                    + Shape.str(x.shape()) + ", " + Shape.str(gamma.shape()) + ", " + Shape.str(beta.shape()));
        }
        Elementwise.checkSameDType(x, gamma, op);
        Elementwise.checkSameDType(x, beta, op);
    }

    /** Mean and biased variance per channel of an {@code [N, C, ...]} tensor, each of shape {@code [C]}. */
    public static Tensor[] channelMoments(Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("channelMoments expects [N, C, ...], got " + Shape.str(x.shape()));
        }
        Tensor c = x.contiguous();
        int n = x.dim(0);
        int ch = x.dim(1);
        int inner = ch == 0 || n == 0 ? 0 : x.size() / (n * ch);
        Tensor mean = Tensor.zeros(x.backend(), x.dtype(), ch);
        Tensor var = Tensor.zeros(x.backend(), x.dtype(), ch);
        x.backend().channelMoments(n, ch, inner, c.buffer(), c.offset(), mean.buffer(), 0, var.buffer(), 0);
        return new Tensor[]{mean, var};
    }
}
