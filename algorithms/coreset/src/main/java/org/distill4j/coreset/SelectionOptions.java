package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.coreset.submodular.Similarity;
import org.distill4j.coreset.submodular.SubmodularSelection;

/**
 * Every coreset method's hyperparameters, each defaulting to its paper's (or reference code's)
 * value: what {@link CoresetMethods#byName(String, SelectionOptions)} builds a method with. One
 * group per method family; {@link #defaults()} then the {@code with} methods change one group.
 *
 * @param scores       GraNd's and EL2N's ensembles
 * @param glisterEta   GLISTER's step size; NaN: the selection model's learning rate (CORDS and
 *                     DeepCore take the training learning rate), 0.01 for a context not trained here
 * @param gradmatchLambda GRAD-MATCH's ridge (CORDS's configurations: 0.5)
 * @param calNeighbours   CAL's k nearest neighbours (Margatina et al.: 10)
 * @param deepfoolIterations DeepFool's iteration limit (Moosavi-Dezfooli et al.'s code and DeepCore: 50)
 * @param submodular   the submodular functions' features, similarity, optimiser and lambda
 * @param importance   importance sampling's sensitivity bound and draws
 * @param ccs          coverage-centric coreset selection
 * @param d2           D2 pruning
 * @param prototypes   self-supervised-prototype pruning
 */
