package org.distill4j.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.distill4j.train.EpochStats;
import org.distill4j.train.TrainListener;

/**
 * Progress of a benchmark, one line per stage or epoch on stderr, so that stdout holds only the
 * figures (and --json). The cli draws bars; a benchmark's stages are few and its lines are enough.
 */
final class Progress {
    private final PrintWriter err;

    Progress(PrintWriter err) {
        this.err = err;
    }

    synchronized void line(String text) {
        err.println(text);
        err.flush();
    }

    /** A line per epoch of a training run: {@code label epoch E/N  loss L  train acc A (S s)  test acc T (S s)}. */
    TrainListener training(String label, int epochs) {
        return new TrainListener() {
            @Override
            public void onEpoch(EpochStats s) {
                line(String.format(Locale.ROOT, "%s epoch %d/%d  loss %.4f  train acc %.4f (%.1f s)%s", label, s.epoch(),
                        Math.max(1, epochs), s.loss(), s.trainAccuracy(), s.seconds(), Double.isNaN(s.testAccuracy()) ? ""
                                : String.format(Locale.ROOT, "  test acc %.4f (%.1f s)", s.testAccuracy(), s.testSeconds())));
            }
        };
    }

    /** {@code n} and the noun, singular for 1: "1 epoch", "3 epochs", "1,000 images". */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
