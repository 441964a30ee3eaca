package org.distill4j.coreset.submodular;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distill4j.coreset.CoresetMethod;
import org.distill4j.coreset.Objective;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.tensor.Tensor;

/**
 * Coreset selection by maximising a submodular function of the similarity between examples
 * (DeepCore's "Submodular" method; Iyer et al. 2021, "Submodular combinatorial information
 * measures", for the functions): facility location (representativeness), graph cut
 * (representativeness against redundancy) or log-determinant (diversity).
 *
 * <p>Similarity is measured between last-layer gradients ({@link SelectionContext#lastLayerGradients},
 * as DeepCore does) or penultimate embeddings, with a kernel of {@link Similarity.Kernel} (cosine
 * mapped to [0, 1] by default, DeepCore's {@code cossim_np}), and only within a class. With class
 * balance, greedy runs in each class on its share of the budget; without, one greedy runs over the
 * sum of the per-class functions (a block-diagonal similarity, as DeepCore's CRAIG builds it), so
 * the gains decide the split and no similarity across the whole set is ever formed.
 *
 * <p>Budget: greedy picks exactly the budget (elements with zero or negative gain are still
 * taken, the best first), so there is nothing to pad or trim. Weights are 1; the score of an
 * example is its marginal gain when it was chosen.
 */
public final class SubmodularSelection implements CoresetMethod, Objective {
    /** What the similarity compares. */
    public enum Features {
        GRADIENTS, EMBEDDINGS
    }

    /** Which greedy maximiser. */
    public enum Optimizer {
        NAIVE, LAZY, STOCHASTIC
    }

    public static final List<String> FUNCTIONS = List.of("facility-location", "graph-cut", "log-determinant");

    private final String function;
    private final Features features;
    private final Similarity.Kernel kernel;
    private final Optimizer optimizer;
    private final double lambda;
    private final double epsilon;

    /** {@code function} on cosine similarity of last-layer gradients, lazy greedy, the function's default lambda. */
    public SubmodularSelection(String function) {
        this(function, Features.GRADIENTS, Similarity.Kernel.COSINE, Optimizer.LAZY, Double.NaN,
                StochasticGreedy.DEFAULT_EPSILON);
    }

