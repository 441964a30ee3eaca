package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.MatMul;
import org.distill4j.tensor.Pointwise;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Softmax;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.CorrectnessLog;
import org.distill4j.train.Evaluator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/**
 * What coreset methods need, computed once, lazily, and shared: the data, the selection model
 * (DeepCore's "pre-training" on the full set) and what it says about each example: penultimate
 * embeddings, softmax outputs, last-layer gradients, and the per-epoch correctness recorded while
 * it trained. Thread-safe: the caches are filled under the context's lock.
 */
public final class SelectionContext {
    private final Dataset data;
    private final Model model;
    private final Params params;
    private final CorrectnessLog correctness;
    private final long seed;
    private final boolean balance;
    /** How this context's model was trained (null when given from outside): lets {@link #ensemble} train more like it. */
    private final TrainConfig recipe;
    private final TrainListener listener;
    private final double trainingSeconds;
    private Tensor embeddings;
    private Tensor probabilities;
    private List<SelectionContext> ensemble;
    /** Per-example scores a method computed on this context, by method: kept for its next budget. */
    private final java.util.Map<String, double[]> scores = new java.util.HashMap<>();

    public SelectionContext(Dataset data, Model model, Params params, CorrectnessLog correctness, long seed, boolean balance) {
        this(data, Objects.requireNonNull(model, "model"), Objects.requireNonNull(params, "params"), correctness, seed,
                balance, null, null, 0, null, null);
    }

    private SelectionContext(Dataset data, Model model, Params params, CorrectnessLog correctness, long seed,
                             boolean balance, TrainConfig recipe, TrainListener listener, double trainingSeconds,
                             Tensor embeddings, Tensor probabilities) {
        this.data = Objects.requireNonNull(data, "data");
        this.model = model;
        this.params = params;
        this.correctness = correctness;
        this.seed = seed;
        this.balance = balance;
        this.recipe = recipe;
        this.listener = listener == null ? TrainListener.NONE : listener;
        this.trainingSeconds = trainingSeconds;
        this.embeddings = embeddings;
        this.probabilities = probabilities;
    }

    /**
     * Trains the selection model on all of {@code data} for {@code selectionEpochs} epochs (0 gives
     * the untrained initialisation) with {@code cfg}, recording per-epoch correctness; the
     * context's seed is {@code cfg.seed()}.
     */
    public static SelectionContext train(Dataset data, Model model, int selectionEpochs, TrainConfig cfg, boolean balance,
                                         TrainListener l) {
        if (selectionEpochs < 0) {
            throw new IllegalArgumentException("selection epochs must be >= 0, got " + selectionEpochs);
        }
        TrainConfig recipe = cfg.withEpochs(selectionEpochs).recordingCorrectness();
        long start = System.nanoTime();
        TrainResult r = Trainer.train(model, data, null, null, recipe, l == null ? TrainListener.NONE : l);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new SelectionContext(data, model, r.params(), r.correctness(), cfg.seed(), balance, recipe, l, seconds,
                null, null);
    }

    /**
     * A context over features computed elsewhere (tests, or a model outside distill4j): no model, so
     * {@link #model()} and {@link #params()} are null and only methods that read embeddings,
     * probabilities, last-layer gradients or correctness can run on it.
     *
     * @param embeddings    {@code [N, E]}, converted to F32
     * @param probabilities {@code [N, C]} rows summing to 1, converted to F32
     */
    public static SelectionContext precomputed(Dataset data, Tensor embeddings, Tensor probabilities,
                                               CorrectnessLog correctness, long seed, boolean balance) {
        int n = data.size();
        if (embeddings.rank() != 2 || embeddings.dim(0) != n) {
            throw new IllegalArgumentException("embeddings must be [" + n + ", E], got " + Shape.str(embeddings.shape()));
        }
        if (probabilities.rank() != 2 || probabilities.dim(0) != n || probabilities.dim(1) != data.classes()) {
            throw new IllegalArgumentException("probabilities must be [" + n + ", " + data.classes() + "], got "
                    + Shape.str(probabilities.shape()));
        }
        return new SelectionContext(data, null, null, correctness, seed, balance, null, null, 0,
                embeddings.to(DType.F32).contiguous(), probabilities.to(DType.F32).contiguous());
    }

