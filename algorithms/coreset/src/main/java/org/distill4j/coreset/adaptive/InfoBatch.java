package org.distill4j.coreset.adaptive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.distill4j.autodiff.Var;
import org.distill4j.data.WeightedSubset;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.EpochPlan;

/**
 * InfoBatch (Qin, Wang, Zheng, Gu, Peng, Xu, Zhou, Shang, Sun, Xie, Zhou and You, ICLR 2024,
 * "InfoBatch: Lossless Training Speed Up by Unbiased Dynamic Data Pruning"), as its reference code
 * ({@code NUS-HPC-AI-Lab/InfoBatch}, {@code infobatch/infobatch.py}) runs it, plugged into the
 * trainer as an {@link EpochPlan}:
 *
 * <ul>
 *   <li>every example's score is its loss when it was last trained on (3 before its first time);</li>
 *   <li>at the start of an epoch, the "well learned" examples are those whose score is below the
 *       mean score; of them a random {@code int((1 - r) * count)} are kept, each with weight
 *       {@code 1 / (1 - r)}, and the rest are pruned for this epoch. Every other example is
 *       trained on with weight 1;</li>
 *   <li>a batch's loss is {@code mean(w * l)} over its examples (not divided by the weights' sum):
 *       the kept low-loss examples' gradients are scaled up by {@code 1 / (1 - r)}, so the epoch's
 *       expected total gradient is the full data's (the paper's unbiased rescaling);</li>
 *   <li>annealing: epochs after {@code delta * epochs} (0-based epoch {@code e > delta * epochs},
 *       the reference's {@code iterations > stop_prune}) train on all the data with weight 1.</li>
 * </ul>
 *
 * The first epoch prunes nothing (every score is 3, none below the mean). As in the reference,
 * the kept fraction {@code 1 - r} is at least 0.1; here a larger ratio is refused rather than
 * clamped. The random draw of each epoch comes from {@code seed} and the epoch number (the
 * reference seeds numpy with the epoch number). Not thread-safe; one per training run.
 */
public final class InfoBatch implements EpochPlan {
    /** The reference's defaults. */
    public static final double DEFAULT_PRUNE_RATIO = 0.5;
    public static final double DEFAULT_DELTA = 0.875;
    /** The score of an example not trained on yet (the reference's {@code torch.ones(n) * 3}). */
    static final float INITIAL_SCORE = 3;

    private final int examples;
    private final int epochs;
    private final double pruneRatio;
    private final double delta;
    private final double keepRatio;
    private final long seed;
    private final float[] scores;
    /** The current epoch's subset: example per position, and weight per position. */
    private int[] positions;
    private double[] weights;
    private final List<Integer> trainedPerEpoch = new ArrayList<>();

    /**
     * @param examples   the size of the training set
     * @param epochs     the run's epochs
     * @param pruneRatio the fraction {@code r} of the well-learned examples pruned each epoch, in [0, 0.9]
     * @param delta      the fraction of the epochs that prune, in (0, 1]
     */
    public InfoBatch(int examples, int epochs, double pruneRatio, double delta, long seed) {
        if (examples < 1 || epochs < 1) {
            throw new IllegalArgumentException("infobatch needs examples >= 1 and epochs >= 1, got " + examples + " and "
                    + epochs);
        }
        if (!(pruneRatio >= 0 && pruneRatio <= 0.9)) {
            throw new IllegalArgumentException("infobatch prune ratio must be in [0, 0.9] (it keeps at least a tenth of the "
                    + "well-learned examples), got " + pruneRatio);
        }
        if (!(delta > 0 && delta <= 1)) {
            throw new IllegalArgumentException("infobatch delta (the fraction of epochs that prune) must be in (0, 1], got "
                    + delta);
        }
        this.examples = examples;
        this.epochs = epochs;
        this.pruneRatio = pruneRatio;
        this.delta = delta;
        this.keepRatio = Math.min(1.0, Math.max(0.1, 1.0 - pruneRatio));
        this.seed = seed;
        this.scores = new float[examples];
        Arrays.fill(scores, INITIAL_SCORE);
    }

