package org.distill4j.coreset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
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
    /** Models like the selection model, by (member, epochs): see {@link #ensemble(int, int)}. */
    private final java.util.Map<String, SelectionContext> members = new java.util.HashMap<>();
    private TrainingDynamics dynamics;
    /** Progress of the ensemble members' training, by (member, epochs); null: the selection model's listener. */
    private java.util.function.BiFunction<Integer, Integer, TrainListener> memberListeners;
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
        return train(data, model, selectionEpochs, cfg, balance, l, false);
    }

    /**
     * As {@link #train(Dataset, Model, int, TrainConfig, boolean, TrainListener)}, and with
     * {@code recordDynamics} also the {@link TrainingDynamics}: each example's loss, margin and
     * last-layer gradient norm at the initialisation and after every epoch (one forward pass over
     * the data per epoch, in evaluation mode, between epochs; the trained parameters are the same
     * bit for bit).
     */
    public static SelectionContext train(Dataset data, Model model, int selectionEpochs, TrainConfig cfg, boolean balance,
                                         TrainListener l, boolean recordDynamics) {
        if (selectionEpochs < 0) {
            throw new IllegalArgumentException("selection epochs must be >= 0, got " + selectionEpochs);
        }
        TrainConfig recipe = cfg.withEpochs(selectionEpochs).recordingCorrectness();
        TrainListener listener = l == null ? TrainListener.NONE : l;
        long start = System.nanoTime();
        Run run = run(data, model, recipe, listener, recordDynamics);
        double seconds = (System.nanoTime() - start) / 1e9;
        SelectionContext ctx = new SelectionContext(data, model, run.result().params(), run.result().correctness(), cfg.seed(),
                balance, recipe, l, seconds, null, null);
        ctx.dynamics = run.dynamics();
        return ctx;
    }

    private record Run(TrainResult result, TrainingDynamics dynamics) {
    }

    /**
     * Trains with {@code recipe} as {@link Trainer#train(Model, Dataset, org.distill4j.data.WeightedSubset, Dataset,
     * TrainConfig, TrainListener)} does (the same initialisation from the seed), measuring the
     * dynamics on the parameters, which the trainer updates in place, after each epoch.
     */
    private static Run run(Dataset data, Model model, TrainConfig recipe, TrainListener listener, boolean recordDynamics) {
        if (!recordDynamics) {
            return new Run(Trainer.train(model, data, null, null, recipe, listener), null);
        }
        // Trainer.train(model, ...) draws the initialisation exactly so; SelectionContextTest checks the two agree.
        Params params = model.init(new Generator(recipe.seed()).fork(0), DType.F32);
        TrainingDynamics d = new TrainingDynamics(recipe.epochs());
        d.record(0, model, params, data);
        TrainListener measuring = new TrainListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
                listener.onBatch(epoch, batch, batches, loss, accuracy, imagesPerSecond);
            }

            @Override
            public void onTestStart(int epoch) {
                listener.onTestStart(epoch);
            }

            @Override
            public void onEpoch(org.distill4j.train.EpochStats stats) {
                d.record(stats.epoch(), model, params, data);
                listener.onEpoch(stats);
            }
        };
        return new Run(Trainer.train(model, params, data, null, null, recipe, measuring), d);
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
     * embeddings run on it: kcenter, herding, importance sampling with its k-means bound, and the
     * submodular functions on {@code SubmodularSelection.Features.EMBEDDINGS}; a method that needs the model's softmax
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
     * {@link #scores}, no {@link #ensemble} (it keeps the {@link #dynamics}, recorded with the
     * selection model). A method run on the copy does all of its own work, as it would alone;
     * timing methods one after another on one context would charge the shared work to whichever
     * came first.
     */
    public synchronized SelectionContext withFeaturesOnly() {
        SelectionContext c = new SelectionContext(data, model, params, correctness, seed, balance, recipe, listener,
                trainingSeconds, embeddings(), probabilities());
        c.dynamics = dynamics;
        c.memberListeners = memberListeners;
        return c;
    }

    /**
     * This context under another seed: the same data, selection model, features and dynamics, so
     * that a random method draws again without training again. Nothing a method kept is carried over.
     */
    synchronized SelectionContext withSeed(long other) {
        SelectionContext c = new SelectionContext(data, model, params, correctness, other, balance, recipe, listener,
                trainingSeconds, embeddings, probabilities);
        c.dynamics = dynamics;
        c.memberListeners = memberListeners;
        return c;
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
            Tensor logits = Gemm.matmul(embeddings(), w.mT());
            if (model.lastBiasName() != null) {
                logits = Elementwise.add(logits, params.get(model.lastBiasName()).value().to(DType.F32));
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
        Tensor outer = Elementwise.mul(g.reshape(k, c, 1), h.reshape(k, 1, e)).reshape(k, c * e);
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
        return Elementwise.sub(p, onehot);
    }

    /**
     * {@code count} models like the selection model that differ only in their seed (initialisation
     * and shuffling), each trained with this context's recipe for {@code epochs} epochs (0: the
     * initialisation itself, untrained), as contexts over the same data (without correctness logs).
     * Member 0 has this context's seed, and at this context's own epochs it is this context;
     * member {@code k >= 1} has the seed {@link #memberSeed memberSeed(k)}, derived from this
     * context's seed, so that the ensembles of contexts seeded {@code s} and {@code s + 1} share no
     * model. Models are kept for later calls. A context that was not trained here (built by the
     * constructor, {@link #precomputed} or {@link #ofFeatures}) has no recipe: its ensemble is
     * itself alone, whatever {@code epochs} says ({@link #selectionEpochs} is then -1).
     */
    public synchronized List<SelectionContext> ensemble(int count, int epochs) {
        if (count < 1) {
            throw new IllegalArgumentException("ensemble size must be >= 1, got " + count);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("ensemble epochs must be >= 0, got " + epochs);
        }
        if (recipe == null) {
            return List.of(this);
        }
        List<SelectionContext> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (k == 0 && epochs == recipe.epochs()) {
                out.add(this);
                continue;
            }
            String key = k + "@" + epochs;
            SelectionContext m = members.get(key);
            if (m == null) {
                long s = memberSeed(k);
                long start = System.nanoTime();
                TrainListener l = memberListeners == null ? listener : memberListeners.apply(k, epochs);
                TrainResult r = Trainer.train(model, data, null, null, recipe.withEpochs(epochs).withSeed(s), l);
                double seconds = (System.nanoTime() - start) / 1e9;
                m = new SelectionContext(data, model, r.params(), null, s, balance, null, listener, seconds, null, null);
                members.put(key, m);
            }
            out.add(m);
        }
        return List.copyOf(out);
    }

    /**
     * Where the ensemble members' training reports its progress: {@code listeners.apply(member, epochs)}
     * for each member trained from now on (by default, the selection model's listener).
     */
    public synchronized void reportMembersTo(java.util.function.BiFunction<Integer, Integer, TrainListener> listeners) {
        this.memberListeners = listeners;
    }

    /** The seed of ensemble member {@code k}: this context's seed for 0, else one derived from it and {@code k}. */
    public long memberSeed(int k) {
        return k == 0 ? seed : new Generator(seed).fork(ENSEMBLE_STREAM).fork(k).seed();
    }

    /** "ens" in ASCII: the stream the ensemble members' seeds are forked from. */
    private static final long ENSEMBLE_STREAM = 0x656E73L;

    /** The epochs the selection model was trained for, or -1 when this context was not trained here. */
    public int selectionEpochs() {
        return recipe == null ? -1 : recipe.epochs();
    }

    /** The selection model's learning rate, or NaN when this context was not trained here. */
    public double learningRate() {
        return recipe == null ? Double.NaN : recipe.learningRate();
    }

    /**
     * The selection model's {@link TrainingDynamics}. A context trained without recording them
     * trains its selection model again, recording them (the same seed gives the same model bit for
     * bit, so nothing else changes); a context that was not trained here has none
     * ({@link IllegalStateException}).
     */
    public synchronized TrainingDynamics dynamics() {
        if (dynamics == null) {
            if (recipe == null) {
                throw new IllegalStateException("this selection context has no training dynamics: it was not trained here"
                        + " (per-epoch losses and margins need the selection model's training)");
            }
            dynamics = run(data, model, recipe, listener, true).dynamics();
        }
        return dynamics;
    }

    /** Whether the training dynamics are at hand without training again. */
    public synchronized boolean hasDynamics() {
        return dynamics != null;
    }

    private void requireModel(String what) {
        if (model == null) {
            throw new IllegalStateException("this selection context has no model to compute " + what + " with"
                    + " (a context built from features alone serves methods that read embeddings: kcenter, herding,"
                    + " importance with --importance-bound kmeans, submodular functions on embeddings)");
        }
    }
}