    /**
     * A context over a feature matrix a program already has (embeddings from its own model,
     * descriptors, raw pixels) and its labels, with no model and no training. The features are the
     * context's {@link #embeddings()}, so the methods that measure distances or similarities between
     * embeddings run on it: kcenter, herding, importance sampling, and the submodular functions on
     * {@code SubmodularSelection.Features.EMBEDDINGS}; a method that needs the model's softmax
     * outputs, gradients or training history is refused with an {@link IllegalStateException}
     * (forgetting: an {@link IllegalArgumentException}). {@link #data()} holds the features as
     * {@code [N, E, 1, 1]} images named "features", which is what a selection CSV's labels and
     * fingerprint are taken from.
     *
     * @param features {@code [N, E]}, converted to F32
     * @param labels   one label in {@code [0, classes)} per row
     */
    public static SelectionContext ofFeatures(Tensor features, int[] labels, int classes, long seed, boolean balance) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be [N, E], got " + Shape.str(features.shape()));
        }
        Tensor f = features.to(DType.F32).contiguous();
        Dataset data = new Dataset("features", f.reshape(f.dim(0), f.dim(1), 1, 1), labels, classes);
        return new SelectionContext(data, null, null, null, seed, balance, null, null, 0, f, null);
    }

    public Dataset data() {
        return data;
    }

    public Model model() {
        return model;
    }

    public Params params() {
        return params;
    }

    /** Per-epoch correctness of the selection model's training, or null if none was recorded. */
    public CorrectnessLog correctness() {
        return correctness;
    }

    public long seed() {
        return seed;
    }

    public boolean balance() {
        return balance;
    }

    public int classes() {
        return data.classes();
    }

    /** Seconds spent training the selection model (0 when it was given). */
    public double trainingSeconds() {
        return trainingSeconds;
    }

    /** An independent random stream per purpose (usually the method's name), fixed by the seed. */
    public Generator generator(String purpose) {
        return new Generator(seed).fork(purpose.hashCode());
    }

    /** Positions of the examples of class {@code c}, ascending. */
    public int[] classIndices(int c) {
        if (c < 0 || c >= data.classes()) {
            throw new IllegalArgumentException("class " + c + " is outside [0, " + data.classes() + ")");
        }
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            n += data.label(i) == c ? 1 : 0;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < data.size(); i++) {
            if (data.label(i) == c) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** {@link Budget#perClass} over this data set's class counts. */
    public int[] classBudgets(int budget) {
        return Budget.perClass(data.classCounts(), budget);
    }

    /**
     * The per-example scores {@code method} computes on this context, computed on the first call
     * and kept: a method that scores every example regardless of the budget (DeepFool's 50
     * iterations over 60,000 images took a minute) then scores once for all its budgets. A copy
     * is returned each time. The lock is held while computing, as for the other caches.
     */
    public synchronized double[] scores(String method, java.util.function.Supplier<double[]> compute) {
        return scores.computeIfAbsent(method, k -> compute.get()).clone();
    }

    /**
     * A context over the same data, selection model, correctness log and seed, holding this one's
     * embeddings and softmax outputs (computed first if need be) but nothing a method kept on it: no
     * {@link #scores}, no {@link #ensemble}. A method run on the copy does all of its own work, as it
     * would alone; timing methods one after another on one context would charge the shared work to
     * whichever came first.
     */
    public synchronized SelectionContext withFeaturesOnly() {
        return new SelectionContext(data, model, params, correctness, seed, balance, recipe, listener, trainingSeconds,
                embeddings(), probabilities());
    }

    /** F32 {@code [N, E]}: the selection model's penultimate features in evaluation mode. */
    public synchronized Tensor embeddings() {
        if (embeddings == null) {
            requireModel("embeddings");
            embeddings = Evaluator.embeddings(model, params, data).to(DType.F32).contiguous();
        }
        return embeddings;
    }

    /**
     * F32 {@code [N, C]}: the selection model's softmax outputs in evaluation mode. The logits are
     * the last linear layer applied to the cached embeddings, {@code h W^T + b}, so the network is
     * run over the data once for both.
     */
    public synchronized Tensor probabilities() {
        if (probabilities == null) {
            requireModel("probabilities");
            Tensor w = params.get(model.lastWeightName()).value().to(DType.F32);
            Tensor logits = MatMul.matmul(embeddings(), w.mT());
            if (model.lastBiasName() != null) {
                logits = Pointwise.add(logits, params.get(model.lastBiasName()).value().to(DType.F32));
            }
            probabilities = Softmax.softmax(logits, 1).contiguous();
        }
        return probabilities;
    }

    /**
     * F32 {@code [k, C * (E + 1)]}: for each example, the gradient of its cross-entropy loss with
     * respect to the last linear layer, bias first then weight: {@code [g, g (x) h]} with
     * {@code g = softmax - onehot(label)} (the gradient at the logits) and {@code h} the embedding.
     * The weight part is the outer product in the weight's own {@code [C, E]} row-major layout.
     * Closed form from the cached embeddings and probabilities: no backward pass.
     */
    public Tensor lastLayerGradients(int[] indices) {
        Tensor idx = Tensor.fromInts(indices, indices.length);
        Tensor h = Indexing.indexSelect(embeddings(), 0, idx);
        Tensor g = logitGradients(indices);
        int k = indices.length;
        int c = g.dim(1);
        int e = h.dim(1);
        Tensor outer = Pointwise.mul(g.reshape(k, c, 1), h.reshape(k, 1, e)).reshape(k, c * e);
        return Indexing.concat(1, g, outer);
    }

    /** F32 {@code [k, C]}: {@code softmax - onehot(label)} for the examples at {@code indices}. */
    public Tensor logitGradients(int[] indices) {
        Tensor p = Indexing.indexSelect(probabilities(), 0, Tensor.fromInts(indices, indices.length));
        int[] labels = new int[indices.length];
        float[] ones = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = data.label(indices[i]);
            ones[i] = 1f;
        }
        Tensor onehot = Indexing.scatterRows(Tensor.fromFloats(ones, ones.length), Tensor.fromInts(labels, labels.length),
                data.classes());
        return Pointwise.sub(p, onehot);
    }

    /**
     * Up to {@code count} selection models that differ only in their seed, as contexts over the same
     * data: this one first, then models trained with this one's recipe and seeds {@code seed + 1},
     * {@code seed + 2}, ... (without correctness logs). A context that was not trained here (built
     * by the constructor or {@link #precomputed}) has no recipe and its ensemble is itself alone.
     */
    public synchronized List<SelectionContext> ensemble(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("ensemble size must be >= 1, got " + count);
        }
        if (ensemble == null) {
            ensemble = new ArrayList<>(List.of(this));
        }
        while (recipe != null && ensemble.size() < count) {
            long s = seed + ensemble.size();
            TrainConfig cfg = new TrainConfig(recipe.optimizer(), recipe.learningRate(), recipe.momentum(),
                    recipe.weightDecay(), recipe.nesterov(), recipe.epochs(), recipe.batchSize(), recipe.schedule(), s, false);
            long start = System.nanoTime();
            TrainResult r = Trainer.train(model, data, null, null, cfg, listener);
            double seconds = (System.nanoTime() - start) / 1e9;
            ensemble.add(new SelectionContext(data, model, r.params(), null, s, balance, null, listener, seconds, null, null));
        }
        return List.copyOf(ensemble.subList(0, Math.min(count, ensemble.size())));
    }

    private void requireModel(String what) {
        if (model == null) {
            throw new IllegalStateException("this selection context has no model to compute " + what + " with"
                    + " (a context built from features alone serves methods that read embeddings: kcenter, herding,"
                    + " importance, submodular functions on embeddings)");
        }
    }
}
