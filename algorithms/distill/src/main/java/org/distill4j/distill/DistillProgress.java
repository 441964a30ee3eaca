package org.distill4j.distill;

/**
 * Progress of a matching distiller (DC, MTT) after one outer iteration: its loss, the speed since
 * the run (or its resumption) started, and the time left at that speed.
 *
 * @param iteration          iterations done, counting those of a resumed checkpoint
 * @param iterations         iterations in all
 * @param loss               the iteration's loss (DC: the matching loss averaged over classes and outer
 *                           steps; MTT: the normalised parameter distance)
 * @param iterationsPerSecond iterations per second since this process started iterating
 * @param etaSeconds         seconds left at that speed
 */
public record DistillProgress(int iteration, int iterations, double loss, double iterationsPerSecond, double etaSeconds) {

    /** What a matching distiller reports as it goes. */
    public interface Listener {
        /** After every outer iteration. */
        default void onIteration(DistillProgress progress) {
        }

        /** A checkpoint was resumed at {@code iteration} (before any work). */
        default void onResume(int iteration, java.nio.file.Path checkpoint) {
        }

        /** A checkpoint was written after {@code iteration}. */
        default void onCheckpoint(int iteration, java.nio.file.Path checkpoint) {
        }

        Listener NONE = new Listener() {
        };
    }

    /** Progress from the iteration, its loss and the clock since {@code firstIteration} began. */
    static DistillProgress of(int iteration, int iterations, double loss, int firstIteration, long startNanos) {
        double secs = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
        double rate = (iteration - firstIteration) / secs;
        return new DistillProgress(iteration, iterations, loss, rate, rate > 0 ? (iterations - iteration) / rate : Double.NaN);
    }
}
