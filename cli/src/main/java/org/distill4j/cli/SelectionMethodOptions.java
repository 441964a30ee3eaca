package org.distill4j.cli;

import org.distill4j.coreset.ImportanceSampling;
import org.distill4j.coreset.PrototypePruning;
import org.distill4j.coreset.SelectionOptions;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.SubmodularSelection;
import picocli.CommandLine.Option;

/**
 * The coreset methods' hyperparameters as flags ({@code select} and {@code coreset-bench}), each
 * defaulting to its paper's value; {@link #options()} makes the library's {@link SelectionOptions}.
 */
public final class SelectionMethodOptions {
    private static final SelectionOptions DEFAULTS = SelectionOptions.defaults();

    @Option(names = "--score-models", defaultValue = "10", paramLabel = "N",
            description = "GraNd and EL2N: models the score is averaged over (Paul et al.: 10), each trained like the selection model.")
    int scoreModels;

    @Option(names = "--grand-epoch", defaultValue = "0", paramLabel = "N",
            description = "GraNd: epochs each model trains before scoring (the paper's GraNd: 0, at initialisation).")
    int grandEpoch;

    @Option(names = "--el2n-epoch", defaultValue = "20", paramLabel = "N",
            description = "EL2N: epochs each model trains before scoring (the paper: 20).")
    int el2nEpoch;

    @Option(names = "--glister-eta", paramLabel = "RATE",
            description = "GLISTER: step size of the one-step lookahead (default: the selection model's --lr, as CORDS and DeepCore).")
    Double glisterEta;

    @Option(names = "--gradmatch-lambda", defaultValue = "0.5", paramLabel = "F",
            description = "GRAD-MATCH: ridge of the non-negative OMP (CORDS: 0.5; DeepCore: 1).")
    double gradmatchLambda;

    @Option(names = "--cal-neighbours", defaultValue = "10", paramLabel = "K", description = "CAL: nearest neighbours (the paper: 10).")
    int calNeighbours;

    @Option(names = "--deepfool-iterations", defaultValue = "50", paramLabel = "N",
            description = "DeepFool: iteration limit (the reference code and DeepCore: 50).")
    int deepfoolIterations;

    @Option(names = "--submodular-features", defaultValue = "gradients", paramLabel = "WHAT",
            description = "Facility location, graph cut, log-determinant: gradients (last layer, DeepCore) or embeddings.")
    String submodularFeatures;

    @Option(names = "--submodular-similarity", defaultValue = "cosine", paramLabel = "KERNEL",
            description = "The submodular functions' similarity: cosine (DeepCore), rbf or distance.")
    String submodularSimilarity;

    @Option(names = "--submodular-optimizer", defaultValue = "lazy", paramLabel = "NAME",
            description = "The submodular functions' greedy: naive, lazy (DeepCore) or stochastic.")
    String submodularOptimizer;

    @Option(names = "--submodular-lambda", paramLabel = "F",
            description = "Graph cut's trade-off (default 0.5) or log-determinant's ridge (default 1).")
    Double submodularLambda;

    @Option(names = "--importance-bound", defaultValue = "loss", paramLabel = "NAME",
            description = "Importance sampling's sensitivity: loss (an example's largest share of the loss over the selection "
                    + "model's epochs), gradient-norm (the same with the last-layer gradient norm) or kmeans (Bachem et al.'s "
                    + "k-means bound on embeddings).")
    String importanceBound;

    @Option(names = "--importance-draws", defaultValue = "fixed-size", paramLabel = "HOW",
            description = "Importance sampling's m draws: fixed-size (m distinct, inclusion probability m p) or with-replacement "
                    + "(m i.i.d. draws, repeats merged: fewer distinct examples).")
    String importanceDraws;

    @Option(names = "--importance-clusters", defaultValue = "10", paramLabel = "K", description = "Clusters of the kmeans bound.")
    int importanceClusters;

