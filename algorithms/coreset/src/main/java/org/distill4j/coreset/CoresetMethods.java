package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.distill4j.coreset.submodular.StochasticGreedy;
import org.distill4j.coreset.submodular.SubmodularSelection;

/**
 * The coreset methods by command-line name: a table of constructors from {@link SelectionOptions},
 * so a renamed or removed class is a compile error rather than a failure at run time.
 */
public final class CoresetMethods {
    private static final Map<String, Function<SelectionOptions, CoresetMethod>> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("uniform", o -> new Uniform());
        TABLE.put("full", o -> new Full());
        TABLE.put("herding", o -> new Herding());
        TABLE.put("kcenter", o -> new KCenterGreedy());
        TABLE.put("contextual-diversity", o -> new ContextualDiversity());
        TABLE.put("least-confidence", o -> new LeastConfidence());
        TABLE.put("entropy", o -> new Entropy());
        TABLE.put("margin", o -> new Margin());
        TABLE.put("forgetting", o -> new Forgetting());
        TABLE.put("grand", o -> new GraNd(o.scores().models(), o.scores().grandEpoch()));
        TABLE.put("el2n", o -> new EL2N(o.scores().models(), o.scores().el2nEpoch()));
        TABLE.put("importance", o -> new ImportanceSampling(o.importance().bound(), o.importance().draws(),
                o.importance().clusters()));
        TABLE.put("deepfool", o -> new DeepFool(o.deepfoolIterations()));
        TABLE.put("cal", o -> new Cal(o.calNeighbours()));
        TABLE.put("craig", o -> new Craig());
        TABLE.put("gradmatch", o -> new GradMatch(o.gradmatchLambda()));
        TABLE.put("glister", o -> new Glister(o.glisterEta()));
        for (String f : SubmodularSelection.FUNCTIONS) {
            TABLE.put(f, o -> new SubmodularSelection(f, o.submodular().features(), o.submodular().similarity(),
                    o.submodular().optimizer(), o.submodular().lambda(), StochasticGreedy.DEFAULT_EPSILON));
        }
        TABLE.put("aum", o -> new Aum());
        TABLE.put("ccs", o -> new Ccs(scoreFor("ccs", o.ccs().score(), o), scoreFor("ccs", o.ccs().cutScore(), o),
                o.ccs().cutoff(), o.ccs().strata()));
        TABLE.put("moderate", o -> new Moderate());
        TABLE.put("d2-pruning", o -> new D2Pruning(scoreFor("d2-pruning", o.d2().score(), o),
                scoreFor("d2-pruning", o.d2().cutScore(), o), o.d2().cutoff(), o.d2().neighbours(), o.d2().forwardGamma(),
                o.d2().reverseGamma()));
        TABLE.put("prototypes", o -> new PrototypePruning(o.prototypes().clusters(), o.prototypes().keep()));
    }

    /** Every method name, in the order the project documents them. */
    public static final List<String> NAMES = List.copyOf(TABLE.keySet());

    /**
     * The methods that score every example and keep the best-scored ones: what CCS and D2 pruning
     * can stratify or cut by ({@code --ccs-score}, {@code --d2-score}, ...).
     */
    public static final List<String> SCORES = NAMES.stream()
            .filter(n -> TABLE.get(n).apply(SelectionOptions.defaults()) instanceof ScoreRanking).toList();

    /** The methods that read the selection model's per-epoch {@link TrainingDynamics}, whatever their options. */
    private static final Set<String> DYNAMICS = Set.of("aum");

    private CoresetMethods() {
    }

    /** A new instance of the method called {@code name} with its papers' defaults. */
    public static CoresetMethod byName(String name) {
        return byName(name, SelectionOptions.defaults());
    }

    /**
     * A new instance of the method called {@code name}, with {@code options}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones), or a
     *                                  score that CCS or D2 pruning cannot use
     */
    public static CoresetMethod byName(String name, SelectionOptions options) {
        Function<SelectionOptions, CoresetMethod> make = TABLE.get(name);
        if (make == null) {
            throw new IllegalArgumentException("unknown coreset method '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return make.apply(options);
    }

    /** The method {@code by} (ccs, d2-pruning) scores with: a known name, refused in one line if it ranks no scores. */
    private static CoresetMethod scoreFor(String by, String score, SelectionOptions o) {
        Function<SelectionOptions, CoresetMethod> make = TABLE.get(score);
        if (make == null) {
            throw new IllegalArgumentException(by + ": unknown score '" + score + "'; scores: " + String.join(", ", SCORES));
        }
        CoresetMethod m = make.apply(o);
        return Ccs.scorer(by, m);
    }

    /**
     * Whether the method {@code name} with {@code options} reads the selection model's per-epoch
     * {@link TrainingDynamics} (AUM, importance sampling's loss and gradient-norm bounds, CCS and D2
     * pruning by AUM), so that a caller can record them while the selection model trains instead of
     * training it again ({@link SelectionContext#dynamics}).
     */
    public static boolean needsDynamics(String name, SelectionOptions options) {
        return switch (name) {
            case "importance" -> options.importance().bound() != ImportanceSampling.Bound.KMEANS;
            case "ccs" -> DYNAMICS.contains(options.ccs().score()) || DYNAMICS.contains(options.ccs().cutScore());
            case "d2-pruning" -> DYNAMICS.contains(options.d2().score()) || DYNAMICS.contains(options.d2().cutScore());
            default -> DYNAMICS.contains(name);
        };
    }

    /**
     * Whether {@code name} is a known method. Every method is compiled into this module, so this
     * is {@code NAMES.contains(name)}; kept for callers written when classes were looked up by name.
     */
    public static boolean available(String name) {
        return TABLE.containsKey(name);
    }
}
