package org.distill4j.tour;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.coreset.protocol.ProtocolTable;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.data.WeightedSubset;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.train.Evaluator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/**
 * The quickstart tour: the whole toolkit once, on a data set of 28x28 images and LeNet.
 * <ol>
 * <li>A LeNet trained on all the training data; its test accuracy is the reference, and it is the
 * selection model (it records per-epoch correctness, so {@code select --selection-epochs E} trains
 * exactly this network).</li>
 * <li>For each fraction (smallest first) and method: select, write the selection file, read it back
 * (what {@code evaluate} reads), train a fresh LeNet on it and test it.</li>
 * <li>Dataset distillation (Wang et al. 2018): one image per class, one fixed initialisation, one
 * step tensor over 3 epochs (3 learned steps); the images replayed and trained on the ordinary way.</li>
 * </ol>
 *
 * <pre>{@code
 * TourResult r = Tour.run(TourConfig.fast(), (Path) null, Path.of("selections"), new TourListener() {});
 * r.baseline().testAccuracy();          // LeNet on all data
 * r.coresets().get(0).testAccuracy();   // uniform at 0.1%
 * r.distilled().replayAccuracy();       // 10 distilled images, replayed
 * }</pre>
 */
public final class Tour {
    private Tour() {
    }

    /**
     * Loads {@code config.dataset()} (from {@code dataDir}, or its default folder when null),
     * normalised with the training split's statistics as train, select and evaluate do, and
     * {@link #run(TourConfig, Splits, Path, TourListener) runs} the tour on it.
     */
    public static TourResult run(TourConfig config, Path dataDir, Path selections, TourListener listener) throws IOException {
        long start = System.nanoTime();
        listener.onLoading(config.dataset());
        Splits data = DataSets.loadNormalized(config.dataset(), dataDir, null);
        return run(config, data, selections, listener, start);
    }

    /**
     * Runs the tour on {@code data}, {@code config.dataset()} loaded and normalised. The selection
     * files go to the folder {@code selections} (made if missing), one per run, named
     * {@code METHOD-PERCENT.csv} ({@code herding-0.1pct.csv}); the caller owns them.
     */
    public static TourResult run(TourConfig config, Splits data, Path selections, TourListener listener) throws IOException {
        return run(config, data, selections, listener, System.nanoTime());
    }

    private static TourResult run(TourConfig config, Splits data, Path selections, TourListener listener, long start)
            throws IOException {
        Dataset train = data.train();
        Dataset test = data.test();
        Model net = Models.byName(TourConfig.MODEL, train.imageShape(), train.classes());

        listener.onBaselineStart(train.size(), config.epochs());
        TrainConfig cfg = TrainConfig.sgd(config.epochs(), TourConfig.BATCH_SIZE, TourConfig.LR, TourConfig.MOMENTUM, config.seed());
        TrainResult full = Trainer.train(net, train, null, test, cfg.recordingCorrectness(), listener.baselineTraining());
        TourResult.Baseline baseline = new TourResult.Baseline(train.size(), config.epochs(), full.finalTestAccuracy(),
                full.trainSeconds());
        listener.onBaseline(baseline);

        SelectionContext ctx = new SelectionContext(train, net, full.params(), full.correctness(), config.seed(), true);
        long t0 = System.nanoTime();
        ctx.embeddings();
        ctx.probabilities();
        double contextSeconds = (System.nanoTime() - t0) / 1e9;
        listener.onSelectionContext(contextSeconds);

        int runs = config.methods().size() * config.fractions().size();
        listener.onCoresetsStart(config.methods(), config.fractions(), config.subsetEpochs(), runs);
        List<TourResult.CoresetRow> rows = new ArrayList<>();
        for (double f : config.fractions()) {
            for (String method : config.methods()) {
                TourRun run = new TourRun(rows.size() + 1, runs, method, f, config.subsetEpochs(f));
                TourResult.CoresetRow row = coreset(run, ctx, test, net, cfg.withEpochs(run.epochs()), selections, listener, config);
                rows.add(row);
                listener.onCoreset(run, row);
            }
        }

        TourResult.Distilled distilled = distill(config, data, listener);
        return new TourResult(baseline, rows, distilled, contextSeconds, (System.nanoTime() - start) / 1e9);
    }