    @Option(names = "--score", paramLabel = "METHOD",
            description = "CCS and D2 pruning: the score method they sample by (default: aum for ccs, forgetting for d2-pruning); "
                    + "any method that scores every example: forgetting, el2n, grand, aum, entropy, ...")
    String score;

    @Option(names = "--cut-score", paramLabel = "METHOD",
            description = "CCS and D2 pruning: the score their hardest examples are pruned by first (default: aum, the reference code's).")
    String cutScore;

    @Option(names = "--hard-cutoff", paramLabel = "F",
            description = "CCS and D2 pruning: fraction of the hardest examples pruned first, beta (default: 0.3 for ccs, 0.4 for "
                    + "d2-pruning, the reference code's at 90%% pruning).")
    Double hardCutoff;

    @Option(names = "--strata", defaultValue = "50", paramLabel = "N", description = "CCS: score strata (the reference code: 50).")
    int strata;

    @Option(names = "--d2-neighbours", defaultValue = "5", paramLabel = "K", description = "D2 pruning: k of the nearest-neighbour graph.")
    int d2Neighbours;

    @Option(names = "--d2-forward-gamma", defaultValue = "1.0", paramLabel = "F",
            description = "D2 pruning: forward message weight exp(-gamma d).")
    double d2ForwardGamma;

    @Option(names = "--d2-reverse-gamma", defaultValue = "0.1", paramLabel = "F",
            description = "D2 pruning: reverse message weight exp(-gamma d) when an example is taken.")
    double d2ReverseGamma;

    @Option(names = "--prototype-clusters", defaultValue = "0", paramLabel = "K",
            description = "Prototypes: k-means clusters (0: one per class).")
    int prototypeClusters;

    @Option(names = "--prototype-keep", defaultValue = "auto", paramLabel = "END",
            description = "Prototypes: easy (nearest the prototypes), hard (farthest), or auto (hard when half the data or more is kept).")
    String prototypeKeep;

    /**
     * The flags as the library's options.
     *
     * @throws IllegalArgumentException naming the bad value and the known ones
     */
    public SelectionOptions options() {
        SelectionOptions.Ccs ccs = DEFAULTS.ccs();
        SelectionOptions.D2 d2 = DEFAULTS.d2();
        return new SelectionOptions(
                new SelectionOptions.Scores(scoreModels, grandEpoch, el2nEpoch),
                glisterEta == null ? Double.NaN : glisterEta,
                gradmatchLambda, calNeighbours, deepfoolIterations,
                new SelectionOptions.Submodular(
                        SelectionOptions.parse(SubmodularSelection.Features.class, submodularFeatures, "--submodular-features"),
                        SelectionOptions.parse(Similarity.Kernel.class, submodularSimilarity, "--submodular-similarity"),
                        SelectionOptions.parse(SubmodularSelection.Optimizer.class, submodularOptimizer, "--submodular-optimizer"),
                        submodularLambda == null ? Double.NaN : submodularLambda),
                new SelectionOptions.Importance(
                        SelectionOptions.parse(ImportanceSampling.Bound.class, importanceBound, "--importance-bound"),
                        SelectionOptions.parse(ImportanceSampling.Draws.class, importanceDraws, "--importance-draws"),
                        importanceClusters),
                new SelectionOptions.Ccs(score == null ? ccs.score() : score, cutScore == null ? ccs.cutScore() : cutScore,
                        hardCutoff == null ? ccs.cutoff() : hardCutoff, strata),
                new SelectionOptions.D2(score == null ? d2.score() : score, cutScore == null ? d2.cutScore() : cutScore,
                        hardCutoff == null ? d2.cutoff() : hardCutoff, d2Neighbours, d2ForwardGamma, d2ReverseGamma),
                new SelectionOptions.Prototypes(prototypeClusters,
                        SelectionOptions.parse(PrototypePruning.Keep.class, prototypeKeep, "--prototype-keep")));
    }
}
