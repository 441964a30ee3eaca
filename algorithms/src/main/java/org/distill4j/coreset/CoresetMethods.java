package org.distill4j.coreset;

import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coreset methods by command-line name. Each name maps to a class of this package (or of
 * {@code submodular}) that is found by reflection, so a build that lacks one still offers the
 * others and says plainly which is missing.
 */
public final class CoresetMethods {
    /** A class and the one string its constructor takes (null: a no-argument constructor). */
    private record Entry(String className, String argument) {
    }

    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        String p = "org.distill4j.coreset.";
        TABLE.put("uniform", new Entry(p + "Uniform", null));
        TABLE.put("full", new Entry(p + "Full", null));
        TABLE.put("herding", new Entry(p + "Herding", null));
        TABLE.put("kcenter", new Entry(p + "KCenterGreedy", null));
        TABLE.put("contextual-diversity", new Entry(p + "ContextualDiversity", null));
        TABLE.put("least-confidence", new Entry(p + "LeastConfidence", null));
        TABLE.put("entropy", new Entry(p + "Entropy", null));
        TABLE.put("margin", new Entry(p + "Margin", null));
        TABLE.put("forgetting", new Entry(p + "Forgetting", null));
        TABLE.put("grand", new Entry(p + "GraNd", null));
        TABLE.put("el2n", new Entry(p + "EL2N", null));
        TABLE.put("importance", new Entry(p + "ImportanceSampling", null));
        TABLE.put("deepfool", new Entry(p + "DeepFool", null));
        TABLE.put("cal", new Entry(p + "Cal", null));
        TABLE.put("craig", new Entry(p + "Craig", null));
        TABLE.put("gradmatch", new Entry(p + "GradMatch", null));
        TABLE.put("glister", new Entry(p + "Glister", null));
        TABLE.put("facility-location", new Entry(p + "submodular.SubmodularSelection", "facility-location"));
        TABLE.put("graph-cut", new Entry(p + "submodular.SubmodularSelection", "graph-cut"));
        TABLE.put("log-determinant", new Entry(p + "submodular.SubmodularSelection", "log-determinant"));
    }

    /** Every method name, in the order the project documents them. */
    public static final List<String> NAMES = List.copyOf(TABLE.keySet());

    private CoresetMethods() {
    }

    /**
     * A new instance of the method called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones), or
     *                                  "method X is not available in this build" when its class is missing
     */
    public static CoresetMethod byName(String name) {
        Entry e = TABLE.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown coreset method '" + name + "'; known: " + String.join(", ", NAMES));
        }
        Class<?> type;
        try {
            type = Class.forName(e.className());
        } catch (ClassNotFoundException missing) {
            throw new IllegalArgumentException("method " + name + " is not available in this build");
        }
        try {
            Object o = e.argument() == null ? type.getConstructor().newInstance()
                    : type.getConstructor(String.class).newInstance(e.argument());
            return (CoresetMethod) o;
        } catch (InvocationTargetException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (ReflectiveOperationException | ClassCastException broken) {
            throw new IllegalStateException("method " + name + ": " + e.className()
                    + " is not a CoresetMethod with the expected public constructor (" + broken + ")", broken);
        }
    }

    /** Whether {@code name}'s class is in this build. */
    public static boolean available(String name) {
        Entry e = TABLE.get(name);
        if (e == null) {
            return false;
        }
        try {
            Class.forName(e.className(), false, CoresetMethods.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException missing) {
            return false;
        }
    }
}