    /** What a selection file records beside the method's own settings, as {@code select} records it. */
    private static Map<String, Object> recipe(TourConfig config, TourRun run, int budget) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", config.dataset());
        r.put("budget", budget);
        r.put("fraction", run.fraction());
        r.put("balance", true);
        r.put("seed", config.seed());
        r.put("model", TourConfig.MODEL);
        r.put("selection_epochs", config.epochs());
        r.put("batch_size", TourConfig.BATCH_SIZE);
        r.put("lr", TourConfig.LR);
        r.put("momentum", TourConfig.MOMENTUM);
        return r;
    }

    /** One coreset: select, write the selection file, read it back, train a fresh LeNet on it, test it. */
    private static TourResult.CoresetRow coreset(TourRun run, SelectionContext ctx, Dataset test, Model net, TrainConfig cfg,
                                                 Path selections, TourListener listener, TourConfig config) throws IOException {
        Dataset train = ctx.data();
        int budget = Budget.fromFraction(run.fraction(), train.size());
        long t0 = System.nanoTime();
        Selection sel = CoresetMethods.byName(run.method()).select(ctx, budget).withSettings(recipe(config, run, budget));
        double selectionSeconds = (System.nanoTime() - t0) / 1e9;
        listener.onSelected(run, sel.size(), selectionSeconds);
        Path csv = selections.resolve(run.method() + "-" + ProtocolTable.percent(run.fraction()).replace("%", "pct") + ".csv");
        Files.createDirectories(selections);
        sel.writeCsv(csv, train);
        WeightedSubset subset = WeightedSubset.readCsv(csv);
        TrainResult r = Trainer.train(net, train, subset, null, cfg, listener.coresetTraining(run));
        listener.onTesting(run);
        long testStart = System.nanoTime();
        double accuracy = Evaluator.accuracy(net, r.params(), test);
        double testSeconds = (System.nanoTime() - testStart) / 1e9;
        return new TourResult.CoresetRow(run.method(), run.fraction(), sel.size(), selectionSeconds, csv, cfg.epochs(),
                r.trainSeconds(), accuracy, testSeconds);
    }

    /** Stage 3: one image per class, fixed init, 1 step tensor x 3 epochs = 3 learned steps; replayed and trained on. */
    private static TourResult.Distilled distill(TourConfig config, Splits data, TourListener listener) {
        DistillConfig cfg = DistillConfig.builder().ipc(1).steps(1).epochs(3).iterations(config.distillIterations())
                .batchReal(config.batchReal()).seed(config.seed()).init(DistillConfig.Init.FIXED).build();
        Model m = Models.byName(TourConfig.MODEL, data.train().imageShape(), data.train().classes());
        listener.onDistillStart(cfg.ipc() * data.train().classes(), cfg.iterations());
        long start = System.nanoTime();
        DistilledSet set = UnrolledDistiller.distill(m, data, config.dataset(), cfg, DType.F32,
                (it, total, loss, seconds, acc) -> listener.onDistillIteration(it, total, loss, (System.nanoTime() - start) / 1e9));
        double seconds = (System.nanoTime() - start) / 1e9;
        Params[] inits = DistilledEvaluation.evaluationInits(m, set, 1);
        DistilledEvaluation.Result evaluation = DistilledEvaluation.evaluate(m, set, data.test(), inits,
                TourConfig.DISTILLED_TRAIN_EPOCHS, config.seed());
        TourResult.Distilled distilled = new TourResult.Distilled(set, data.norm(), cfg, evaluation, seconds);
        listener.onDistilled(distilled);
        return distilled;
    }
}
