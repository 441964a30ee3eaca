package org.distill4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.protocol.ProtocolResults;

/**
 * What {@link BenchReport#plot} draws: per line (a method) and fraction, a mean accuracy with its
 * sample std. The coreset protocol's rows and cells are the library's
 * ({@link org.distill4j.coreset.protocol.ProtocolResults}); the quickstart report draws its own points.
 */
final class BenchResults {
    private BenchResults() {
    }

    /** A point of the plot: mean and sample std (NaN: no error bar) of accuracy over {@code runs} runs, mean selection seconds. */
    record Cell(double mean, double sampleStd, int runs, double selectionSeconds) {
    }

    /** The protocol's cells as points of the plot, in the same order. */
    static Map<String, Map<Double, Cell>> points(Map<String, Map<Double, ProtocolResults.Cell>> cells) {
        Map<String, Map<Double, Cell>> out = new LinkedHashMap<>();
        cells.forEach((method, byFraction) -> {
            Map<Double, Cell> m = new TreeMap<>();
            byFraction.forEach((f, c) -> m.put(f, new Cell(c.mean(), c.sampleStd(), c.runs(), c.selectionSeconds())));
            out.put(method, m);
        });
        return out;
    }
}
