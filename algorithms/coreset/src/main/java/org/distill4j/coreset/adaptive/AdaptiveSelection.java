package org.distill4j.coreset.adaptive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.distill4j.autodiff.Var;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.Craig;
import org.distill4j.coreset.GradMatch;
import org.distill4j.coreset.OrthogonalMatchingPursuit;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.submodular.FacilityLocation;
import org.distill4j.coreset.submodular.Greedy;
import org.distill4j.coreset.submodular.LazyGreedy;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.data.Dataset;
import org.distill4j.data.WeightedSubset;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.EpochPlan;

/**
 * Adaptive subset selection inside the training loop, as CORDS runs it: an {@link EpochPlan} that
 * follows an {@link AdaptiveSchedule} and, at each re-selection, chooses a new weighted subset of
 * the training split from the model as it is then. The batch loss is the trainer's weighted mean
 * {@code sum(w l) / sum(w)} (CORDS's {@code torch.dot(losses, weights / weights.sum())}).
 *
 * <p>What each method computes at a re-selection, from the current model's last layer:
 * <ul>
 *   <li>{@code craig}, {@code gradmatch}: this project's {@link Craig} and {@link GradMatch}
 *       (class-balanced, on {@link SelectionContext#lastLayerGradients}) on a context holding the
 *       current parameters: CORDS's {@code PerClass} selection;</li>
 *   <li>{@code craig-pb}: facility location over the training split's mini-batches (consecutive,
 *       of the training batch size; {@link BatchGradients}), on each batch's mean logit gradient
 *       (CORDS's {@code CRAIGPB}, {@code linear_layer=False}), {@code ceil(budget / B)} batches
 *       by lazy greedy; every example of a batch weighs the number of batches it stands for;</li>
 *   <li>{@code gradmatch-pb}: non-negative matching pursuit ({@link OrthogonalMatchingPursuit},
 *       as {@link GradMatch} runs it) of the sum of all batches' mean last-layer gradients by
 *       {@code ceil(budget / B)} batch means (CORDS's {@code GradMatchPB}, {@code linear_layer=True},
 *       {@code lam=0}, {@code valid=False}); each example weighs its batch's coefficient. When the
 *       pursuit stops early (no batch outside correlates positively with the residual), the rest
 *       of the budget is random batches of weight 1 (CORDS pads with random examples instead;
 *       here the subset stays whole batches);</li>
 *   <li>{@code glister}: {@link GlisterOnline}, with the validation split;</li>
 *   <li>{@code random-online}, {@code adaptive-random}: a uniform draw of the budget from the
 *       whole training split (not per class), weight 1: every epoch, or at each re-selection.</li>
 * </ul>
 * Without a warm start the first subset is a uniform draw (CORDS's initial subset).
 */
public final class AdaptiveSelection implements EpochPlan {
    /**
     * One (re-)selection: its epoch (0-based), what made it, its size, its wall seconds, the CPU
     * seconds of the whole process meanwhile (all threads; NaN where the JVM cannot say), and the
     * batches or examples padded at random.
     */
    public record Reselection(int epoch, String how, int examples, double seconds, double cpuSeconds, int padded) {
    }

    /** The process's CPU time in nanoseconds, or -1 where the JVM does not report it. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private final AdaptiveMethod method;
    private final Model model;
    private final Dataset train;
    private final Dataset validation;
    private final AdaptiveSchedule schedule;
    private final int budget;
    private final int batchSize;
    private final double eta;
    private final long seed;
    private WeightedSubset current;
    private double[] weights;
    private final List<Reselection> reselections = new ArrayList<>();

    /**
     * @param train      the training split (the subsets index it)
     * @param validation the validation split (used by glister; may be null for the others)
     * @param batchSize  the training batch size, which is also the per-batch variants' batch
     * @param eta        glister's step size (CORDS: the learning rate)
     * @throws IllegalArgumentException if the fraction's budget leaves a class of the training split without an example
     */
    public AdaptiveSelection(AdaptiveMethod method, Model model, Dataset train, Dataset validation, AdaptiveSchedule schedule,
                             int batchSize, double eta, long seed) {
        this.method = Objects.requireNonNull(method, "method");
        this.model = Objects.requireNonNull(model, "model");
        this.train = Objects.requireNonNull(train, "train");
        this.validation = validation;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (method.usesValidation() && validation == null) {
            throw new IllegalArgumentException(method.cliName() + " needs a validation split");
        }
        this.batchSize = batchSize;
        this.eta = eta;
        this.seed = seed;
        this.budget = Budget.fromFraction(schedule.fraction(), train.size());
        if (method != AdaptiveMethod.FULL) {
            checkEveryClass(train, budget, schedule.fraction());
        }
    }

