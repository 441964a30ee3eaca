package org.distill4j.options;

import java.util.Locale;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainListener;

/**
 * A training run's progress on a {@link Progress}: a bar per batch, a status during the test pass,
 * a line every {@code lineEvery} epochs with the training and test passes' times.
 */
public final class TrainProgress implements TrainListener {
    private final Progress progress;
    private final String label;
    private final int epochs;
    private final int lineEvery;
    private final long start = System.nanoTime();

    public TrainProgress(Progress progress, String label, int epochs, int lineEvery) {
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
    public void onTestStart(int epoch) {
        progress.status(label + " epoch " + epoch + "/" + epochs + ": testing ...");
    }

    @Override
    public void onEpoch(EpochStats s) {
        if (s.epoch() % lineEvery == 0 || s.epoch() == epochs) {
            progress.line(line(label + " epoch " + s.epoch() + "/" + epochs, s));
        }
    }

    /** {@code what  loss L  train acc A (S s)  test acc T (S s)}: the test pass's time as well as the training's. */
    public static String line(String what, EpochStats s) {
        return String.format(Locale.ROOT, "%s  loss %.4f  train acc %.4f (%.1f s)%s", what, s.loss(), s.trainAccuracy(),
                s.seconds(), Double.isNaN(s.testAccuracy()) ? ""
                        : String.format(Locale.ROOT, "  test acc %.4f (%.1f s)", s.testAccuracy(), s.testSeconds()));
    }
}
