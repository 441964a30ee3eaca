package org.distill4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distill4j.coreset.adaptive.AdaptiveMethod;
import org.distill4j.coreset.adaptive.AdaptiveSelection;
import org.distill4j.coreset.adaptive.AdaptiveSettings;
import org.distill4j.coreset.adaptive.AdaptiveTraining;
import org.distill4j.coreset.adaptive.InfoBatch;
import org.distill4j.options.Progress;
import picocli.CommandLine.Option;

/**
 * {@code train}'s flags for what each epoch trains on: adaptive subset selection
 * ({@code --adaptive}, CORDS) or dynamic pruning ({@code --dynamic infobatch}). Each group's
 * settings flags are refused without the flag that turns the group on, and everything is checked
 * before any data is loaded.
 */
final class PlanOptions {
    @Option(names = "--adaptive", paramLabel = "METHOD",
            description = "Adaptive subset selection during training, as CORDS runs it: full, craig, craig-pb, gradmatch, "
                    + "gradmatch-pb, glister, random-online, adaptive-random. Holds out --val-split of the training set; "
                    + "the time reported includes the selections (default: none, every epoch on the training set or --subset).")
    String adaptive;

    @Option(names = "--fraction", paramLabel = "F",
            description = "With --adaptive: the share of the training split each subset epoch trains on (default: 0.1).")
    Double fraction;

    @Option(names = "--select-every", paramLabel = "R",
            description = "With --adaptive: re-select every R epochs, from the first subset epoch (default: 20, CORDS's).")
    Integer selectEvery;

    @Option(names = "--warm-start", paramLabel = "KAPPA",
            description = "With --adaptive: CORDS's kappa in [0, 1): the first int(KAPPA * epochs) epochs are the warm start, "
                    + "the first round(that * F) of them on the whole training split and the rest skipped (default: 0; "
                    + "CORDS's -Warm configurations use 0.5).")
    Double warmStart;

    @Option(names = "--val-split", paramLabel = "V",
            description = "With --adaptive: the share of the training set held out for validation, in (0, 0.5] (default: 0.1); "
                    + "glister selects with it.")
    Double valSplit;

    @Option(names = "--dynamic", paramLabel = "METHOD",
            description = "Dynamic data pruning during training: infobatch (Qin et al. 2024) (default: none).")
    String dynamic;

    @Option(names = "--prune-ratio", paramLabel = "R",
            description = "With --dynamic infobatch: the share of the examples whose loss is below the mean pruned each epoch, "
                    + "in [0, 0.9] (default: 0.5).")
    Double pruneRatio;

    @Option(names = "--delta", paramLabel = "D",
            description = "With --dynamic infobatch: the fraction of the epochs that prune; later epochs train on all the data "
                    + "(default: 0.875).")
    Double delta;

    /** The names {@code --dynamic} knows. */
    static final List<String> DYNAMIC = List.of("infobatch");

    /**
     * Checks the flags together (before any data is loaded) and returns the adaptive settings, or
     * null without {@code --adaptive}.
     */
    AdaptiveSettings check(boolean subsetGiven, int epochs) {
        List<String> adaptiveOnly = new ArrayList<>();
        if (fraction != null) {
            adaptiveOnly.add("--fraction");
        }
        if (selectEvery != null) {
            adaptiveOnly.add("--select-every");
        }
        if (warmStart != null) {
            adaptiveOnly.add("--warm-start");
        }
        if (valSplit != null) {
            adaptiveOnly.add("--val-split");
        }
        if (adaptive == null && !adaptiveOnly.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", adaptiveOnly) + " only go" + (adaptiveOnly.size() == 1 ? "es" : "")
                    + " with --adaptive METHOD");
        }
        if (dynamic == null && (pruneRatio != null || delta != null)) {
            throw new IllegalArgumentException((pruneRatio != null ? "--prune-ratio" : "--delta") + " only goes with --dynamic infobatch");
        }
        if (adaptive != null && dynamic != null) {
            throw new IllegalArgumentException("--adaptive and --dynamic both choose what each epoch trains on: give one");
        }
        if ((adaptive != null || dynamic != null) && subsetGiven) {
            throw new IllegalArgumentException((adaptive != null ? "--adaptive" : "--dynamic")
                    + " chooses each epoch's subset itself: it cannot take --subset");
        }
        if (dynamic != null) {
            if (!DYNAMIC.contains(dynamic)) {
                throw new IllegalArgumentException("unknown dynamic method '" + dynamic + "'; known: " + String.join(", ", DYNAMIC));
            }
            infoBatch(1, epochs, 0); // checks the prune ratio and delta
        }
        if (adaptive == null) {
            return null;
        }
        AdaptiveMethod method = AdaptiveMethod.byName(adaptive);
        return new AdaptiveSettings(method, fraction == null ? 0.1 : fraction,
                selectEvery == null ? AdaptiveSettings.DEFAULT_SELECT_EVERY : selectEvery,
                warmStart == null ? AdaptiveSettings.DEFAULT_WARM_START : warmStart,
                valSplit == null ? AdaptiveSettings.DEFAULT_VAL_SPLIT : valSplit);
    }

    /** The InfoBatch plan of {@code --dynamic infobatch} over {@code examples}. */
    InfoBatch infoBatch(int examples, int epochs, long seed) {
        return new InfoBatch(examples, epochs, pruneRatio == null ? InfoBatch.DEFAULT_PRUNE_RATIO : pruneRatio,
                delta == null ? InfoBatch.DEFAULT_DELTA : delta, seed);
    }

    /** "12 selections (epochs 0, 5, 10, 15), 8.1 s in all: 23.4% of the training time". */
    static String summary(AdaptiveTraining.Result r) {
        List<AdaptiveSelection.Reselection> all = r.reselections();
        if (all.isEmpty()) {
            return "no selection: every epoch on the whole training split";
        }
        StringBuilder epochs = new StringBuilder();
        for (int i = 0; i < all.size() && i < 12; i++) {
            epochs.append(i == 0 ? "" : ", ").append(all.get(i).epoch() + 1);
        }
        if (all.size() > 12) {
            epochs.append(", ...");
        }
        int padded = all.stream().mapToInt(AdaptiveSelection.Reselection::padded).sum();
        return String.format(Locale.ROOT, "%s (at the start of epoch%s %s), %.1f s in all: %.1f%% of the training time%s",
                Progress.count(all.size(), "selection"), all.size() == 1 ? "" : "s", epochs, r.selectionSeconds(),
                100 * r.selectionShare(), padded == 0 ? "" : String.format(Locale.ROOT, "; %,d %s with a zero weight replaced at random", padded,
                        r.settings().method().perBatch() ? (padded == 1 ? "batch" : "batches") : (padded == 1 ? "pick" : "picks")));
    }
}
