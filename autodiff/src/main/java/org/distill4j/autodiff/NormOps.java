package org.distill4j.autodiff;

import org.distill4j.kernels.BinaryOp;
import org.distill4j.kernels.PoolGeometry;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Norm;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Normalisation layers, composed from differentiable ops so that every order of derivative is
 * exact without hand-written backward rules (the composition is the rule):
 *
 * <pre>
 *   xhat = (x - mean) / sqrt(var + eps)        over the axes each norm normalises
 *   y    = gamma * xhat + beta                 per channel; gamma and beta may be null
 * </pre>
 *
 * The two steps are nodes of their own ({@link #standardize}, {@link #channelAffine}), each with a
 * one-pass first-order backward and a composed rule for higher orders.
 *
 * Instance norm normalises each (sample, channel) plane, group norm each (sample, group), batch
 * norm each channel over the batch (with running statistics for evaluation).
 * Local response norm is Krizhevsky et al.'s cross-channel normalisation, as PyTorch defines it.
 */
public final class NormOps {
    private NormOps() {
    }

    /**
     * Normalises {@code x} over {@code axes} (biased variance, as PyTorch does for the forward pass).
     * When the axes are the trailing ones (instance and group norm) this is one node: the moments
     * of each contiguous row in one pass, and the backward rule
     * {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))}, written with differentiable ops
     * on the output {@code xhat} and on {@code rstd} recomposed from x, so higher derivatives stay
     * exact; when no graph is being built (first order) the same rule runs as one kernel, two
     * passes over each row. Otherwise the composition below.
     */
    static Var standardize(Var x, int[] axes, double eps) {
        int rank = x.rank();
        boolean trailing = axes.length > 0;
        for (int i = 0; i < axes.length; i++) {
            trailing &= axes[i] == rank - axes.length + i;
        }
        if (!trailing) {
            return composedStandardize(x, axes, eps);
        }
        int[] shape = x.shape();
        int len = 1;
        for (int a : axes) {
            len *= shape[a];
        }
        int rows = Shape.size(shape) / Math.max(1, len);
        if (rows == 0 || len == 0) {
            return composedStandardize(x, axes, eps);
        }
        Tensor rowsOfX = x.value().contiguous().reshape(rows, len);
        Tensor[] stats = rowMeanAndRstd(rowsOfX, eps);
        Tensor rstdRows = stats[1];
        Tensor xhatRows = Norm.rowStandardize(rowsOfX, stats[0], rstdRows);
        Var[] out = new Var[1];
        out[0] = Var.record("standardize", xhatRows.reshape(shape), g -> {
            if (!GradMode.isEnabled()) {
                // First order only: the rule below in two passes of one kernel.
                Tensor gRows = g.value().contiguous().reshape(xhatRows.shape());
                return new Var[]{Var.constant(Norm.rowStandardizeBackward(gRows, xhatRows, rstdRows).reshape(shape))};
            }
            Var r = composedRstd(x, axes, eps);
            Var y = out[0];
            Var inner = ElementwiseOps.sub(ElementwiseOps.sub(g, ReduceOps.mean(g, axes, true)),
                    ElementwiseOps.mul(y, ReduceOps.mean(ElementwiseOps.mul(g, y), axes, true)));
            return new Var[]{ElementwiseOps.mul(inner, r)};
        }, x);
        return out[0];
    }

    /** The mean and {@code 1 / sqrt(var + eps)} of each row of {@code rows} ([rows, len]). */
    private static Tensor[] rowMeanAndRstd(Tensor rows, double eps) {
        Tensor[] moments = Norm.rowMoments(rows);
        return new Tensor[]{moments[0], Elementwise.unary(UnaryOp.RSQRT, Elementwise.affine(moments[1], 1, eps))};
    }

    /** {@code 1 / sqrt(var + eps)} of {@code x} over {@code axes}, composed from differentiable ops. */
    private static Var composedRstd(Var x, int[] axes, double eps) {
        return ElementwiseOps.div(Var.scalar(1, x), centeredAndStd(x, axes, eps)[1]);
    }

    /** {@link #standardize} composed from differentiable ops: the rule and the reference. */
    static Var composedStandardize(Var x, int[] axes, double eps) {
        Var[] cs = centeredAndStd(x, axes, eps);
        return ElementwiseOps.div(cs[0], cs[1]);
    }

    /** {@code x - mean} and {@code sqrt(var + eps)} over {@code axes} (biased variance). */
    private static Var[] centeredAndStd(Var x, int[] axes, double eps) {
        Var centered = ElementwiseOps.sub(x, ReduceOps.mean(x, axes, true));
        Var var = ReduceOps.mean(ElementwiseOps.square(centered), axes, true);
        return new Var[]{centered, ElementwiseOps.sqrt(ElementwiseOps.affine(var, 1, eps))};
    }

    private static Var affine(Var xhat, Var gamma, Var beta, boolean relu) {
        if (gamma != null && beta != null && gamma.rank() == 1 && beta.rank() == 1) {
            return channelAffine(xhat, gamma, beta, relu);
        }
        Var y = composedAffine(xhat, gamma, beta);
        return relu ? ElementwiseOps.relu(y) : y;
    }

    /**
     * {@code y = x * gamma[c] + beta[c]}, then with {@code relu} {@code max(y, 0)}, as one node:
     * one pass forward, and when no graph is being built (first order) one pass backward for all
     * three gradients, where the broadcast ops and the ReLU make two passes and a temporary forward
     * (three and two with the ReLU) and four passes backward (six). Neither the affine's output
     * before the ReLU nor a masked gradient is kept: the ReLU's backward reads the node's output,
     * positive exactly where its input is. The bits are those of {@link #composedAffine} (and its
     * ReLU) in every case: the same products and sums in the same order ({@link Norm#channelAffine});
     * with a graph (higher orders) the rule is the composed ops' rule, written with differentiable ops.
     */
    static Var channelAffine(Var x, Var gamma, Var beta, boolean relu) {
        int[] perChannel = new int[x.rank()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = x.dim(1);
        int[] exceptChannels = new int[x.rank() - 1];
        for (int i = 0, a = 0; a < x.rank(); a++) {
            if (a != 1) {
                exceptChannels[i++] = a;
            }
        }
        Tensor y = Norm.channelAffine(x.value(), gamma.value(), beta.value(), relu);
        return Var.record(relu ? "channelAffineRelu" : "channelAffine", y, g -> {
            if (!GradMode.isEnabled()) {
                Tensor[] gs = Norm.channelAffineBackward(g.value(), x.value(), gamma.value(), relu ? y : null,
                        gamma.requiresGrad() || beta.requiresGrad());
                return new Var[]{x.requiresGrad() ? Var.constant(gs[0]) : null,
                        gamma.requiresGrad() ? Var.constant(gs[1]) : null,
                        beta.requiresGrad() ? Var.constant(gs[2]) : null};
            }
            Var gy = relu ? ElementwiseOps.reluBackward(g, y) : g;
            return new Var[]{
                    x.requiresGrad() ? ElementwiseOps.mul(gy, ShapeOps.reshape(gamma, perChannel)) : null,
                    gamma.requiresGrad()
                            ? ShapeOps.reshape(ReduceOps.sum(ElementwiseOps.mul(gy, x), exceptChannels, true), gamma.shape())
                            : null,
                    beta.requiresGrad() ? ShapeOps.reshape(ReduceOps.sum(gy, exceptChannels, true), beta.shape()) : null};
        }, x, gamma, beta);
    }

    /** {@code xhat * gamma + beta} per channel as broadcast ops (either may be null): the reference of {@link #channelAffine}. */
    static Var composedAffine(Var xhat, Var gamma, Var beta) {
        int c = xhat.dim(1);
        int[] perChannel = new int[xhat.rank()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = c;
        Var y = gamma == null ? xhat : ElementwiseOps.mul(xhat, ShapeOps.reshape(gamma, perChannel));
        return beta == null ? y : ElementwiseOps.add(y, ShapeOps.reshape(beta, perChannel));
    }

    private static void checkNchw(Var x, String op) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException(op + " expects [N, C, ...], got " + Shape.str(x.shape()));
        }
    }

    public static Var instanceNorm(Var x, Var gamma, Var beta, double eps) {
        checkNchw(x, "instanceNorm");
        Var untracked = withoutGraph(x, gamma, beta, eps, false);
        return untracked != null ? untracked : affine(standardize(x, spatialAxes(x), eps), gamma, beta, false);
    }

    /**
     * Instance norm when it records no graph (no grad mode, or no input that requires a gradient:
     * evaluation, the real images' embeddings of distribution matching): the standardisation and
     * the affine in one pass, with no standardised tensor made ({@link Norm#standardizeAffine}), the
     * same bits. Null when a graph is being recorded or the shapes are not the one-pass kind.
     */
    private static Var withoutGraph(Var x, Var gamma, Var beta, double eps, boolean relu) {
        if (GradMode.isEnabled() && (x.requiresGrad() || gamma != null && gamma.requiresGrad()
                || beta != null && beta.requiresGrad())) {
            return null;
        }
        if (gamma == null || beta == null || gamma.rank() != 1 || beta.rank() != 1 || x.size() == 0) {
            return null;
        }
        int planes = x.dim(0) * x.dim(1);
        Tensor rows = x.value().contiguous().reshape(planes, x.size() / planes);
        Tensor[] stats = rowMeanAndRstd(rows, eps);
        return Var.constant(Norm.standardizeAffine(x.value(), stats[0], stats[1], gamma.value(), beta.value(), relu));
    }

    /** The axes after N and C. */
    private static int[] spatialAxes(Var x) {
        int[] spatial = new int[x.rank() - 2];
        for (int i = 0; i < spatial.length; i++) {
            spatial[i] = i + 2;
        }
        return spatial;
    }

    /**
     * {@code relu(instanceNorm(x, gamma, beta, eps))} with the ReLU folded into the affine's node
     * ({@link #channelAffine}): the same values and gradients, bit for bit, one pass fewer each way.
     */
    public static Var instanceNormRelu(Var x, Var gamma, Var beta, double eps) {
        checkNchw(x, "instanceNorm");
        Var untracked = withoutGraph(x, gamma, beta, eps, true);
        return untracked != null ? untracked : affine(standardize(x, spatialAxes(x), eps), gamma, beta, true);
    }

    public static Var groupNorm(Var x, int groups, Var gamma, Var beta, double eps) {
        checkNchw(x, "groupNorm");
        int n = x.dim(0);
        int c = x.dim(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + c + " channels cannot be split into " + groups + " groups");
        }
        Var grouped = ShapeOps.reshape(x, n, groups, -1);
        Var xhat = ShapeOps.reshape(standardize(grouped, new int[]{2}, eps), x.shape());
        return affine(xhat, gamma, beta, false);
    }

    /**
     * Batch norm over {@code [N, C, ...]}. In training it normalises with the batch statistics and
     * updates {@code runningMean}/{@code runningVar} in place (unbiased variance, as PyTorch); in
     * evaluation it uses them as constants. The running tensors may be null in training.
     */
    public static Var batchNorm(Var x, Var gamma, Var beta, Tensor runningMean, Tensor runningVar,
                                boolean training, double momentum, double eps) {
        checkNchw(x, "batchNorm");
        int[] axes = new int[x.rank() - 1];
        axes[0] = 0;
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        int c = x.dim(1);
        int[] perChannel = ReduceOps.keptShape(x.shape(), axes);
        if (training) {
            Var xhat = standardize(x, axes, eps);
            if (runningMean != null) {
                int count = x.size() / c;
                try (GradMode.Scope s = GradMode.disabled()) {
                    Tensor mean = org.distill4j.tensor.Reduce.sum(x.value(), axes, false);
                    mean = Elementwise.affine(mean, 1.0 / count, 0);
                    Tensor centered = Elementwise.sub(x.value(), mean.reshape(perChannel));
                    Tensor sq = org.distill4j.tensor.Reduce.sum(Elementwise.mul(centered, centered), axes, false);
                    Tensor unbiased = Elementwise.affine(sq, 1.0 / Math.max(1, count - 1), 0);
                    blend(runningMean, mean, momentum);
                    blend(runningVar, unbiased, momentum);
                }
            }
            return affine(xhat, gamma, beta, false);
        }
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchNorm in evaluation mode needs running statistics");
        }
        Var mean = Var.constant(runningMean.reshape(perChannel));
        Var std = Var.constant(Elementwise.unary(org.distill4j.kernels.UnaryOp.SQRT,
                Elementwise.affine(runningVar, 1, eps)).reshape(perChannel));
        return affine(ElementwiseOps.div(ElementwiseOps.sub(x, mean), std), gamma, beta, false);
    }

    /** {@code running = (1 - momentum) * running + momentum * batch}, in place. */
    private static void blend(Tensor running, Tensor batch, double momentum) {
        Tensor scaled = Elementwise.affine(running, 1 - momentum, 0);
        Elementwise.binaryInto(BinaryOp.ADD, scaled, Elementwise.affine(batch, momentum, 0), running);
    }

    /**
     * {@code y = x / (k + alpha * mean_{window}(x^2))^beta}, the window being {@code size}
     * neighbouring channels, zero-padded by {@code size/2} before and {@code (size-1)/2} after, as
     * {@code torch.nn.LocalResponseNorm}.
     */
    public static Var localResponseNorm(Var x, int size, double alpha, double beta, double k) {
        checkNchw(x, "localResponseNorm");
        if (size <= 0) {
            throw new IllegalArgumentException("localResponseNorm: size must be positive, got " + size);
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int inner = x.size() / (n * c);
        Var sq = ShapeOps.reshape(ElementwiseOps.square(x), n, 1, c, inner);
        int before = size / 2;
        int after = (size - 1) / 2;
        Var padded = ShapeOps.concat(2, zeros(sq, n, before, inner), sq, zeros(sq, n, after, inner));
        PoolGeometry window = new PoolGeometry(n, 1, c + before + after, inner, size, 1, 1, 1, 0, 0);
        Var avg = ShapeOps.reshape(PoolOps.avg(window, padded), x.shape());
        Var div = ElementwiseOps.pow(ElementwiseOps.affine(avg, alpha, k), beta);
        return ElementwiseOps.div(x, div);
    }

    private static Var zeros(Var like, int n, int channels, int inner) {
        return Var.constant(Tensor.zeros(like.value().backend(), like.dtype(), n, 1, channels, inner));
    }
}
