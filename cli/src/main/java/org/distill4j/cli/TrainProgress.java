package org.distill4j.cli;

import java.util.Locale;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainListener;

/** A training run's progress on a {@link Progress}: a bar per batch, a line every {@code lineEvery} epochs. */
final class TrainProgress implements TrainListener {
    private final Progress progress;
    private final String label;
    private final int epochs;
    private final int lineEvery;
    private final long start = System.nanoTime();

    TrainProgress(Progress progress, String label, int epochs, int lineEvery) {
        this.progress = progress;
        this.label = label;
        this.epochs = Math.max(1, epochs);
        this.lineEvery = Math.max(1, lineEvery);
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double acc, double ips) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double done = ((epoch - 1) + (double) batch / batches) / epochs;
        progress.bar(label + " epoch " + epoch + "/" + epochs, batch, batches,
                String.format(Locale.ROOT, "loss %.4f acc %.3f %,.0f img/s", loss, acc, ips), elapsed / done - elapsed);
    }

    @Override
    public void onEpoch(EpochStats s) {
        if (s.epoch() % lineEvery == 0 || s.epoch() == epochs) {
            progress.line(String.format(Locale.ROOT, "%s epoch %d/%d  loss %.4f  train acc %.4f%s  %.1fs", label, s.epoch(),
                    epochs, s.loss(), s.trainAccuracy(),
                    Double.isNaN(s.testAccuracy()) ? "" : String.format(Locale.ROOT, "  test acc %.4f", s.testAccuracy()),
                    s.seconds()));
        }
    }
}
