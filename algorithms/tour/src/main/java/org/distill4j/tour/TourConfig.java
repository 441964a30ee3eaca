package org.distill4j.tour;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.kernels.ComputeContext;

/**
 * What a {@link Tour} runs; {@link #defaults()} and {@link #fast()} are {@code distill4j quickstart}
 * and {@code distill4j quickstart --fast}. The model (LeNet), the SGD settings and the distillation's
 * shape (one image per class, fixed initialisation, three learned steps) are the tour's own: they
 * are the constants below.
 *
 * @param dataset           the data set's name or path, as {@link org.distill4j.data.DataSets#loadNormalized} takes it;
 *                          recorded in the distilled set, so that it can be evaluated on the same data later
 * @param fastVersion       whether these are {@link #fast()}'s settings (fewer epochs and iterations), as a report says
 * @param methods           coreset method names ({@link CoresetMethods#NAMES}), run in this order within a fraction
 * @param fractions         fractions of the training set to select; kept distinct and ascending, the order they run in
 * @param epochs            epochs of the reference LeNet on all the training data, also the selection model
 * @param subsetEpochs      epochs of training on a selection of up to 1% (see {@link #subsetEpochs(double)})
 * @param distillIterations outer iterations of the distillation
 * @param batchReal         real images per distillation iteration
 * @param seed              seed of every training, selection and distillation
 */
public record TourConfig(String dataset, boolean fastVersion, List<String> methods, List<Double> fractions, int epochs,
                         int subsetEpochs, int distillIterations, int batchReal, long seed) {
    public static final String DATASET = "fashion-mnist";
    public static final String MODEL = "lenet";
    public static final int BATCH_SIZE = 128;
    public static final double LR = 0.01;
    public static final double MOMENTUM = 0.9;
    /** Epochs of the ordinary training on the distilled images (the replay uses their learned steps). */
    public static final int DISTILLED_TRAIN_EPOCHS = 50;
    public static final List<String> METHODS = List.of("uniform", "herding", "kcenter", "entropy", "forgetting", "gradmatch");

    public TourConfig {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset must be named");
        }
        methods = List.copyOf(methods);
        for (String m : methods) {
            CoresetMethods.byName(m);
        }
        for (double f : fractions) {
            Budget.fromFraction(f, 1);
        }
        fractions = fractions.stream().distinct().sorted().toList();
        if (methods.isEmpty() || fractions.isEmpty()) {
            throw new IllegalArgumentException("methods and fractions: need at least one of each, got " + methods + " and " + fractions);
        }
        if (epochs < 1 || subsetEpochs < 1 || distillIterations < 1 || batchReal < 1) {
            throw new IllegalArgumentException("epochs, subsetEpochs, distillIterations and batchReal must be >= 1, got " + epochs
                    + ", " + subsetEpochs + ", " + distillIterations + ", " + batchReal);
        }
    }

    /**
     * {@code distill4j quickstart}: Fashion-MNIST, six methods at 0.1%, 1% and 10%, 3 epochs of the
     * reference LeNet, 100 on each selection, 500 distillation iterations of 1,024 real images, seed 0.
     */
    public static TourConfig defaults() {
        return new TourConfig(DATASET, false, METHODS, List.of(0.001, 0.01, 0.1), 3, 100, 500, 1024, 0);
    }

    /** {@code distill4j quickstart --fast}, about a minute: 0.1% and 1% only, 1 epoch, 40 on each selection, 30 iterations. */
    public static TourConfig fast() {
        return new TourConfig(DATASET, true, METHODS, List.of(0.001, 0.01), 1, 40, 30, 1024, 0);
    }

    /**
     * Epochs of training on a selection of {@code fraction}: {@link #subsetEpochs()} up to 1%; above,
     * fewer, so that it sees as many images as a 1% selection does.
     */
    public int subsetEpochs(double fraction) {
        return fraction <= 0.01 ? subsetEpochs : Math.max(1, (int) Math.round(subsetEpochs * 0.01 / fraction));
    }

    public TourConfig withDataset(String v) {
        return new TourConfig(v, fastVersion, methods, fractions, epochs, subsetEpochs, distillIterations, batchReal, seed);
    }

    public TourConfig withMethods(List<String> v) {
        return new TourConfig(dataset, fastVersion, v, fractions, epochs, subsetEpochs, distillIterations, batchReal, seed);
    }

    public TourConfig withFractions(List<Double> v) {
        return new TourConfig(dataset, fastVersion, methods, v, epochs, subsetEpochs, distillIterations, batchReal, seed);
    }

    public TourConfig withEpochs(int v) {
        return new TourConfig(dataset, fastVersion, methods, fractions, v, subsetEpochs, distillIterations, batchReal, seed);
    }

    public TourConfig withSubsetEpochs(int v) {
        return new TourConfig(dataset, fastVersion, methods, fractions, epochs, v, distillIterations, batchReal, seed);
    }

    public TourConfig withDistillIterations(int v) {
        return new TourConfig(dataset, fastVersion, methods, fractions, epochs, subsetEpochs, v, batchReal, seed);
    }

    public TourConfig withBatchReal(int v) {
        return new TourConfig(dataset, fastVersion, methods, fractions, epochs, subsetEpochs, distillIterations, v, seed);
    }

    public TourConfig withSeed(long v) {
        return new TourConfig(dataset, fastVersion, methods, fractions, epochs, subsetEpochs, distillIterations, batchReal, v);
    }

    /**
     * The settings as a report records them, with the device and thread count of the current
     * compute context (the ones the tour runs in).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("fast", fastVersion);
        s.put("dataset", dataset);
        s.put("model", MODEL);
        s.put("device", ComputeContext.current().backend().name());
        s.put("threads", ComputeContext.current().threads());
        s.put("seed", seed);
        s.put("epochs", epochs);
        s.put("batch_size", BATCH_SIZE);
        s.put("lr", LR);
        s.put("momentum", MOMENTUM);
        s.put("methods", methods);
        s.put("fractions", fractions);
        s.put("subset_epochs", subsetEpochs);
        s.put("distill_iterations", distillIterations);
        s.put("batch_real", batchReal);
        return s;
    }
}