    public double pruneRatio() {
        return pruneRatio;
    }

    public double delta() {
        return delta;
    }

    /** Whether 0-based epoch {@code epoch} prunes: {@code epoch <= delta * epochs}. */
    public boolean prunes(int epoch) {
        return epoch <= delta * epochs;
    }

    @Override
    public WeightedSubset subset(int epoch, Params params) {
        if (!prunes(epoch)) {
            positions = null;
            weights = null;
            trainedPerEpoch.add(examples);
            return null;
        }
        Pruned p = prune(scores, keepRatio, new Generator(seed).fork(epoch));
        positions = p.indices();
        weights = p.weights();
        trainedPerEpoch.add(positions.length);
        return new WeightedSubset(positions, weights);
    }

    /** The examples an epoch trains on (ascending) and their weights. */
    record Pruned(int[] indices, double[] weights) {
    }

    /**
     * One epoch's pruning from the scores: the examples below the mean score are the well-learned
     * ones; {@code int(keepRatio * count)} of them, drawn at random, stay with weight
     * {@code 1 / keepRatio}; every other example stays with weight 1.
     */
    static Pruned prune(float[] scores, double keepRatio, Generator gen) {
        double mean = 0;
        for (float s : scores) {
            mean += s;
        }
        mean /= scores.length;
        int low = 0;
        for (float s : scores) {
            low += s < mean ? 1 : 0;
        }
        int[] wellLearned = new int[low];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (scores[i] < mean) {
                wellLearned[j++] = i;
            }
        }
        int keep = (int) (keepRatio * low);
        boolean[] kept = new boolean[scores.length];
        int[] order = gen.permutation(low);
        for (int i = 0; i < keep; i++) {
            kept[wellLearned[order[i]]] = true;
        }
        int size = scores.length - low + keep;
        int[] indices = new int[size];
        double[] w = new double[size];
        for (int i = 0, j = 0; i < scores.length; i++) {
            boolean isLow = scores[i] < mean;
            if (!isLow || kept[i]) {
                indices[j] = i;
                w[j++] = isLow ? 1 / keepRatio : 1;
            }
        }
        return new Pruned(indices, w);
    }

    /**
     * {@code mean(w * l)} over the batch, and each example's loss becomes its score. During the
     * annealing epochs every weight is 1.
     */
    @Override
    public Var loss(int epoch, Var perExample, int[] batch) {
        float[] l = perExample.value().toFloatArray();
        float[] w = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
            int example = positions == null ? batch[i] : positions[batch[i]];
            scores[example] = l[i];
            w[i] = positions == null ? 1f : (float) weights[batch[i]];
        }
        Tensor wt = Tensor.fromFloats(w, w.length).to(perExample.dtype());
        return perExample.mul(Var.constant(wt)).mean();
    }

    /** Each example's score now: its last loss, or 3 if it has not been trained on yet. */
    public float[] scores() {
        return scores.clone();
    }

    /** How many examples each epoch so far trained on (the whole set in annealing epochs). */
    public List<Integer> trainedPerEpoch() {
        return List.copyOf(trainedPerEpoch);
    }

    /** The fraction of example presentations saved so far against training on everything every epoch. */
    public double savedFraction() {
        long total = (long) examples * trainedPerEpoch.size();
        long trained = trainedPerEpoch.stream().mapToLong(Integer::longValue).sum();
        return total == 0 ? 0 : 1 - (double) trained / total;
    }

    /** As a run reports it, under the name the method was asked for by: prune ratio, delta, examples per epoch, saved fraction. */
    public java.util.Map<String, Object> toMap(String method) {
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("method", method);
        d.put("prune_ratio", pruneRatio());
        d.put("delta", delta());
        d.put("trained_per_epoch", trainedPerEpoch());
        d.put("saved_fraction", savedFraction());
        return d;
    }

    /** "infobatch: pruned 31.2% of example presentations (ratio 0.5, delta 0.875)". */
    public String summary() {
        return String.format(Locale.ROOT, "infobatch: %.1f%% of example presentations pruned (prune ratio %s, delta %s)",
                100 * savedFraction(), pruneRatio, delta);
    }
}
