package org.distill4j.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distill4j.coreset.Budget;
import org.distill4j.data.Dataset;
import org.distill4j.data.NpyFolder;
import org.distill4j.data.WeightedSubset;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.TrainListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tour end to end on a tiny synthetic data set of LeNet-sized images: its rows, its files, its events in order. */
class TourTest {
    @TempDir
    Path tmp;

    /** 1x28x28 images of 10 classes: class c lights up rows 2c and 2c + 1, plus noise. */
    static Dataset synthetic(int n, long seed) {
        float[] pixels = Tensor.randn(new Generator(seed), DType.F32, n, 1, 28, 28).toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int x = 0; x < 2 * 28; x++) {
                pixels[i * 784 + 2 * labels[i] * 28 + x] += 3f;
            }
        }
        return new Dataset("synthetic", Tensor.fromFloats(pixels, n, 1, 28, 28), labels, 10);
    }

    @Test
    void rowsForEveryMethodAndFractionAndEventsInOrder() throws IOException {
        Path data = tmp.resolve("data");
        NpyFolder.write(data.resolve("train"), synthetic(100, 1));
        NpyFolder.write(data.resolve("test"), synthetic(30, 2));
        TourConfig config = TourConfig.fast().withDataset(data.toString()).withMethods(List.of("uniform", "herding", "forgetting"))
                .withFractions(List.of(0.2, 0.1, 0.2)).withEpochs(1).withSubsetEpochs(1).withDistillIterations(2).withBatchReal(20);
        assertEquals(List.of(0.1, 0.2), config.fractions(), "distinct, smallest first");
        List<String> events = new ArrayList<>();
        Path selections = tmp.resolve("selections");
        TourResult r;
        try (ComputeContext ignored = ComputeContext.cpu().threads(1).open()) {
            r = Tour.run(config, (Path) null, selections, new Recorder(events));
        }

        assertEquals(100, r.baseline().examples());
        assertInUnitInterval(r.baseline().testAccuracy());
        assertEquals(6, r.coresets().size());
        int i = 0;
        for (double f : List.of(0.1, 0.2)) {
            for (String m : config.methods()) {
                TourResult.CoresetRow row = r.coresets().get(i++);
                assertEquals(m, row.method());
                assertEquals(f, row.fraction());
                assertEquals(Budget.fromFraction(f, 100), row.selected(), row.toString());
                assertEquals(1, row.epochs());
                assertInUnitInterval(row.testAccuracy());
                assertEquals(selections, row.file().getParent());
                assertEquals(row.selected(), WeightedSubset.readCsv(row.file()).indices().length, row.file().toString());
            }
        }
        assertEquals(selections.resolve("herding-10pct.csv"), r.coresets().get(1).file());
        assertEquals(10, r.distilled().set().flatHardLabels().length);
        assertEquals(3, r.distilled().set().lrs().length);
        assertEquals(data.toString(), r.distilled().set().meta().get("dataset"));
        assertInUnitInterval(r.distilled().replayAccuracy());
        assertInUnitInterval(r.distilled().ordinaryAccuracy());
        assertTrue(r.contextSeconds() >= 0 && r.totalSeconds() >= r.distilled().seconds(), r.toString());

        List<String> expected = new ArrayList<>(List.of("loading " + data, "baseline start 100 1", "baseline batch",
                "baseline 100", "context", "coresets [uniform, herding, forgetting] [0.1, 0.2] 6"));
        int n = 0;
        for (double f : List.of(0.1, 0.2)) {
            for (String m : config.methods()) {
                n++;
                int budget = Budget.fromFraction(f, 100);
                expected.addAll(List.of("selected " + n + "/6 " + m + " " + f + " " + budget, "train " + n, "testing " + n,
                        "row " + n + " " + m + " " + f));
            }
        }
        expected.addAll(List.of("distill start 10 2", "iteration 1/2", "iteration 2/2", "distilled"));
        assertEquals(expected, events);
        try (var files = Files.list(selections)) {
            assertEquals(6, files.count());
        }
    }

    private static void assertInUnitInterval(double accuracy) {
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
    }

    /** Each event as a line; a training reports its first batch only, so the list does not depend on batch counts. */
    private record Recorder(List<String> events) implements TourListener {
        @Override
        public void onLoading(String dataset) {
            events.add("loading " + dataset);
        }

        @Override
        public void onBaselineStart(int examples, int epochs) {
            events.add("baseline start " + examples + " " + epochs);
        }

        @Override
        public TrainListener baselineTraining() {
            return firstBatch("baseline batch");
        }

        @Override
        public void onBaseline(TourResult.Baseline baseline) {
            events.add("baseline " + baseline.examples());
        }

        @Override
        public void onSelectionContext(double seconds) {
            events.add("context");
        }

        @Override
        public void onCoresetsStart(List<String> methods, List<Double> fractions, int subsetEpochs, int runs) {
            events.add("coresets " + methods + " " + fractions + " " + runs);
        }

        @Override
        public void onSelected(TourRun run, int selected, double seconds) {
            events.add("selected " + run.number() + "/" + run.runs() + " " + run.method() + " " + run.fraction() + " " + selected);
        }

        @Override
        public TrainListener coresetTraining(TourRun run) {
            return firstBatch("train " + run.number());
        }

        @Override
        public void onTesting(TourRun run) {
            events.add("testing " + run.number());
        }

        @Override
        public void onCoreset(TourRun run, TourResult.CoresetRow row) {
            events.add("row " + run.number() + " " + row.method() + " " + row.fraction());
        }

        @Override
        public void onDistillStart(int images, int iterations) {
            events.add("distill start " + images + " " + iterations);
        }

        @Override
        public void onDistillIteration(int iteration, int iterations, double loss, double elapsedSeconds) {
            events.add("iteration " + iteration + "/" + iterations);
        }

        @Override
        public void onDistilled(TourResult.Distilled distilled) {
            events.add("distilled");
        }

        private TrainListener firstBatch(String event) {
            return new TrainListener() {
                @Override
                public void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {
                    if (epoch == 1 && batch == 1) {
                        events.add(event);
                    }
                }
            };
        }
    }
}
