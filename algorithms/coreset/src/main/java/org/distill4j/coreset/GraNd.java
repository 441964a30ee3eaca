package org.distill4j.coreset;

import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * GraNd (Paul, Ganguli, Dziugaite, "Deep Learning on a Data Diet: Finding Important Examples Early
 * in Training", NeurIPS 2021): the expected norm of an example's loss gradient over models trained
 * briefly from different seeds; the largest are kept first.
 *
 * <p>To stay affordable this follows DeepCore's {@code GraNd}: the gradient is taken with respect
 * to the last linear layer only, {@code [g, g (x) h]} with {@code g = softmax - onehot} and
 * {@code h} the embedding (see {@link SelectionContext#lastLayerGradients}), whose norm has the
 * closed form {@code |g| sqrt(1 + |h|^2)}; it is averaged over {@code models} models (the paper's
 * 10) taken at {@code epoch} (the paper's GraNd is at initialisation, epoch 0: no training at all),
 * {@link SelectionContext#ensemble(int, int)}: the selection model's recipe from independent seeds.
 * The paper uses full gradients. A context with no training recipe gives its one model as it is;
 * the count and epoch used are in the settings.
 * Exact budget by a top-k cut (per class with balance); ties to the lower index.
 */
public final class GraNd extends ScoreRanking {
    private final int models;
    private final int epoch;

    /** The paper's setting: 10 models, at initialisation (epoch 0). */
    public GraNd() {
        this(10, 0);
    }

    /**
     * @param models how many independently seeded models the score is averaged over
     * @param epoch  how many epochs each is trained with the selection model's recipe before scoring (0: untrained)
     */
    public GraNd(int models, int epoch) {
        if (models < 1) {
            throw new IllegalArgumentException("GraNd needs at least 1 model, got " + models);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("GraNd scoring epoch must be >= 0, got " + epoch);
        }
        this.models = models;
        this.epoch = epoch;
    }

    @Override
    public String name() {
        return "grand";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        List<SelectionContext> members = ctx.ensemble(models, epoch);
        int n = ctx.data().size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        double[] mean = new double[n];
        for (SelectionContext m : members) {
            Tensor g = m.logitGradients(all);
            Tensor h = m.embeddings();
            double[] g2 = Reduce.sum(Elementwise.mul(g, g), new int[]{1}, false).toDoubleArray();
            double[] h2 = Reduce.sum(Elementwise.mul(h, h), new int[]{1}, false).toDoubleArray();
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
        Map<String, Object> s = ensembleSettings(ctx, models, epoch);
        s.put("gradient", "last layer");
        return s;
    }

    /**
     * What an ensemble score records: balance, the models actually averaged, the epoch they were
     * scored at ("as given" for a context not trained here, whose one model is what it is) and the
     * members' seeds.
     */
    static Map<String, Object> ensembleSettings(SelectionContext ctx, int models, int epoch) {
        List<SelectionContext> members = ctx.ensemble(models, epoch);
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("balance", ctx.balance());
        s.put("models", members.size());
        s.put("epoch", ctx.selectionEpochs() < 0 ? "as given" : epoch);
        s.put("member_seeds", members.stream().map(SelectionContext::seed).toList());
        return s;
    }
}
