package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.submodular.Greedy;
import org.distill4j.kernels.Blas1;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.kernels.UnaryOp;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Tensor;

/**
 * GLISTER (Killamsetty, Sivasubramanian, Ramakrishnan and Iyer 2021, "GLISTER: Generalization
 * based Data Subset Selection for Efficient and Robust Learning", Alg. 1 GreedyTaylorApprox):
 * greedily pick the example whose one gradient step most lowers the validation loss, to first
 * order {@code eta g_e . grad L_val(theta)}, then take that step ({@code theta <- theta - eta g_e})
 * and recompute the validation gradient before the next pick.
 *
 * <p>As in the paper's implementation (CORDS) only the last linear layer moves, which makes every
 * quantity closed form from the selection model's embeddings {@code h} and logit gradients
 * {@code g = softmax - onehot}: the gain of {@code e} is
 * {@code eta (g_e . b_val + g_e^T W_val h_e)} with {@code (b_val, W_val)} the mean validation
 * gradient of the last layer's bias and weight, and the step moves every validation logit row by
 * {@code -eta (1 + h_i . h_e) g_e}. How each pick is computed without a matrix product over all
 * candidates is described at {@link #greedy}; the picks are those of the plain greedy.
 *
 * <p>Validation set: the training examples themselves (DeepCore's default when no validation set
 * is given); with class balance, the members of the class being selected (DeepCore's per-class
 * validation). Starting logits are {@code log softmax}, equal to the model's up to a per-row shift
 * that softmax ignores. {@code eta} is the step size: by default the selection model's learning
 * rate, as CORDS and DeepCore take the training learning rate. Greedy picks exactly the budget, so
 * nothing is padded. Weights are 1; the score of an example is its Taylor gain when picked. With
 * class balance the classes run side by side on the compute context's threads.
 */
public final class Glister implements CoresetMethod {
    /** The step size for a context not trained here, whose learning rate is unknown. */
    public static final double DEFAULT_ETA = 0.01;

    /** NaN: the selection model's learning rate. */
    private final double eta;

    /** Step size: the selection model's learning rate (CORDS's and DeepCore's choice). */
    public Glister() {
        this(Double.NaN);
    }

    /** @param eta the step size, or NaN for the selection model's learning rate ({@link #DEFAULT_ETA} without one) */
    public Glister(double eta) {
        if (!Double.isNaN(eta) && (!(eta > 0) || Double.isInfinite(eta))) {
            throw new IllegalArgumentException("glister step size eta must be finite and > 0, got " + eta);
        }
        this.eta = eta;
    }

    /** The step size used on {@code ctx}. */
    double eta(SelectionContext ctx) {
        if (!Double.isNaN(eta)) {
            return eta;
        }
        return Double.isNaN(ctx.learningRate()) ? DEFAULT_ETA : ctx.learningRate();
    }

