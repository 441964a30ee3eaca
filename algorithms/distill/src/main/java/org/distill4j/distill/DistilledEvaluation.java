package org.distill4j.distill;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.train.Evaluator;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainListener;
import org.distill4j.train.Trainer;

/**
 * How good a distilled (or baseline) set is: test accuracy after replaying its T steps with its
 * rates on fresh networks, and after training a network on its images the ordinary way.
 */
public final class DistilledEvaluation {
    /**
     * Accuracies of several networks: mean, sample standard deviation (n - 1, NaN for a single
     * network, where it is undefined), each.
     */
    public record Stats(double mean, double sampleStd, double[] each) {
        static Stats of(double[] v) {
            double m = 0;
            for (double x : v) {
                m += x;
            }
            m /= v.length;
            double s = 0;
            for (double x : v) {
                s += (x - m) * (x - m);
            }
            return new Stats(m, v.length < 2 ? Double.NaN : Math.sqrt(s / (v.length - 1)), v.clone());
        }

        /** {@code mean}, {@code sample_std} (null for one network) and {@code n}. */
        public Map<String, Object> toMap() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("mean", mean);
            o.put("sample_std", Double.isNaN(sampleStd) ? null : sampleStd);
            o.put("n", each.length);
            return o;
        }
    }

    private DistilledEvaluation() {
    }

    /** The initialisations a set is evaluated on: the kept ones for fixed init, unseen ones otherwise. */
    public static Params[] evaluationInits(Model model, boolean fixedInit, long seed, int models, DType dtype) {
        Params[] out = new Params[models];
        for (int i = 0; i < models; i++) {
            out[i] = fixedInit ? Initializations.fixed(model, seed, i, dtype) : Initializations.evaluation(model, seed, i, dtype);
        }
        return out;
    }

    /** Replays the set's steps and rates from each initialisation; test accuracy of the results. */
    public static Stats replay(Model model, DistilledSet set, Dataset test, Params[] inits) {
        DistilledLeaves leaves = set.leaves(inits[0].dtype());
        double[] acc = new double[inits.length];
        for (int i = 0; i < inits.length; i++) {
            acc[i] = Evaluator.accuracy(model, UnrolledTraining.train(model, inits[i], leaves), test);
        }
        return Stats.of(acc);
    }

    /** Ordinary training on the set's images (hard labels, SGD with momentum, shuffled mini-batches). */
    public static Stats trainOrdinary(Model model, DistilledSet set, Dataset test, Params[] inits, int epochs, double lr,
                                      long seed) {
        Dataset data = new Dataset("distilled", set.flatImages().copy(DType.F32), set.flatHardLabels(),
                model.classes());
        int batch = Math.min(256, data.size());
        double[] acc = new double[inits.length];
        for (int i = 0; i < inits.length; i++) {
            TrainConfig cfg = TrainConfig.sgd(epochs, batch, lr, 0.9, seed + i);
            Params p = inits[i].copy();
            Trainer.train(model, p, data, null, null, cfg, TrainListener.NONE);
            acc[i] = Evaluator.accuracy(model, p, test);
        }
        return Stats.of(acc);
    }
}
