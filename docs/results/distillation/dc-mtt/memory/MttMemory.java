import java.nio.file.*;
import java.util.*;
import org.distill4j.data.*;
import org.distill4j.distill.*;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.kernels.*;
import org.distill4j.nn.*;
import org.distill4j.tensor.*;

/** Peak sampled heap of MTT iterations (ConvNet-3, Fashion-MNIST shapes, ipc given, batch-syn all) at one syn-steps and memory mode. */
public class MttMemory {
    public static void main(String[] a) throws Exception {
        int ipc = Integer.parseInt(a[0]);
        int steps = Integer.parseInt(a[1]);
        UnrolledTraining.Memory mode = UnrolledTraining.Memory.valueOf(a[2]);
        ComputeContext.builder().threads(2).open();
        int n = 10 * ipc;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        Dataset train = new Dataset("random", Tensor.randn(new Generator(1), DType.F32, n, 1, 28, 28), labels, 10);
        Splits splits = new Splits(train, null, Normalization.of(new double[]{0}, new double[]{1}));
        Model convnet = Models.convnet(new int[]{1, 28, 28}, 10, 128, 3);
        Path dir = Files.createTempDirectory("mtt-mem");
        ExpertTrajectories.train(convnet, splits, "random", ExpertConfig.builder().experts(1).epochs(2).lr(0.1).build(),
                Augmentation.NONE, "none", dir.resolve("e"), false, ExpertTrajectories.Listener.NONE);
        ExpertTrajectories ex = ExpertTrajectories.open(dir.resolve("e"), convnet, train);
        TrajectoryMatchingConfig cfg = TrajectoryMatchingConfig.builder().ipc(ipc).iterations(1).synSteps(steps).expertEpochs(1)
                .maxStartEpoch(1).lrImg(1e-6).lrLr(1e-12).memory(mode).build();
        System.gc();
        long base = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long[] peak = {0};
        Thread s = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
                try { Thread.sleep(10); } catch (InterruptedException e) { return; }
            }
        });
        s.setDaemon(true);
        s.start();
        long t0 = System.nanoTime();
        String outcome = "ok";
        try {
            TrajectoryMatching.distill(convnet, splits, "random", cfg, ex, Augmentation.NONE, "none", Checkpointing.NONE,
                    DistillProgress.Listener.NONE);
        } catch (OutOfMemoryError e) {
            outcome = "OutOfMemoryError";
        }
        s.interrupt();
        System.out.printf(Locale.ROOT, "{\"ipc\": %d, \"syn_steps\": %d, \"memory\": \"%s\", \"max_heap_mib\": %.0f, \"peak_heap_mib\": %.0f, \"baseline_heap_mib\": %.0f, \"seconds\": %.1f, \"outcome\": \"%s\"}%n",
                ipc, steps, mode, Runtime.getRuntime().maxMemory() / 1048576.0, peak[0] / 1048576.0, base / 1048576.0,
                (System.nanoTime() - t0) / 1e9, outcome);
    }
}
