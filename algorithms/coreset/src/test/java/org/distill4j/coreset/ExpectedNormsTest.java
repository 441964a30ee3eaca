package org.distill4j.coreset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** GraNd and EL2N: expected norms over an ensemble of selection models. */
class ExpectedNormsTest {
    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void withOneModelTheScoresAreTheNormsOfThatModel() {
        double[][] emb = {{1, 2}, {0, 0}, {-1, 0.5}, {3, 1}};
        double[][] p = {{0.7, 0.3}, {0.5, 0.5}, {0.1, 0.9}, {0.99, 0.01}};
        int[] labels = {0, 1, 0, 0};
        SelectionContext ctx = Fixtures.context(labels, 2, emb, p, null, 0, false);
        double[] grand = new GraNd().scores(ctx);
        double[] el2n = new EL2N().scores(ctx);
        Tensor g = ctx.lastLayerGradients(new int[]{0, 1, 2, 3});
        for (int i = 0; i < 4; i++) {
            assertEquals(norm(g.select(0, i).toDoubleArray()), grand[i], 1e-6, "GraNd of " + i);
            double e0 = p[i][0] - (labels[i] == 0 ? 1 : 0);
            double e1 = p[i][1] - (labels[i] == 1 ? 1 : 0);
            assertEquals(Math.hypot(e0, e1), el2n[i], 1e-6, "EL2N of " + i);
        }
        assertEquals(1, new GraNd().select(ctx, 2).settings().get("models"));
        // highest first: example 2 (wrong and far from the origin) then 0
        assertEquals(2, new EL2N().select(ctx, 1).indices()[0]);
    }

    @Test
    void scoresAreMeansOverTheEnsemble() {
        SelectionContext ctx = Fixtures.trained(30, 3, 4, false);
        List<SelectionContext> members = ctx.ensemble(3, 2);
        double[] grand = new GraNd(3, 2).scores(ctx);
        double[] el2n = new EL2N(3, 2).scores(ctx);
        int[] all = new int[30];
        for (int i = 0; i < 30; i++) {
            all[i] = i;
        }
        for (int i = 0; i < 30; i += 7) {
            double g = 0;
            double e = 0;
            for (SelectionContext m : members) {
                g += norm(m.lastLayerGradients(all).select(0, i).toDoubleArray()) / 3;
                e += norm(m.logitGradients(all).select(0, i).toDoubleArray()) / 3;
            }
            assertEquals(g, grand[i], 1e-5, "GraNd of " + i);
            assertEquals(e, el2n[i], 1e-5, "EL2N of " + i);
        }
        assertEquals(3, new GraNd(3, 2).select(ctx, 5).settings().get("models"));
    }

    @Test
    void grandAtInitialisationAndEl2nLaterAreScoredInOneContext() {
        SelectionContext ctx = Fixtures.trained(30, 3, 4, false);
        Selection grand = new GraNd(4, 0).select(ctx, 5);
        Selection el2n = new EL2N(4, 3).select(ctx, 5);
        assertEquals(0, grand.settings().get("epoch"));
        assertEquals(3, el2n.settings().get("epoch"));
        List<SelectionContext> init = ctx.ensemble(4, 0);
        List<SelectionContext> later = ctx.ensemble(4, 3);
        assertEquals(init.stream().map(SelectionContext::seed).toList(), grand.settings().get("member_seeds"));
        assertEquals(later.stream().map(SelectionContext::seed).toList(), el2n.settings().get("member_seeds"),
                "the same seeds, trained for another number of epochs");
        int[] all = new int[30];
        for (int i = 0; i < 30; i++) {
            all[i] = i;
        }
        double[] scores = new GraNd(4, 0).scores(ctx);
        double g = 0;
        for (SelectionContext m : init) {
            g += norm(m.lastLayerGradients(all).select(0, 11).toDoubleArray()) / 4;
        }
        assertEquals(g, scores[11], 1e-5, "GraNd at initialisation: untrained models");
        // The paper's defaults.
        assertEquals(10, SelectionOptions.defaults().scores().models());
        assertEquals(0, SelectionOptions.defaults().scores().grandEpoch());
        assertEquals(20, SelectionOptions.defaults().scores().el2nEpoch());
    }
}
