package org.distill4j.coreset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.distill4j.coreset.submodular.SubmodularSelection;

/**
 * The coreset methods by command-line name: a table of constructors, so a renamed or removed
 * class is a compile error rather than a failure at run time.
 */
public final class CoresetMethods {
    private static final Map<String, Supplier<CoresetMethod>> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("uniform", Uniform::new);
        TABLE.put("full", Full::new);
        TABLE.put("herding", Herding::new);
        TABLE.put("kcenter", KCenterGreedy::new);
        TABLE.put("contextual-diversity", ContextualDiversity::new);
        TABLE.put("least-confidence", LeastConfidence::new);
        TABLE.put("entropy", Entropy::new);
        TABLE.put("margin", Margin::new);
        TABLE.put("forgetting", Forgetting::new);
        TABLE.put("grand", GraNd::new);
        TABLE.put("el2n", EL2N::new);
        TABLE.put("importance", ImportanceSampling::new);
        TABLE.put("deepfool", DeepFool::new);
        TABLE.put("cal", Cal::new);
        TABLE.put("craig", Craig::new);
        TABLE.put("gradmatch", GradMatch::new);
        TABLE.put("glister", Glister::new);
        TABLE.put("facility-location", () -> new SubmodularSelection("facility-location"));
        TABLE.put("graph-cut", () -> new SubmodularSelection("graph-cut"));
        TABLE.put("log-determinant", () -> new SubmodularSelection("log-determinant"));
    }

    /** Every method name, in the order the project documents them. */
    public static final List<String> NAMES = List.copyOf(TABLE.keySet());

    private CoresetMethods() {
    }

    /**
     * A new instance of the method called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static CoresetMethod byName(String name) {
        Supplier<CoresetMethod> make = TABLE.get(name);
        if (make == null) {
            throw new IllegalArgumentException("unknown coreset method '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return make.get();
    }

    /**
     * Whether {@code name} is a known method. Every method is compiled into this module, so this
     * is {@code NAMES.contains(name)}; kept for callers written when classes were looked up by name.
     */
    public static boolean available(String name) {
        return TABLE.containsKey(name);
    }
}
