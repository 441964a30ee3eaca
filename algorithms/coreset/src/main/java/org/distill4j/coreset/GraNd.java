package org.distill4j.coreset;

import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Pointwise;
import org.distill4j.tensor.Reductions;
import org.distill4j.tensor.Tensor;

/**
 * GraNd (Paul, Ganguli, Dziugaite, "Deep Learning on a Data Diet: Finding Important Examples Early
 * in Training", NeurIPS 2021): the expected norm of an example's loss gradient over models trained
 * briefly from different seeds; the largest are kept first.
 *
 * <p>To stay affordable this follows DeepCore's {@code GraNd}: the gradient is taken with respect
 * to the last linear layer only, {@code [g, g (x) h]} with {@code g = softmax - onehot} and
 * {@code h} the embedding (see {@link SelectionContext#lastLayerGradients}), whose norm has the
 * closed form {@code |g| sqrt(1 + |h|^2)}; it is averaged over {@code models} selection models
 * ({@link SelectionContext#ensemble}: the context's own and more trained the same way, for the same
 * selection epochs, from seeds {@code seed + 1, ...}; the paper uses 10 models and full gradients).
 * A context with no training recipe gives one model; the count used is in the settings.
 * Exact budget by a top-k cut (per class with balance); ties to the lower index.
 */
public final class GraNd extends ScoreRanking {
    private final int models;

    public GraNd() {
        this(3);
    }

    public GraNd(int models) {
        if (models < 1) {
            throw new IllegalArgumentException("GraNd needs at least 1 model, got " + models);
        }
        this.models = models;
    }

    @Override
    public String name() {
        return "grand";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        List<SelectionContext> members = ctx.ensemble(models);
        int n = ctx.data().size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] mean = new double[n];
        for (SelectionContext m : members) {
            Tensor g = m.logitGradients(all);
            Tensor h = m.embeddings();
            double[] g2 = Reductions.sum(Pointwise.mul(g, g), new int[]{1}, false).toDoubleArray();
            double[] h2 = Reductions.sum(Pointwise.mul(h, h), new int[]{1}, false).toDoubleArray();
            for (int i = 0; i < n; i++) {
                mean[i] += Math.sqrt(g2[i] * (1 + h2[i])) / members.size();
            }
        }
        return mean;
    }

    @Override
    boolean highestFirst() {
        return true;
    }

    @Override
    Map<String, Object> settings(SelectionContext ctx) {
        return Map.of("balance", ctx.balance(), "models", ctx.ensemble(models).size(), "gradient", "last layer");
    }
}