    @Override
    public String name() {
        return "glister";
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        double eta = eta(ctx);
        List<Groups.Group> groups = Groups.of(ctx, budget);
        // The tensors of every group first, in the caller's compute context; then the greedy loops,
        // which read only arrays, one group per thread (each is its own run, so the picks do not
        // depend on the thread count).
        List<java.util.concurrent.Callable<Greedy.Result>> work = new ArrayList<>();
        for (Groups.Group g : groups) {
            int[] members = g.positions();
            Tensor idx = Tensor.fromInts(members, members.length);
            Tensor h = Indexing.indexSelect(ctx.embeddings(), 0, idx);
            Tensor p = Indexing.indexSelect(ctx.probabilities(), 0, idx);
            Tensor logits = Elementwise.unary(UnaryOp.LOG, Elementwise.unary(UnaryOp.CLAMP, p, Float.MIN_NORMAL, 1));
            float[] hf = h.to(DType.F32).contiguous().toFloatArray();
            Lazy lazy = new Lazy(ctx.logitGradients(members).to(DType.F32).contiguous().toFloatArray(), hf,
                    logits.to(DType.F32).contiguous().toFloatArray(), oneHot(ctx, members).toFloatArray(), hf,
                    members.length, members.length, ctx.classes(), h.dim(1), g.budget());
            work.add(() -> lazy.run(eta));
        }
        List<Greedy.Result> results = ParallelGroups.run(work, ComputeContext.current().threads());
        int[] indices = new int[budget];
        double[] scores = new double[budget];
        int filled = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            int[] members = groups.get(gi).positions();
            Greedy.Result r = results.get(gi);
            for (int i = 0; i < r.order().length; i++) {
                indices[filled] = members[r.order()[i]];
                scores[filled++] = r.gains()[i];
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("eta", eta);
        settings.put("validation", "training set");
        settings.put("balance", ctx.balance());
        return Selection.unweighted(name(), indices, scores, settings);
    }

    private static Tensor oneHot(SelectionContext ctx, int[] members) {
        int[] labels = new int[members.length];
        float[] ones = new float[members.length];
        for (int i = 0; i < members.length; i++) {
            labels[i] = ctx.data().label(members[i]);
            ones[i] = 1;
        }
        return Indexing.scatterRows(Tensor.fromFloats(ones, ones.length), Tensor.fromInts(labels, labels.length), ctx.classes());
    }

    /**
     * The greedy loop (see {@link Greedy} for the ties: the larger gain, then the lower index).
     *
     * <p>Each pick needs the mean validation gradient of the last layer, {@code b = mean u} and
     * {@code W = mean u h^T} with {@code u = softmax(z) - onehot}: {@code O(m C E)}, as dot products
     * over the validation set ({@link Blas1#dots5x4}). Candidates are then evaluated lazily but exactly.
     * Every candidate's gain {@code g_i . b + g_i^T W h_i} is tracked from pick to pick along the
     * leading direction of the change: with {@code dW = W(t) - W(t-1) = x y^T + R} ({@code x} the
     * leading left singular vector, by power iteration), the tracked value moves by
     * {@code g_i . db + (g_i . x)(y . h_i)}, {@code O(n (C + E))} for all candidates, and what it
     * misses is at most {@code |R|_F |g_i| |h_i|} (Cauchy-Schwarz), summed per candidate since its
     * gain was last computed exactly. Candidates are taken in order of this upper bound and their
     * gains computed exactly ({@code O(C E)} each, in double, {@link Blas1#dotAffine}) until no
     * bound can beat the best gain found: the pick is the one a full evaluation of every candidate
     * would make, for a fraction of its {@code O(n C E)} (on Fashion-MNIST at 10%, about 200 exact
     * evaluations per pick among 6,000 while the gains are well above rounding). The step then
     * moves the validation logits by {@code -eta (1 + h_v . h_e) g_e}, applied to the probabilities
     * in place, {@code p_vj <- p_vj exp(-eta s_v g_ej)}, in the next pick's pass over the validation
     * set, panel by panel, just before each panel's normalisation (the softmax of the moved logits)
     * and its share of {@code b} and {@code W}: one read of the embeddings per pick for both.
     * Everything is flat arrays laid out so that the long loops run along contiguous memory
     * (panels of {@code PANEL} examples, one row per feature or class).
     *
     * <p>With class balance the validation set is one class, so the steps soon make the model
     * predict it everywhere: on Fashion-MNIST at 10% (LeNet, 5 epochs) the gains fall from 0.03-0.65
     * at a class's first pick to 3e-8 or less by its 50th and about 1e-12 or less by its 100th of 600,
     * down to where the change of {@code W} from pick to pick is rounding noise. The picks there are
     * still the argmax of the computed gains, as a full evaluation gives, but which example that is
     * depends on rounding. Bounds then pass most candidates: above {@code n / REFRESH} of them, one
     * F32 pass gives every candidate a bound within {@code 1e-5} of its scale, before the heap. Once
     * that has happened at two picks in a row, the pass runs first and the tracking, which it would
     * overwrite, is skipped (every {@code PROBE}-th pick of such a streak tracks again).
     *
     * @param g         F32 {@code [n, C]} candidates' logit gradients
     * @param h         F32 {@code [n, E]} candidates' embeddings
     * @param valLogits F32 {@code [m, C]} validation logits at the starting parameters
     * @param valOneHot F32 {@code [m, C]} validation labels, one-hot
     * @param valH      F32 {@code [m, E]} validation embeddings
     */
    static Greedy.Result greedy(Tensor g, Tensor h, Tensor valLogits, Tensor valOneHot, Tensor valH, int k, double eta) {
        return new Lazy(g.to(DType.F32).contiguous().toFloatArray(), h.to(DType.F32).contiguous().toFloatArray(),
                valLogits.to(DType.F32).contiguous().toFloatArray(), valOneHot.to(DType.F32).contiguous().toFloatArray(),
                valH.to(DType.F32).contiguous().toFloatArray(), g.dim(0), valLogits.dim(0), g.dim(1), h.dim(1), k).run(eta);
    }

    /**
     * The picks of {@link #greedy} at which evaluating every remaining candidate (with the same
     * validation gradient) would have found a better one: 0 when the bounds that let the lazy
     * evaluation skip candidates hold. For tests: {@code O(n C E)} more per pick.
     */
    static int picksAFullEvaluationWouldChange(Tensor g, Tensor h, Tensor valLogits, Tensor valOneHot, Tensor valH, int k,
                                               double eta) {
        return checkedRun(g, h, valLogits, valOneHot, valH, k, eta)[0];
    }

    /**
     * {@link #picksAFullEvaluationWouldChange}'s run, with how its picks were reached: {@code {wrong
     * picks, picks that ran the F32 pass after tracking, picks that ran it instead of tracking}}.
     */
    static int[] checkedRun(Tensor g, Tensor h, Tensor valLogits, Tensor valOneHot, Tensor valH, int k, double eta) {
        Lazy lazy = new Lazy(g.to(DType.F32).contiguous().toFloatArray(), h.to(DType.F32).contiguous().toFloatArray(),
                valLogits.to(DType.F32).contiguous().toFloatArray(), valOneHot.to(DType.F32).contiguous().toFloatArray(),
                valH.to(DType.F32).contiguous().toFloatArray(), g.dim(0), valLogits.dim(0), g.dim(1), h.dim(1), k);
        lazy.verify = true;
        lazy.run(eta);
        return new int[]{lazy.wrongPicks, lazy.refreshedAfterTracking, lazy.refreshedFirst};
    }

    /** One group's greedy on arrays: what a worker thread runs. */
    private static final class Lazy {
        /**
         * Examples per panel. The per-example arrays of the long passes are stored in panels: panel
         * {@code b} holds examples {@code [b P, (b + 1) P)}, one row per feature (or class) of
         * {@code P} values, so that a panel is contiguous (340 KB of F32 embeddings for E = 84, which
         * stay in cache while a pass works on them) and each of its rows is a run for the vector
         * kernels. The validation gradient sums over one panel at a time.
         */
        private static final int PANEL = 1024;
        /** Candidates of highest bound kept in order while the bounds are computed. */
        private static final int FIRST = 32;
        /** More than n / REFRESH candidates to evaluate exactly in one pick: new bounds for all from an F32 pass first. */
        private static final int REFRESH = 8;
        /** In a streak of picks that needed the F32 pass, every PROBE-th tracks the gains again (see {@link #run}). */
        private static final int PROBE = 16;
        private static final float[] ONES = ones(PANEL);
        private final float[] gc;
        private final float[] hc;
        private final float[] logits;
        private final float[] onehot;
        private final float[] hv;
        private final int n;
        private final int m;
        private final int c;
        private final int e;
        private final int k;
        /** The validation set in panels: probabilities (double, unnormalised between picks), labels, u = p - y, embeddings. */
        private double[] pp;
        private float[] yp;
        private float[] up;
        private float[] hvp;
        /** One panel's {@code s_v = 1 + h_v . h_e} for the last pick, in F32 and in double, and reciprocal row sums. */
        private final float[] s = new float[PANEL];
        /** Candidate side (see {@link #run}): panels of embeddings and gradients, norms, tracked values and slack, F32 pass buffers. */
        private float[] hcp;
        private float[] gcp;
        private double[] gNorm;
        private double[] hNorm;
        private double[] value;
        private int[] stamp;
        private int[] exactAt;
        private double[] missB;
        private double[] missW;
        private boolean[] used;
        private float[] wf;
        private float[] bf;
        private float[] fv;
        private final double[] sd = new double[PANEL];
        private final double[] norm = new double[PANEL];

        /** {@code hv} may be {@code hc} itself (the validation set is the candidates): their panels are then shared. */
        Lazy(float[] gc, float[] hc, float[] logits, float[] onehot, float[] hv, int n, int m, int c, int e, int k) {
            if (k < 0 || k > n) {
                throw new IllegalArgumentException("glister: cannot pick " + k + " of " + n + " candidates");
            }
            this.gc = gc;
            this.hc = hc;
            this.logits = logits;
            this.onehot = onehot;
            this.hv = hv;
            this.n = n;
            this.m = m;
            this.c = c;
            this.e = e;
            this.k = k;
        }

        private static float[] ones(int n) {
            float[] x = new float[n];
            java.util.Arrays.fill(x, 1f);
            return x;
        }

        /** Examples in panel {@code b} of a set of {@code size}. */
        private static int panelLength(int b, int size) {
            return Math.min(PANEL, size - b * PANEL);
        }

        private static int panels(int size) {
            return (size + PANEL - 1) / PANEL;
        }

        /** Row-major {@code [rows, cols]} in panels: value {@code (i, q)} at {@code (i / P) cols P + q P + i % P}, zeros after the last row. */
        private static float[] paneled(float[] x, int rows, int cols) {
            float[] out = new float[panels(rows) * cols * PANEL];
            for (int i = 0; i < rows; i++) {
                int o = (i / PANEL) * cols * PANEL + i % PANEL;
                for (int q = 0; q < cols; q++) {
                    out[o + q * PANEL] = x[i * cols + q];
                }
            }
            return out;
        }

        /** With {@link #verify}: the picks at which an evaluation of every candidate found a better one. */
        int wrongPicks;
        /** Picks that ran the F32 pass after tracking, and picks that ran it instead of tracking. */
        int refreshedAfterTracking;
        int refreshedFirst;
        /** Checks every pick against an evaluation of every candidate (tests only: {@code O(n C E)} per pick). */
        boolean verify;

        Greedy.Result run(double eta) {
            // Validation side, in panels: probabilities (double), labels, u = p - y, embeddings.
            int mp = panels(m);
            pp = new double[mp * c * PANEL];
            for (int v = 0; v < m; v++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, logits[v * c + j]);
                }
                int o = (v / PANEL) * c * PANEL + v % PANEL;
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    double x = Math.exp(logits[v * c + j] - max);
                    pp[o + j * PANEL] = x;
                    sum += x;
                }
                for (int j = 0; j < c; j++) {
                    pp[o + j * PANEL] /= sum;
                }
            }
            yp = paneled(onehot, m, c);
            up = new float[mp * c * PANEL];
            hcp = paneled(hc, n, e);
            hvp = hv == hc ? hcp : paneled(hv, m, e);
            // Candidate side: gradients in panels for the tracked gains, embeddings in double for exact gains.
            gcp = paneled(gc, n, c);
            double[] hcd = new double[n * e];
            gNorm = new double[n];
            hNorm = new double[n];
            for (int i = 0; i < n; i++) {
                gNorm[i] = Math.sqrt(Blas1.dotPlain(gc, i * c, gc, i * c, c));
                hNorm[i] = Math.sqrt(Blas1.dotPlain(hc, i * e, hc, i * e, e));
                for (int q = 0; q < e; q++) {
                    hcd[i * e + q] = hc[i * e + q];
                }
            }
            double[] w = new double[c * e];
            double[] bias = new double[c];
            double[] prevW = new double[c * e];
            double[] prevB = new double[c];
            double[] dW = new double[c * e];
            double[] db = new double[c];
            double[] x = new double[c];
            java.util.Arrays.fill(x, 1 / Math.sqrt(c));
            double[] gram = new double[c * c];
            double[] next = new double[c];
            float[] yf = new float[e];
            float[] xf = new float[c];
            float[] dbf = new float[c];
            float[] hy = new float[n];
            float[] gx = new float[n];
            float[] gdb = new float[n];
            // What each candidate's tracked gain may have missed since its last exact evaluation:
            // |g_i| (missB_i + |h_i| missW_i), summed per candidate from zero. (Differences of running
            // totals over all picks lost the late, small terms: once the first picks' large changes are
            // in a total, a change below its rounding unit adds nothing, and the bounds went below the
            // gains they were meant to cap.)
            missB = new double[n];
            missW = new double[n];
            value = new double[n];
            stamp = new int[n];
            java.util.Arrays.fill(stamp, -1);
            // The pick at which a candidate's gain was last computed exactly (stamp: last given a value or a bound).
            exactAt = new int[n];
            java.util.Arrays.fill(exactAt, -1);
            wf = new float[c * e];
            bf = new float[c];
            fv = new float[panels(n) * PANEL];
            double[] bound = new double[n];
            int[] heap = new int[n];
            int[] top = new int[FIRST];
            used = new boolean[n];
            // Consecutive picks that gave every candidate a new bound from the F32 pass (see below).
            int streak = 0;
            int[] order = new int[k];
            double[] gains = new double[k];
            for (int t = 0; t < k; t++) {
                int last = t == 0 ? -1 : order[t - 1];
                validationGradient(last, eta, w, bias);
                // Once the F32 pass has run after the tracking at the last two picks it will almost
                // surely run at this one too (the gains are rounding noise for the rest of the class):
                // then it runs first and the tracking, whose values it would overwrite, is skipped;
                // every PROBE-th pick of a streak tracks again, to see whether the bounds still let
                // too many through. Either way every bound is valid, so the picks are the same. (The
                // first pick, with no tracked values yet, runs the F32 pass whatever the gains: it starts no streak.)
                boolean refreshFirst = streak >= 2 && streak % PROBE != 0;
                if (t > 0 && !refreshFirst) {
                    // The change of the gains, g_i . db + g_i^T dW h_i: exactly along dW's leading direction
                    // x (dW ~ x y^T with y = dW^T x), bounded for the rest, |dW - x y^T|_F |g_i| |h_i|.
                    for (int q = 0; q < dW.length; q++) {
                        dW[q] = w[q] - prevW[q];
                    }
                    for (int j = 0; j < c; j++) {
                        db[j] = bias[j] - prevB[j];
                    }
                    leadingDirection(dW, x, gram, next);
                    double yNorm = 0;
                    double rest = 0;
                    for (int q = 0; q < e; q++) {
                        double y = 0;
                        for (int j = 0; j < c; j++) {
                            y += x[j] * dW[j * e + q];
                        }
                        yf[q] = (float) y;
                        yNorm += y * y;
                        for (int j = 0; j < c; j++) {
                            double r = dW[j * e + q] - x[j] * yf[q];
                            rest += r * r;
                        }
                    }
                    for (int j = 0; j < c; j++) {
                        xf[j] = (float) x[j];
                        dbf[j] = (float) db[j];
                    }
                    java.util.Arrays.fill(hy, 0);
                    java.util.Arrays.fill(gx, 0);
                    java.util.Arrays.fill(gdb, 0);
                    for (int b = 0, np = panels(n); b < np; b++) {
                        int len = panelLength(b, n);
                        Blas1.axpyRows(hcp, b * e * PANEL, PANEL, e, yf, 0, hy, b * PANEL, len);
                        Blas1.axpyRows(gcp, b * c * PANEL, PANEL, c, xf, 0, gx, b * PANEL, len);
                        Blas1.axpyRows(gcp, b * c * PANEL, PANEL, c, dbf, 0, gdb, b * PANEL, len);
                    }
                    // F32 rounding of the increments (sums of at most E products) is covered by 1e-5 of the norms.
                    double incB = 1e-5 * Math.sqrt(dotSelf(db));
                    double incW = Math.sqrt(rest) + 1e-5 * Math.sqrt(yNorm) + 1e-6 * Math.sqrt(dotSelf(dW));
                    for (int i = 0; i < n; i++) {
                        if (!used[i]) {
                            value[i] += gdb[i] + (double) gx[i] * hy[i];
                            missB[i] += incB;
                            missW[i] += incW;
                        }
                    }
                }
                System.arraycopy(w, 0, prevW, 0, w.length);
                System.arraycopy(bias, 0, prevB, 0, c);
                double wNorm = Math.sqrt(dotSelf(w));
                double bNorm = Math.sqrt(dotSelf(bias));
                if (refreshFirst) {
                    refreshValues(t, w, bias, wNorm, bNorm);
                    refreshedFirst++;
                }
                // Candidates are evaluated highest bound first (ties: lower index) until no bound beats the
                // best gain found. Every candidate's upper bound, and the FIRST highest in order: usually
                // all that is evaluated; a heap orders the others whose bound beats the best of those.
                int firsts = 0;
                double cut = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (used[i]) {
                        continue;
                    }
                    double bd;
                    if (stamp[i] < 0) {
                        bd = Double.POSITIVE_INFINITY;
                    } else {
                        // (1 + 1e-12): the rounding of the sums themselves, relative to them (at most k terms).
                        double missed = gNorm[i] * (missB[i] + hNorm[i] * missW[i]) * (1 + 1e-12);
                        // Rounding of an evaluation (C E double products), then and now: far below any gap that matters.
                        bd = value[i] + missed + 1e-9 * gNorm[i] * (bNorm + wNorm * hNorm[i]);
                    }
                    bound[i] = bd;
                    // Greedy.better(bd, i, bound[top[FIRST - 1]], top[FIRST - 1]) once the list is full: a
                    // plain comparison, as every index in the list is lower than i (and NaN loses either way).
                    if (firsts < FIRST || bd > cut) {
                        int at = Math.min(firsts, FIRST - 1);
                        while (at > 0 && Greedy.better(bd, i, bound[top[at - 1]], top[at - 1])) {
                            top[at] = top[at - 1];
                            at--;
                        }
                        top[at] = i;
                        firsts = Math.min(firsts + 1, FIRST);
                        if (firsts == FIRST) {
                            double lowest = bound[top[FIRST - 1]];
                            cut = Double.isNaN(lowest) ? Double.NEGATIVE_INFINITY : lowest;
                        }
                    }
                }
                int best = -1;
                double bestValue = Double.NaN;
                boolean done = false;
                for (int f = 0; f < firsts && !done; f++) {
                    int i = top[f];
                    if (best >= 0 && !Greedy.better(bound[i], i, bestValue, best)) {
                        done = true;
                    } else {
                        value[i] = Blas1.dotAffine(gc, i * c, bias, w, c, e, hcd, i * e);
                        stamp[i] = t;
                        exactAt[i] = t;
                        missB[i] = 0;
                        missW[i] = 0;
                        if (best < 0 || Greedy.better(value[i], i, bestValue, best)) {
                            best = i;
                            bestValue = value[i];
                        }
                    }
                }
                int size = 0;
                if (!done) {
                    for (int i = 0; i < n; i++) {
                        if (!used[i] && exactAt[i] != t && Greedy.better(bound[i], i, bestValue, best)) {
                            heap[size++] = i;
                        }
                    }
                }
                boolean refreshed = refreshFirst;
                if (!refreshFirst && size > n / REFRESH) {
                    // The bounds let too many through (once the gains are down at rounding noise, the
                    // change of W is noise too, far from rank one): new bounds for every candidate from
                    // the F32 pass, then the heap of those that still pass.
                    refreshValues(t, w, bias, wNorm, bNorm);
                    refreshedAfterTracking++;
                    refreshed = true;
                    size = 0;
                    for (int i = 0; i < n; i++) {
                        if (used[i] || exactAt[i] == t) {
                            continue;
                        }
                        bound[i] = value[i] + 1e-9 * gNorm[i] * (bNorm + wNorm * hNorm[i]);
                        if (Greedy.better(bound[i], i, bestValue, best)) {
                            heap[size++] = i;
                        }
                    }
                }
                streak = refreshed && t > 0 ? streak + 1 : 0;
                heapify(heap, size, bound);
                while (size > 0) {
                    int i = heap[0];
                    if (!Greedy.better(bound[i], i, bestValue, best)) {
                        break;
                    }
                    heap[0] = heap[--size];
                    siftDown(heap, size, 0, bound);
                    value[i] = Blas1.dotAffine(gc, i * c, bias, w, c, e, hcd, i * e);
                    stamp[i] = t;
                    exactAt[i] = t;
                    missB[i] = 0;
                    missW[i] = 0;
                    if (Greedy.better(value[i], i, bestValue, best)) {
                        best = i;
                        bestValue = value[i];
                    }
                }
                if (verify) {
                    // What evaluating every candidate would pick, with the same W and b.
                    for (int i = 0; i < n; i++) {
                        if (!used[i] && i != best
                                && Greedy.better(Blas1.dotAffine(gc, i * c, bias, w, c, e, hcd, i * e), i, bestValue, best)) {
                            wrongPicks++;
                            break;
                        }
                    }
                }
                used[best] = true;
                order[t] = best;
                gains[t] = eta * bestValue / m;
            }
            return new Greedy.Result(order, gains);
        }

        /**
         * {@code b = sum_v u_v}, {@code W = sum_v u_v h_v^T} (sums: the 1/m is applied to the gains),
         * panel by panel, in one pass over the validation set. First the last pick's step
         * ({@code pick >= 0}): {@code theta <- theta - eta grad l_e} moves every validation logit row by
         * {@code -eta s_v g_e} with {@code s_v = 1 + h_v . h_e} (summed in F32), which is applied to
         * the probabilities in place, {@code p_vj <- p_vj exp(-eta s_v g_ej)}; then their normalisation
         * (the softmax of the moved logits), {@code u = p - y}, and the panel's share of {@code b} and
         * {@code W}, while its embeddings are still in cache.
         */
        private void validationGradient(int pick, double eta, double[] w, double[] bias) {
            java.util.Arrays.fill(w, 0);
            java.util.Arrays.fill(bias, 0);
            for (int b = 0, mp = panels(m); b < mp; b++) {
                int len = panelLength(b, m);
                int o = b * c * PANEL;
                int oh = b * e * PANEL;
                double sMax = 0;
                if (pick >= 0) {
                    java.util.Arrays.fill(s, 1f);
                    Blas1.axpyRows(hvp, oh, PANEL, e, hc, pick * e, s, 0, len);
                    for (int v = 0; v < len; v++) {
                        double x = s[v];
                        sd[v] = x;
                        if (Math.abs(x) > sMax) {   // not Math.max: its NaN rules make a slow chain here
                            sMax = Math.abs(x);
                        }
                    }
                }
                // The row sums of the moved probabilities, gathered in the pass that moves them.
                java.util.Arrays.fill(norm, 0);
                for (int j = 0; j < c; j++) {
                    if (pick >= 0) {
                        Blas1.scaleByExpAndSum(pp, o + j * PANEL, -eta * gc[pick * c + j], sd, 0, len, sMax, norm, 0);
                    } else {
                        Blas1.add(pp, o + j * PANEL, norm, 0, len);
                    }
                }
                for (int v = 0; v < len; v++) {
                    norm[v] = 1 / norm[v];
                }
                for (int j = 0; j < c; j++) {
                    int oj = o + j * PANEL;
                    Blas1.scaleRoundMinus(pp, oj, norm, 0, yp, oj, up, oj, len);
                    bias[j] += Blas1.dot(up, oj, ONES, 0, len);
                }
                Blas1.dots5x4(up, o, c, hvp, oh, e, PANEL, len, w);
            }
        }

        /**
         * New values for every candidate not yet picked nor evaluated exactly at pick {@code t}: an
         * upper bound of its gain from an F32 evaluation ({@link Blas1#affineColumns}), within
         * {@code 1e-5 |g_i| (|b| + |W| |h_i|)} of it, for about the price of one pass over the
         * embeddings, carried as its value (what tracking adds to it later keeps it an upper bound).
         * {@code W} and {@code b} are scaled by a power of two (exactly) to a largest entry near 1
         * before F32: the gradient falls to 1e-40 and below late in a class, under F32's normal range.
         */
        private void refreshValues(int t, double[] w, double[] bias, double wNorm, double bNorm) {
            double big = 0;
            for (double v : w) {
                big = Math.max(big, Math.abs(v));
            }
            for (double v : bias) {
                big = Math.max(big, Math.abs(v));
            }
            double scale = big > 0 && Double.isFinite(big) ? Math.scalb(1.0, -Math.getExponent(big)) : 1;
            for (int q = 0; q < wf.length; q++) {
                wf[q] = (float) (w[q] * scale);
            }
            for (int j = 0; j < c; j++) {
                bf[j] = (float) (bias[j] * scale);
            }
            for (int b = 0, np = panels(n); b < np; b++) {
                Blas1.affineColumns(gcp, b * c * PANEL, c, hcp, b * e * PANEL, e, PANEL, wf, bf, fv, b * PANEL,
                        panelLength(b, n));
            }
            for (int i = 0; i < n; i++) {
                if (used[i] || exactAt[i] == t) {
                    continue;
                }
                value[i] = fv[i] / scale + 1e-5 * gNorm[i] * (bNorm + wNorm * hNorm[i]);
                stamp[i] = t;
                missB[i] = 0;
                missW[i] = 0;
            }
        }

        /**
         * Moves the unit vector {@code x} (C) towards the leading left singular vector of {@code dW}
         * (C x E) by a few power iterations on {@code dW dW^T}, starting from where it was: any unit
         * vector gives a valid decomposition, a good one a small remainder.
         */
        private void leadingDirection(double[] dW, double[] x, double[] gram, double[] next) {
            for (int i = 0; i < c; i++) {
                for (int j = i; j < c; j++) {
                    double v = 0;
                    for (int q = 0; q < e; q++) {
                        v += dW[i * e + q] * dW[j * e + q];
                    }
                    gram[i * c + j] = v;
                    gram[j * c + i] = v;
                }
            }
            for (int it = 0; it < 8; it++) {
                double norm = 0;
                for (int i = 0; i < c; i++) {
                    double v = 0;
                    for (int j = 0; j < c; j++) {
                        v += gram[i * c + j] * x[j];
                    }
                    next[i] = v;
                    norm += v * v;
                }
                if (!(norm > 0)) {
                    return;
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < c; i++) {
                    x[i] = next[i] / norm;
                }
            }
        }

        private static double dotSelf(double[] a) {
            double s = 0;
            for (double v : a) {
                s += v * v;
            }
            return s;
        }

        /** A max-heap of candidates by bound, ties to the lower index on top. */
        private static void heapify(int[] heap, int size, double[] key) {
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(heap, size, i, key);
            }
        }

        private static void siftDown(int[] heap, int size, int i, double[] key) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    return;
                }
                int r = l + 1;
                int child = r < size && Greedy.better(key[heap[r]], heap[r], key[heap[l]], heap[l]) ? r : l;
                if (!Greedy.better(key[heap[child]], heap[child], key[heap[i]], heap[i])) {
                    return;
                }
                int tmp = heap[i];
                heap[i] = heap[child];
                heap[child] = tmp;
                i = child;
            }
        }
    }
}
