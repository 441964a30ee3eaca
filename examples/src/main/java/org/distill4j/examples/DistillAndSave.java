package org.distill4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import org.distill4j.data.DataSets;
import org.distill4j.data.Splits;
import org.distill4j.distill.DistillConfig;
import org.distill4j.distill.DistilledSet;
import org.distill4j.distill.UnrolledDistiller;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;

/**
 * Dataset distillation (Wang, Zhu, Torralba, Efros 2018): learn one synthetic image per class and
 * three learning rates such that three gradient steps on those images train a network, then save
 * them as a folder that {@link LoadDistilled} and {@code distill4j evaluate-distilled} read.
 *
 * <p>{@code DistillAndSave [DATASET [OUT [ITERATIONS [MODEL]]]]}: defaults fashion-mnist,
 * distilled, 500 iterations (the quickstart's), lenet (any of mlp, lenet, convnet, ...).
 */
public final class DistillAndSave {
    public static void main(String[] args) throws IOException {
        String dataset = args.length > 0 ? args[0] : "fashion-mnist";
        Path out = Path.of(args.length > 1 ? args[1] : "distilled");
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String model = args.length > 3 ? args[3] : "lenet";
        DistilledSet set = distill(dataset, out, iterations, model);
        System.out.println("saved " + set.images().dim(1) + " images and " + set.lrs().length + " learning rates to " + out);
    }

    public static DistilledSet distill(String dataset, Path out, int iterations, String modelName) throws IOException {
        // Check the output folder before the long work: a folder of yours there is refused now, not after it.
        Output output = Output.check(out, OutputKinds.DISTILLED_SET, false);
        // Normalised with the training split's mean and std; the set records them, so it can be evaluated later.
        Splits data = DataSets.loadNormalized(dataset, null, null);
        Model model = Models.byName(modelName, data.train().imageShape(), data.train().classes());
        // The builder starts from the reference code's defaults; these are the quickstart's settings.
        DistillConfig cfg = DistillConfig.builder()
                .ipc(1)                          // one image per class in each step
                .steps(1).epochs(3)              // the same images for 3 steps, each with its own learned rate
                .iterations(iterations)
                .init(DistillConfig.Init.FIXED)  // the images are learned for one kept initialisation ("known init")
                .seed(0)
                .build();
        UnrolledDistiller.Listener progress = (it, total, loss, seconds, accuracy) -> {
            if (it % 50 == 0 || it == total) {  // the test accuracy is measured at the last iteration (NaN before)
                System.out.printf("iteration %d/%d: outer loss %.4f, test accuracy %.4f%n", it, total, loss, accuracy);
            }
        };
        // The dataset name is recorded with the set (with the data's fingerprint), so a reader finds the same data.
        DistilledSet set = UnrolledDistiller.distill(model, data, dataset, cfg, DType.F32, progress);
        set.save(output);   // images.npy, labels.npy, lrs.npy and meta.json (with checksums), all or nothing
        return set;
    }
}
