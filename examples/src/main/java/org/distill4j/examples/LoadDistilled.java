package org.distill4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.distill4j.data.DataSets;
import org.distill4j.data.Normalization;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.distill.DistilledSet;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.nn.Params;
import org.distill4j.train.SampleStats;

/**
 * Load a distilled set saved by {@link DistillAndSave} (or {@code distill4j distill}) and measure
 * it two ways: replay its steps with its learned rates on fresh networks, and train networks on
 * its images the ordinary way.
 *
 * <p>{@code LoadDistilled [DIR [MODELS [TRAIN_EPOCHS]]]}: defaults distilled, 20 networks (a
 * fixed-init set uses its kept initialisations instead), 50 epochs of ordinary training.
 */
public final class LoadDistilled {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "distilled");
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int trainEpochs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        DistilledEvaluation.Result r = evaluate(dir, models, trainEpochs);
        System.out.println("replayed steps:    " + summary(r.replay()));
        System.out.println("ordinary training: " + summary(r.ordinaryTraining()));
    }

    public static DistilledEvaluation.Result evaluate(Path dir, int models, int trainEpochs) throws IOException {
        // Checks every file against the checksums in meta.json: a changed or swapped file is refused here.
        DistilledSet set = DistilledSet.read(dir);
        // The set lives in the normalised pixel space it was learned in: the test images must get the same
        // normalisation, not one fitted again (the data set and model names come from meta.json too).
        Normalization norm = set.normalization().orElseThrow(() -> new IOException(dir + ": no normalisation recorded"));
        Splits data = DataSets.loadNormalized(set.dataset().orElseThrow(), null, norm);
        Model model = Models.byName(set.model().orElseThrow(), data.train().imageShape(), data.train().classes());
        // Fixed init: the initialisations the set was learned for; random init: unseen ones.
        Params[] inits = DistilledEvaluation.evaluationInits(model, set, models);
        return DistilledEvaluation.evaluate(model, set, data.test(), inits, trainEpochs, set.seed().orElse(0));
    }

    private static String summary(SampleStats s) {
        String std = s.sampleStd().isPresent() ? String.format(" +- %.4f", s.sampleStd().getAsDouble()) : "";
        return String.format("test accuracy %.4f%s over %d network(s)", s.mean(), std, s.n());
    }
}
