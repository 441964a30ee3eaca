package org.distill4j.coreset;

import java.util.List;
import java.util.Map;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * EL2N (Paul, Ganguli, Dziugaite, NeurIPS 2021): the expected L2 norm of the error vector
 * {@code || softmax(f(x)) - onehot(y) ||_2} over models trained briefly from different seeds; the
 * largest (hardest) are kept first. The expectation is over {@code models} models (the paper
 * averages 10) trained for {@code epoch} epochs (the paper scores at epoch 20 of its CIFAR-10 runs),
 * {@link SelectionContext#ensemble(int, int)}: the selection model's recipe from independent seeds.
 * A context with no training recipe gives its one model as it is; the count and epoch used are in
 * the settings. Exact budget by a top-k cut (per class with balance);
 * ties to the lower index.
 */
public final class EL2N extends ScoreRanking {
    private final int models;
    private final int epoch;

    /** The paper's setting: 10 models, at epoch 20. */
    public EL2N() {
        this(10, 20);
    }

    /**
     * @param models how many independently seeded models the score is averaged over
     * @param epoch  how many epochs each is trained with the selection model's recipe before scoring (0: untrained)
     */
    public EL2N(int models, int epoch) {
        if (models < 1) {
            throw new IllegalArgumentException("EL2N needs at least 1 model, got " + models);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("EL2N scoring epoch must be >= 0, got " + epoch);
        }
        this.models = models;
        this.epoch = epoch;
    }

    @Override
    public String name() {
        return "el2n";
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
            Tensor err = m.logitGradients(all);
            double[] e2 = Reduce.sum(Elementwise.mul(err, err), new int[]{1}, false).toDoubleArray();
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
        return GraNd.ensembleSettings(ctx, models, epoch);
    }
}
