package org.distill4j.cli;

import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.SyntheticSetEvaluation;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.distill.augment.Dsa;
import picocli.CommandLine.Option;

/** The papers' evaluation protocol ({@code evaluate_synset}): its settings, with the reference defaults. */
public final class ProtocolOptions {
    @Option(names = "--num-eval", defaultValue = "5", paramLabel = "N",
            description = "Protocol: fresh networks trained on the synthetic set (the reference: 20).")
    int numEval;

    @Option(names = "--epoch-eval-train", paramLabel = "N",
            description = "Protocol: training epochs (default: 1000 for DSA, DM and MTT sets, 300 for DC and wang2018 sets).")
    Integer epochs;

    @Option(names = "--lr-net", defaultValue = "0.01", paramLabel = "LR",
            description = "SGD rate of the networks: the protocol's (momentum 0.9, weight decay 5e-4, x0.1 after half the epochs) and dc/dsa's inner loop (the reference's one lr_net).")
    double lrNet;

    @Option(names = "--batch-train", defaultValue = "256", paramLabel = "N", description = "Batch size of the protocol's training and of dc/dsa's inner loop (the reference's one batch_train).")
    int batchTrain;

    @Option(names = "--eval-augment", defaultValue = "auto", paramLabel = "auto|dsa|none",
            description = "Protocol: augmentation of the training batches (auto: DSA for DSA, DM and MTT sets, none otherwise).")
    String augment;

    @Option(names = "--eval-seed", defaultValue = "0", paramLabel = "SEED", description = "Protocol: seed of the networks, batches and augmentation.")
    long seed;

    /** The protocol for a set made by {@code method}, DSA taking {@code dsa}'s settings (one draw per image). */
    SyntheticSetEvaluation.Config config(DistillMethod method, DsaOptions dsa) {
        if (!augment.equals("auto") && !augment.equals("dsa") && !augment.equals("none")) {
            throw new IllegalArgumentException("--eval-augment must be auto, dsa or none, got '" + augment + "'");
        }
        SyntheticSetEvaluation.Config base = SyntheticSetEvaluation.Config.forMethod(method);
        boolean useDsa = augment.equals("auto") ? method.evaluatedWithDsa() : augment.equals("dsa");
        Augmentation aug = Augmentation.NONE;
        if (useDsa) {
            String strategy = dsa == null || dsa.strategy.equals("none") ? Dsa.DEFAULT_STRATEGY : dsa.strategy;
            aug = new Dsa(Dsa.parse(strategy), dsa == null ? Dsa.Params.defaults() : dsa.params(),
                    dsa == null ? Dsa.Mode.SINGLE : dsa.mode(), false);
        }
        int e = epochs != null ? epochs : base.epochs();
        return new SyntheticSetEvaluation.Config(numEval, e, lrNet, 0.9, 5e-4, batchTrain, aug, seed);
    }

    /** " +- std" (sample std), or nothing for a single network. */
    static String plusMinus(org.distill4j.train.SampleStats s) {
        return s.sampleStd().isPresent() ? String.format(java.util.Locale.ROOT, " +- %.4f", s.sampleStd().getAsDouble()) : "";
    }
}