    /** Refuses a budget whose class-proportional shares ({@link Budget#perClass}) leave a class of {@code train} empty. */
    static void checkEveryClass(Dataset train, int budget, double fraction) {
        int[] counts = train.classCounts();
        int[] shares = Budget.perClass(counts, budget);
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0 && shares[c] == 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "fraction %s of the %,d-example training split"
                                + " (%,d examples) leaves class %d (%,d examples) without a share; an adaptive subset needs every"
                                + " class: raise the fraction", fraction, train.size(), budget, c, counts[c]));
            }
        }
    }

    /** Examples per subset epoch asked for: {@code round(fraction * n)} (per-batch methods take whole batches, so a few more). */
    public int budget() {
        return budget;
    }

    public AdaptiveSchedule schedule() {
        return schedule;
    }

    /** Every (re-)selection so far, in order. */
    public List<Reselection> reselections() {
        return List.copyOf(reselections);
    }

    /** The seconds of every (re-)selection so far. */
    public double selectionSeconds() {
        return reselections.stream().mapToDouble(Reselection::seconds).sum();
    }

    @Override
    public boolean trains(int epoch) {
        return method == AdaptiveMethod.FULL || schedule.phase(epoch) != AdaptiveSchedule.Phase.SKIP;
    }

    @Override
    public WeightedSubset subset(int epoch, Params params) {
        if (method == AdaptiveMethod.FULL || schedule.phase(epoch) == AdaptiveSchedule.Phase.FULL) {
            current = null;
            weights = null;
            return null;
        }
        if (current == null || schedule.reselects(epoch) || method == AdaptiveMethod.RANDOM_ONLINE) {
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            Chosen chosen = choose(epoch, params);
            current = chosen.subset();
            weights = current.unweighted() ? null : current.weights();
            long cpuEnd = processCpuNanos();
            double cpu = cpuStart >= 0 && cpuEnd >= 0 ? (cpuEnd - cpuStart) / 1e9 : Double.NaN;
            reselections.add(new Reselection(epoch, chosen.how(), current.size(), (System.nanoTime() - start) / 1e9, cpu,
                    chosen.padded()));
        }
        return current;
    }

    @Override
    public Var loss(int epoch, Var perExample, int[] positions) {
        return EpochPlan.weightedMean(perExample, weights, positions);
    }

    private record Chosen(WeightedSubset subset, String how, int padded) {
    }

    private Chosen choose(int epoch, Params params) {
        Generator gen = new Generator(seed).fork(1_000_003L + epoch);
        if (schedule.initialRandom(epoch) || method == AdaptiveMethod.RANDOM_ONLINE || method == AdaptiveMethod.ADAPTIVE_RANDOM) {
            return new Chosen(uniform(train.size(), budget, gen), "uniform", 0);
        }
        SelectionContext ctx = new SelectionContext(train, model, params, null, seed + epoch, true);
        return switch (method) {
            case CRAIG -> new Chosen(new Craig().select(ctx, budget).toSubset(), method.cliName(), 0);
            case GRADMATCH -> {
                Selection s = new GradMatch().select(ctx, budget);
                Object padded = s.settings().get("padded");
                yield new Chosen(s.toSubset(), method.cliName(), padded instanceof Number p ? p.intValue() : 0);
            }
            case GLISTER -> glister(ctx, params, gen);
            case CRAIG_PB -> craigPerBatch(ctx);
            case GRADMATCH_PB -> gradMatchPerBatch(ctx, gen);
            default -> throw new IllegalStateException("no selection for " + method);
        };
    }

    /** {@code k} of {@code n} drawn uniformly without replacement, ascending, weight 1. */
    static WeightedSubset uniform(int n, int k, Generator gen) {
        int[] perm = gen.permutation(n);
        int[] picked = Arrays.copyOf(perm, k);
        Arrays.sort(picked);
        return WeightedSubset.uniform(picked);
    }

    private Chosen glister(SelectionContext ctx, Params params, Generator gen) {
        int n = train.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        float[] g = ctx.logitGradients(all).toFloatArray();
        SelectionContext val = new SelectionContext(validation, model, params, null, seed, false);
        float[] valProbs = val.probabilities().toFloatArray();
        int[] picked = GlisterOnline.select(g, valProbs, validation.labels(), train.classes(), budget, eta, gen);
        Arrays.sort(picked);
        return new Chosen(WeightedSubset.uniform(picked), method.cliName(), 0);
    }

    private int batchBudget(int batches) {
        return Math.min(batches, (budget + batchSize - 1) / batchSize);
    }

    private Chosen craigPerBatch(SelectionContext ctx) {
        int n = train.size();
        Tensor features = BatchGradients.of(ctx, batchSize, false);
        int batches = features.dim(0);
        FacilityLocation f = new FacilityLocation(Similarity.of(features, Similarity.Kernel.DISTANCE));
        Greedy.Result r = new LazyGreedy().maximize(f, batchBudget(batches));
        double[] stands = new double[batches];
        for (int near : f.nearest()) {
            if (near >= 0) {
                stands[near]++;
            }
        }
        int[] chosen = r.order();
        double[] w = new double[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            w[i] = stands[chosen[i]];
        }
        return new Chosen(wholeBatches(chosen, w, n), method.cliName(), 0);
    }

    private Chosen gradMatchPerBatch(SelectionContext ctx, Generator gen) {
        int n = train.size();
        Tensor atoms = BatchGradients.of(ctx, batchSize, true);
        int batches = atoms.dim(0);
        int k = batchBudget(batches);
        double[] target = Reduce.sum(atoms, new int[]{0}, false).toDoubleArray();
        // Non-negative OMP: every pick has a positive weight; when fewer than k batches can lower the
        // residual, the rest of the budget is filled with random batches of weight 1, as CORDS does.
        OrthogonalMatchingPursuit.Result omp = OrthogonalMatchingPursuit.run(atoms, target, k, 0);
        int[] chosen = new int[k];
        double[] w = new double[k];
        boolean[] taken = new boolean[batches];
        int filled = 0;
        for (int i = 0; i < omp.picked().length; i++) {
            chosen[filled] = omp.picked()[i];
            w[filled++] = omp.weights()[i];
            taken[omp.picked()[i]] = true;
        }
        int padded = 0;
        int[] order = gen.permutation(batches);
        for (int j = 0; filled < k; j++) {
            if (!taken[order[j]]) {
                taken[order[j]] = true;
                chosen[filled] = order[j];
                w[filled++] = 1;
                padded++;
            }
        }
        return new Chosen(wholeBatches(chosen, w, n), method.cliName(), padded);
    }

    /** Every example of each chosen batch, with its batch's weight, ascending. */
    private WeightedSubset wholeBatches(int[] chosen, double[] batchWeights, int n) {
        int[] order = new int[chosen.length];
        Integer[] byBatch = new Integer[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            byBatch[i] = i;
        }
        Arrays.sort(byBatch, (a, b) -> Integer.compare(chosen[a], chosen[b]));
        int size = 0;
        for (int i = 0; i < chosen.length; i++) {
            order[i] = byBatch[i];
            size += BatchGradients.members(chosen[order[i]], n, batchSize).length;
        }
        int[] idx = new int[size];
        double[] w = new double[size];
        int at = 0;
        for (int i : order) {
            for (int e : BatchGradients.members(chosen[i], n, batchSize)) {
                idx[at] = e;
                w[at++] = batchWeights[i];
            }
        }
        return new WeightedSubset(idx, w);
    }
}
