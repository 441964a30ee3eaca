package org.distill4j.coreset;

import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Pointwise;
import org.distill4j.tensor.Reductions;
import org.distill4j.tensor.Tensor;

/**
 * EL2N (Paul, Ganguli, Dziugaite, NeurIPS 2021): the expected L2 norm of the error vector
 * {@code || softmax(f(x)) - onehot(y) ||_2} over models trained briefly from different seeds; the
 * largest (hardest) are kept first. The expectation is over {@code models} selection models
 * ({@link SelectionContext#ensemble}: the context's own and more trained the same way from seeds
 * {@code seed + 1, ...}; the paper averages 10). A context with no training recipe gives one
 * model; the count used is in the settings. Exact budget by a top-k cut (per class with balance);
 * ties to the lower index.
 */
public final class EL2N extends ScoreRanking {
    private final int models;

    public EL2N() {
        this(3);
    }

    public EL2N(int models) {
        if (models < 1) {
            throw new IllegalArgumentException("EL2N needs at least 1 model, got " + models);
        }
        this.models = models;
    }

    @Override
    public String name() {
        return "el2n";
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
            Tensor err = m.logitGradients(all);
            double[] e2 = Reductions.sum(Pointwise.mul(err, err), new int[]{1}, false).toDoubleArray();
            for (int i = 0; i < n; i++) {
                mean[i] += Math.sqrt(e2[i]) / members.size();
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
        return Map.of("balance", ctx.balance(), "models", ctx.ensemble(models).size());
    }
}
