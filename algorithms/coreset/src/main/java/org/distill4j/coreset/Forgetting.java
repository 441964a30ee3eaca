package org.distill4j.coreset;

import java.util.Map;
import org.distill4j.train.CorrectnessLog;

/**
 * Forgetting events (Toneva et al., "An Empirical Study of Example Forgetting during Deep Neural
 * Network Learning", ICLR 2019): while the selection model trains, an example is <i>forgotten</i>
 * each time it goes from classified correctly at one presentation to incorrectly at the next (one
 * presentation per epoch, from {@link SelectionContext#correctness()}). The most forgotten are
 * kept first. Examples never classified correctly count as the most forgettable, as in the paper
 * (they are "forgotten infinitely often"): they get the score E (the number of epochs), above any
 * reachable count (at most floor(E / 2)).
 *
 * <p>Exact budget by a top-k cut (per class with balance), as in DeepCore; ties, which are many
 * (most examples are forgotten 0 or 1 times early in training), are broken by a seeded random
 * order rather than by index.
 */
public final class Forgetting extends ScoreRanking {
    @Override
    public String name() {
        return "forgetting";
    }

    @Override
    double[] scores(SelectionContext ctx) {
        CorrectnessLog log = ctx.correctness();
        if (log == null || log.epochs() == 0) {
            throw new IllegalArgumentException("forgetting needs per-epoch correctness from training the selection model:"
                    + " use at least 1 selection epoch");
        }
        int[] events = log.forgettingEvents();
        boolean[] learned = log.everLearned();
        double[] s = new double[events.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = learned[i] ? events[i] : log.epochs();
        }
        return s;
    }

    @Override
    boolean highestFirst() {
        return true;
    }

    @Override
    double[] tieBreak(SelectionContext ctx) {
        int[] perm = ctx.generator(name()).permutation(ctx.data().size());
        double[] rank = new double[perm.length];
        for (int r = 0; r < perm.length; r++) {
            rank[perm[r]] = r;
        }
        return rank;
    }

    @Override
    Map<String, Object> settings(SelectionContext ctx) {
        return Map.of("balance", ctx.balance(), "epochs", ctx.correctness().epochs());
    }
}