public record SelectionOptions(Scores scores, double glisterEta, double gradmatchLambda, int calNeighbours,
                               int deepfoolIterations, Submodular submodular, Importance importance, Ccs ccs, D2 d2,
                               Prototypes prototypes) {
    /**
     * GraNd and EL2N (Paul, Ganguli, Dziugaite 2021): scores averaged over {@code models}
     * independently seeded models; GraNd taken at {@code grandEpoch} (the paper's GraNd is at
     * initialisation: 0), EL2N at {@code el2nEpoch} (the paper's: epoch 20). Each model is the
     * selection model's recipe trained for that many epochs.
     */
    public record Scores(int models, int grandEpoch, int el2nEpoch) {
        public Scores {
            if (models < 1) {
                throw new IllegalArgumentException("GraNd/EL2N models must be >= 1, got " + models);
            }
            if (grandEpoch < 0 || el2nEpoch < 0) {
                throw new IllegalArgumentException("GraNd/EL2N scoring epochs must be >= 0, got " + grandEpoch + " and " + el2nEpoch);
            }
        }
    }

    /**
     * The submodular functions (facility location, graph cut, log-determinant): what the similarity
     * compares, the kernel, the greedy optimiser, and lambda (graph cut's trade-off or
     * log-determinant's ridge; NaN: the function's default, 0.5 and 1). DeepCore's defaults:
     * gradients, cosine, lazy greedy.
     */
    public record Submodular(SubmodularSelection.Features features, Similarity.Kernel similarity,
                             SubmodularSelection.Optimizer optimizer, double lambda) {
        public Submodular {
            if (features == null || similarity == null || optimizer == null) {
                throw new IllegalArgumentException("submodular features, similarity and optimizer must be given");
            }
        }
    }

    /** Importance sampling: the sensitivity bound, how the draws are made, clusters of the k-means bound. */
    public record Importance(ImportanceSampling.Bound bound, ImportanceSampling.Draws draws, int clusters) {
        public Importance {
            if (bound == null || draws == null) {
                throw new IllegalArgumentException("importance bound and draws must be given");
            }
            if (clusters < 1) {
                throw new IllegalArgumentException("importance clusters must be >= 1, got " + clusters);
            }
        }
    }

    /**
     * CCS (Zheng et al. 2023): the score it stratifies, the score and fraction {@code cutoff} (beta)
     * of the hardest examples it prunes first, and the number of strata. Defaults from the
     * reference code at 90% pruning on CIFAR-10: AUM for both, beta = 0.3, 50 strata.
     */
    public record Ccs(String score, String cutScore, double cutoff, int strata) {
        public Ccs {
            checkCutoff("ccs", cutoff);
            if (strata < 1) {
                throw new IllegalArgumentException("ccs strata must be >= 1, got " + strata);
            }
        }
    }

    /**
     * D2 pruning (Maharana et al. 2024): the difficulty score on the graph's nodes, the score and
     * fraction of the hardest examples pruned first, the k of the k-nearest-neighbour graph, and the
     * forward and reverse message weights {@code exp(-gamma d)}. Defaults from the reference code's
     * CIFAR-10 example: forgetting on the nodes, AUM cut of 0.4, k = 5, forward gamma 1 (its
     * {@code exp(-d)}), reverse gamma 0.1.
     */
    public record D2(String score, String cutScore, double cutoff, int neighbours, double forwardGamma,
                     double reverseGamma) {
        public D2 {
            checkCutoff("d2-pruning", cutoff);
            if (neighbours < 1) {
                throw new IllegalArgumentException("d2-pruning neighbours must be >= 1, got " + neighbours);
            }
            if (!(forwardGamma >= 0) || !(reverseGamma >= 0) || Double.isInfinite(forwardGamma) || Double.isInfinite(reverseGamma)) {
                throw new IllegalArgumentException("d2-pruning gammas must be finite and >= 0, got " + forwardGamma + " and "
                        + reverseGamma);
            }
        }
    }

    /**
     * Prototype pruning (Sorscher et al. 2022): k-means {@code clusters} (0: the number of classes)
     * and which end to keep ({@link PrototypePruning.Keep}).
     */
    public record Prototypes(int clusters, PrototypePruning.Keep keep) {
        public Prototypes {
            if (clusters < 0) {
                throw new IllegalArgumentException("prototype clusters must be >= 0 (0: one per class), got " + clusters);
            }
            if (keep == null) {
                throw new IllegalArgumentException("prototype keep must be given");
            }
        }
    }

    public SelectionOptions {
        if (scores == null || submodular == null || importance == null || ccs == null || d2 == null || prototypes == null) {
            throw new IllegalArgumentException("selection options: every group must be given");
        }
        if (!Double.isNaN(glisterEta) && (!(glisterEta > 0) || Double.isInfinite(glisterEta))) {
            throw new IllegalArgumentException("glister eta must be finite and > 0 (or NaN: the learning rate), got " + glisterEta);
        }
        if (!(gradmatchLambda > 0) || Double.isInfinite(gradmatchLambda)) {
            throw new IllegalArgumentException("gradmatch lambda must be finite and > 0, got " + gradmatchLambda);
        }
        if (calNeighbours < 1) {
            throw new IllegalArgumentException("cal neighbours must be >= 1, got " + calNeighbours);
        }
        if (deepfoolIterations < 1) {
            throw new IllegalArgumentException("deepfool iterations must be >= 1, got " + deepfoolIterations);
        }
    }

    private static void checkCutoff(String method, double cutoff) {
        if (!(cutoff >= 0 && cutoff < 1)) {
            throw new IllegalArgumentException(method + " hard cutoff must be in [0, 1), got " + cutoff);
        }
    }

    /** Every default: the papers' values. */
    public static SelectionOptions defaults() {
        return new SelectionOptions(new Scores(10, 0, 20), Double.NaN, 0.5, 10, 50,
                new Submodular(SubmodularSelection.Features.GRADIENTS, Similarity.Kernel.COSINE,
                        SubmodularSelection.Optimizer.LAZY, Double.NaN),
                new Importance(ImportanceSampling.Bound.LOSS, ImportanceSampling.Draws.FIXED_SIZE, 10),
                new Ccs("aum", "aum", 0.3, 50),
                new D2("forgetting", "aum", 0.4, 5, 1.0, 0.1),
                new Prototypes(0, PrototypePruning.Keep.AUTO));
    }

    public SelectionOptions withScores(Scores s) {
        return new SelectionOptions(s, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular, importance,
                ccs, d2, prototypes);
    }

    public SelectionOptions withGlisterEta(double eta) {
        return new SelectionOptions(scores, eta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular, importance,
                ccs, d2, prototypes);
    }

    public SelectionOptions withGradmatchLambda(double lambda) {
        return new SelectionOptions(scores, glisterEta, lambda, calNeighbours, deepfoolIterations, submodular, importance,
                ccs, d2, prototypes);
    }

    public SelectionOptions withCalNeighbours(int k) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, k, deepfoolIterations, submodular, importance, ccs,
                d2, prototypes);
    }

    public SelectionOptions withDeepfoolIterations(int iterations) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, iterations, submodular, importance,
                ccs, d2, prototypes);
    }

    public SelectionOptions withSubmodular(Submodular s) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, s, importance, ccs,
                d2, prototypes);
    }

    public SelectionOptions withImportance(Importance i) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular, i, ccs,
                d2, prototypes);
    }

    public SelectionOptions withCcs(Ccs c) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular,
                importance, c, d2, prototypes);
    }

    public SelectionOptions withD2(D2 d) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular,
                importance, ccs, d, prototypes);
    }

    public SelectionOptions withPrototypes(Prototypes p) {
        return new SelectionOptions(scores, glisterEta, gradmatchLambda, calNeighbours, deepfoolIterations, submodular,
                importance, ccs, d2, p);
    }

    /**
     * The options as plain JSON values, one key per hyperparameter, named as the command line's flags
     * without their dashes' prefix ({@code score_models}, {@code grand_epoch}, ...); NaN is
     * {@code null}, enum values are lower case with dashes.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score_models", scores.models());
        m.put("grand_epoch", scores.grandEpoch());
        m.put("el2n_epoch", scores.el2nEpoch());
        m.put("glister_eta", Double.isNaN(glisterEta) ? null : glisterEta);
        m.put("gradmatch_lambda", gradmatchLambda);
        m.put("cal_neighbours", calNeighbours);
        m.put("deepfool_iterations", deepfoolIterations);
        m.put("submodular_features", name(submodular.features()));
        m.put("submodular_similarity", name(submodular.similarity()));
        m.put("submodular_optimizer", name(submodular.optimizer()));
        m.put("submodular_lambda", Double.isNaN(submodular.lambda()) ? null : submodular.lambda());
        m.put("importance_bound", name(importance.bound()));
        m.put("importance_draws", name(importance.draws()));
        m.put("importance_clusters", importance.clusters());
        m.put("ccs_score", ccs.score());
        m.put("ccs_cut_score", ccs.cutScore());
        m.put("ccs_cutoff", ccs.cutoff());
        m.put("ccs_strata", ccs.strata());
        m.put("d2_score", d2.score());
        m.put("d2_cut_score", d2.cutScore());
        m.put("d2_cutoff", d2.cutoff());
        m.put("d2_neighbours", d2.neighbours());
        m.put("d2_forward_gamma", d2.forwardGamma());
        m.put("d2_reverse_gamma", d2.reverseGamma());
        m.put("prototype_clusters", prototypes.clusters());
        m.put("prototype_keep", name(prototypes.keep()));
        return m;
    }

    /** An enum constant as the command line writes it: {@code GRADIENT_NORM} is {@code gradient-norm}. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} that the command line's {@code text} names ({@code gradient-norm}
     * for {@code GRADIENT_NORM}; case does not matter).
     *
     * @throws IllegalArgumentException naming the known values
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equalsIgnoreCase(text.trim())) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(name(e));
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; known: " + known);
    }
}
