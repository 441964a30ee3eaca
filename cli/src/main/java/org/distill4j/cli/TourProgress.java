package org.distill4j.cli;

import java.util.List;
import java.util.Locale;
import org.distill4j.options.Progress;
import org.distill4j.options.TrainProgress;
import org.distill4j.tour.TourListener;
import org.distill4j.tour.TourResult;
import org.distill4j.tour.TourRun;
import org.distill4j.train.TrainListener;

/** The quickstart tour's progress on a {@link Progress}: a line per stage and run ([1/4] to [3/4]), bars in between. */
final class TourProgress implements TourListener {
    private final Progress progress;
    private final boolean fast;
    private int baselineEpochs;

    TourProgress(Progress progress, boolean fast) {
        this.progress = progress;
        this.fast = fast;
    }

    @Override
    public void onLoading(String dataset) {
        progress.line("[1/4] loading Fashion-MNIST" + (fast ? " (fast version: fewer epochs and iterations)" : ""));
    }

    @Override
    public void onBaselineStart(int examples, int epochs) {
        baselineEpochs = epochs;
        progress.line(String.format(Locale.ROOT, "[1/4] training LeNet on all %,d training images, %s", examples,
                Progress.count(epochs, "epoch")));
    }

    @Override
    public TrainListener baselineTraining() {
        return new TrainProgress(progress, "      LeNet", baselineEpochs, 1);
    }

    @Override
    public void onBaseline(TourResult.Baseline b) {
        progress.line(String.format(Locale.ROOT, "[1/4] LeNet, all data: test accuracy %.2f%% (%.0f s)", 100 * b.testAccuracy(),
                b.trainSeconds()));
    }

    @Override
    public void onCoresetsStart(List<String> methods, List<Double> fractions, int subsetEpochs, int runs) {
        progress.line(String.format(Locale.ROOT, "[2/4] coresets: %s at %s; a fresh LeNet trained %s%s on each, %s",
                String.join(", ", methods), String.join(", ", fractions.stream().map(BenchReport::percent).toList()),
                Progress.count(subsetEpochs, "epoch"), fractions.stream().anyMatch(f -> f > 0.01) ? " (fewer above 1%)" : "",
                Progress.count(runs, "run")));
    }

    private static String label(TourRun run) {
        return String.format(Locale.ROOT, "%s %s", run.method(), BenchReport.percent(run.fraction()));
    }

    @Override
    public TrainListener coresetTraining(TourRun run) {
        return new TrainListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double acc, double ips) {
                progress.bar(String.format(Locale.ROOT, "[%d/%d] %s epoch %d/%d", run.number(), run.runs(), label(run), epoch,
                        run.epochs()), epoch - 1, run.epochs(), String.format(Locale.ROOT, "loss %.4f", loss), Double.NaN);
            }
        };
    }

    @Override
    public void onTesting(TourRun run) {
        progress.status(String.format(Locale.ROOT, "[%d/%d] %s: testing ...", run.number(), run.runs(), label(run)));
    }

    @Override
    public void onCoreset(TourRun run, TourResult.CoresetRow r) {
        progress.line(String.format(Locale.ROOT, "[2/4] %-18s %,5d images, selected in %6.2f s, trained in %5.1f s, "
                        + "test accuracy %.2f%% (%.1f s)", label(run), r.selected(), r.selectionSeconds(), r.trainSeconds(),
                100 * r.testAccuracy(), r.testSeconds()));
    }

    @Override
    public void onDistillStart(int images, int iterations) {
        progress.line(String.format(Locale.ROOT, "[3/4] distilling %d images (1 per class, fixed init, 3 learned steps), %s",
                images, Progress.count(iterations, "iteration")));
    }

    @Override
    public void onDistillIteration(int it, int total, double loss, double elapsed) {
        double left = elapsed / it * (total - it);
        String figures = String.format(Locale.ROOT, "loss %.4f", loss);
        progress.bar("[3/4] distill", it, total, figures, left);
        int every = Math.max(1, total / 5);
        if (!progress.terminal() && (it % every == 0 || it == total)) {
            progress.line(String.format(Locale.ROOT, "      iteration %d/%d  %s  ETA %s", it, total, figures, Progress.duration(left)));
        }
    }

    @Override
    public void onDistilled(TourResult.Distilled d) {
        progress.line(String.format(Locale.ROOT, "[3/4] distilled images: replay test accuracy %.2f%%, ordinary training %.2f%% (%.0f s)",
                100 * d.replayAccuracy(), 100 * d.ordinaryAccuracy(), d.seconds()));
    }
}