    /**
     * @param lambda  graph cut's trade-off or log-determinant's ridge (NaN: the function's default;
     *                ignored by facility location)
     * @param epsilon stochastic greedy's epsilon (ignored by the others)
     */
    public SubmodularSelection(String function, Features features, Similarity.Kernel kernel, Optimizer optimizer,
                               double lambda, double epsilon) {
        if (!FUNCTIONS.contains(function)) {
            throw new IllegalArgumentException("unknown submodular function '" + function + "'; known: "
                    + String.join(", ", FUNCTIONS));
        }
        this.function = function;
        this.features = features;
        this.kernel = kernel;
        this.optimizer = optimizer;
        this.lambda = Double.isNaN(lambda)
                ? (function.equals("graph-cut") ? GraphCut.DEFAULT_LAMBDA : LogDeterminant.DEFAULT_LAMBDA) : lambda;
        this.epsilon = epsilon;
        if (optimizer == Optimizer.STOCHASTIC && !(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("stochastic greedy epsilon must be in (0, 1), got " + epsilon);
        }
    }

    @Override
    public String name() {
        return function;
    }

    /** The set function of {@code function} over the similarity of {@code x}'s rows, for about {@code picks} picks. */
    SetFunction functionOf(Tensor x, int picks) {
        // Log-determinant and graph cut read one column per pick (graph cut's column sums come in closed
        // form for the cosine kernel): small blocks avoid computing columns they never read, when the picks
        // are few among the columns. When 16-column blocks would hold as many picks as there are columns,
        // the picks reach most blocks anyway, and small products would compute nearly every column while
        // repacking the whole feature matrix for each 16 of them (graph cut at 10% of Fashion-MNIST: 600
        // picks among a class's 6,000 columns, twice the time of 256-column blocks).
        boolean onePerPick = function.equals("log-determinant") || function.equals("graph-cut") && kernel == Similarity.Kernel.COSINE;
        boolean sparsePicks = (long) picks * 16 < x.dim(0);
        Similarity s = Similarity.of(x, kernel, Similarity.DEFAULT_CACHE_BYTES, onePerPick && sparsePicks ? 16 : 256);
        return switch (function) {
            case "facility-location" -> new FacilityLocation(s);
            case "graph-cut" -> new GraphCut(s, lambda);
            default -> new LogDeterminant(s, lambda);
        };
    }

    private Greedy greedy(SelectionContext ctx, int stream) {
        return switch (optimizer) {
            case NAIVE -> new NaiveGreedy();
            case LAZY -> new LazyGreedy();
            case STOCHASTIC -> new StochasticGreedy(ctx.generator(function).fork(stream), epsilon);
        };
    }

    private Tensor featuresOf(SelectionContext ctx, int[] indices) {
        if (features == Features.GRADIENTS) {
            return ctx.lastLayerGradients(indices);
        }
        return org.distill4j.tensor.Indexing.indexSelect(ctx.embeddings(), 0, Tensor.fromInts(indices, indices.length));
    }

    @Override
    public Selection select(SelectionContext ctx, int budget) {
        int[] classBudgets = ctx.classBudgets(budget); // also refuses a budget outside [1, N]
        int[] indices = new int[budget];
        double[] scores = new double[budget];
        int filled = 0;
        if (ctx.balance()) {
            for (int c = 0; c < ctx.classes(); c++) {
                if (classBudgets[c] == 0) {
                    continue;
                }
                int[] members = ctx.classIndices(c);
                Greedy.Result r = greedy(ctx, c).maximize(functionOf(featuresOf(ctx, members), classBudgets[c]), classBudgets[c]);
                for (int i = 0; i < r.order().length; i++) {
                    indices[filled] = members[r.order()[i]];
                    scores[filled++] = r.gains()[i];
                }
            }
        } else {
            List<int[]> members = new ArrayList<>();
            List<SetFunction> parts = new ArrayList<>();
            for (int c = 0; c < ctx.classes(); c++) {
                int[] m = ctx.classIndices(c);
                if (m.length > 0) {
                    members.add(m);
                    parts.add(functionOf(featuresOf(ctx, m), budget));
                }
            }
            DisjointSum sum = new DisjointSum(parts);
            Greedy.Result r = greedy(ctx, -1).maximize(sum, budget);
            for (int i = 0; i < budget; i++) {
                int e = r.order()[i];
                int p = sum.part(e);
                indices[filled] = members.get(p)[e - sum.offset(p)];
                scores[filled++] = r.gains()[i];
            }
        }
        return Selection.unweighted(function, indices, scores, settings(ctx));
    }

    /**
     * The function's value {@code sum_c f_c(S cap c)} over the classes (the similarity is only ever
     * within a class, with or without balance), on the same features, kernel and lambda as
     * {@link #select}; higher is better. For greedy's own picks this is the sum of their scores.
     */
    @Override
    public Value objective(SelectionContext ctx, int[] indices) {
        int n = ctx.data().size();
        double value = 0;
        for (int c = 0; c < ctx.classes(); c++) {
            int[] members = ctx.classIndices(c);
            int[] local = new int[indices.length];
            int k = 0;
            for (int i : indices) {
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException("selected index " + i + " is outside [0, " + n + ")");
                }
                int p = java.util.Arrays.binarySearch(members, i);
                if (p >= 0) {
                    local[k++] = p;
                }
            }
            if (k == 0) {
                continue;
            }
            SetFunction f = functionOf(featuresOf(ctx, members), k);
            for (int j = 0; j < k; j++) {
                f.add(local[j]);
            }
            value += f.value();
        }
        return new Value(function, value, true);
    }

    private Map<String, Object> settings(SelectionContext ctx) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("features", features.name().toLowerCase(Locale.ROOT));
        s.put("kernel", kernel.name().toLowerCase(Locale.ROOT));
        s.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        if (!function.equals("facility-location")) {
            s.put("lambda", lambda);
        }
        if (optimizer == Optimizer.STOCHASTIC) {
            s.put("epsilon", epsilon);
        }
        s.put("balance", ctx.balance());
        return s;
    }
}
