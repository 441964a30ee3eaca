package org.distill4j.coreset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Selection run by an engine outside this JVM's arrays, on data that need not fit in memory: the
 * optional {@code distill4j-spark} module provides one named {@code spark}. Engines are found at run
 * time with {@link ServiceLoader}, so nothing that depends on this module gets the engine's
 * libraries on its classpath.
 */
public interface SelectionEngine {
    /** The name {@code select --engine NAME} asks for. */
    String name();

    /** The methods this engine runs, by command-line name. */
    List<String> methods();

    /**
     * What to select from and how.
     *
     * @param data       a folder of {@code images.npy} + {@code labels.npy} rows {@code [N, D]}, a folder of such
     *                   shards, or Parquet (columns id, label, features)
     * @param budget     examples to keep, or 0 when {@code fraction} says
     * @param fraction   fraction to keep in (0, 1], or NaN when {@code budget} says
     * @param master     the engine's master (Spark: {@code local[2]}, {@code spark://host:7077}, ...), or null for its default
     * @param partitions how many parts the data are split into (0: the engine's choice)
     */
    record Request(Path data, String method, int budget, double fraction, boolean balance, long seed, String master,
                   int partitions) {
    }

    /**
     * A selection and what is needed to write it as {@code select} does without the data set in
     * memory: the data set's record and the label of each selected example, in selection order.
     *
     * @param objective the method's objective for the selection, or null when the method has none
     * @param perClass  selected examples per class
     */
    record Result(Selection selection, Selection.DataRecord data, int[] labels, int classes, int[] perClass,
                  Objective.Value objective) {
    }

    /** Runs the selection; {@code progress} gets one line at a time. Bad input is an {@link IllegalArgumentException}. */
    Result select(Request request, Consumer<String> progress) throws IOException;

    /** The engine called {@code name} on the classpath, if any. */
    static Optional<SelectionEngine> find(String name) {
        for (SelectionEngine e : ServiceLoader.load(SelectionEngine.class)) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
