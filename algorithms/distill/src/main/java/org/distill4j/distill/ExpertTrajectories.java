package org.distill4j.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.distill4j.autodiff.Autodiff;
import org.distill4j.autodiff.LossOps;
import org.distill4j.autodiff.Var;
import org.distill4j.data.Batch;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.distill.augment.Augmentation;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.PendingOutputs;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.nn.Mode;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Sgd;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.Evaluator;

/**
 * The expert trajectories of trajectory matching (MTT, Cazenavette et al. 2022; the reference's
 * {@code buffer.py}): networks trained on the real data, their parameters saved after every epoch.
 * A folder ({@link OutputKinds#EXPERTS}) holds {@code meta.json} (model, parameter names and
 * shapes, settings, the training data's name, size and SHA-256 fingerprint) and one folder per
 * expert, {@code expert_0000/epoch_000.npy ... epoch_E.npy} (all parameters as one float32
 * vector, in the model's order), finished by {@code done.json} (each file's SHA-256, test accuracy).
 * Training is resumable: a finished expert is skipped, and an unfinished one goes on from its last
 * saved epoch when that gives the same parameters as an uninterrupted run (SGD without momentum, the
 * reference's default: the optimiser then holds no state, and every epoch's shuffle and augmentation
 * come from the seed, the expert and the epoch); with momentum, whose buffers are not saved, it is
 * trained again from its start.
 *
 * <pre>{@code
 * ExpertTrajectories.train(convnet, data, "fashion-mnist", ExpertConfig.builder().experts(5).epochs(10).build(),
 *         Augmentation.NONE, "none", Path.of("experts"), false, ExpertTrajectories.Listener.NONE);
 * ExpertTrajectories experts = ExpertTrajectories.open(Path.of("experts"), convnet, data.train());
 * Params p = experts.epoch(0, 3);
 * }</pre>
 */
public final class ExpertTrajectories {
    /** What expert training reports. */
    public interface Listener {
        /** Expert {@code expert} (0-based) of {@code experts} is already done and skipped. */
        default void onSkipped(int expert, int experts) {
        }

        default void onEpoch(int expert, int experts, int epoch, int epochs, double trainLoss, double trainAccuracy,
                             double seconds) {
        }

        /** Expert {@code expert} was interrupted after {@code epoch} epochs and goes on from there. */
        default void onResumed(int expert, int experts, int epoch) {
        }

        /** Expert {@code expert} is done; its test accuracy (NaN without test data). */
        default void onExpertDone(int expert, int experts, double testAccuracy) {
        }

        Listener NONE = new Listener() {
        };
    }

    /** How many experts there are now, how many this call trained and skipped. */
    public record Summary(Path dir, int experts, int trained, int skipped, double[] testAccuracy) {
    }

    private final Path dir;
    private final Model model;
    private final Params template;
    private final int epochs;
    private final List<Integer> finished;

    private ExpertTrajectories(Path dir, Model model, Params template, int epochs, List<Integer> finished) {
        this.dir = dir;
        this.model = model;
        this.template = template;
        this.epochs = epochs;
        this.finished = List.copyOf(finished);
    }

    /** The folder of expert {@code e}. */
    static Path expertDir(Path dir, int e) {
        return dir.resolve(String.format(Locale.ROOT, "expert_%04d", e));
    }

    static String epochFile(int epoch) {
        return String.format(Locale.ROOT, "epoch_%03d.npy", epoch);
    }

    /**
     * Trains the experts the folder {@code dir} lacks (all of them in a new folder). A folder of
     * another model, other pinned settings or other training data is refused in one line before any
     * work, unless {@code force} (then it is started afresh). {@code test} (may be null) gives each
     * expert's test accuracy, recorded in its done.json.
     */
    public static Summary train(Model model, Splits data, String dataset, ExpertConfig cfg, Augmentation aug,
                                String augmentationName, Path dir, boolean force, Listener listener) throws IOException {
        return train(model, data.train(), data.test(), dataset, data, cfg, aug, augmentationName, dir, force, listener);
    }

    static Summary train(Model model, Dataset train, Dataset test, String dataset, Splits data, ExpertConfig cfg,
                         Augmentation aug, String augmentationName, Path dir, boolean force, Listener listener)
            throws IOException {
        MatchingMeta.checkFits(model, train, 1);
        Output target = Output.check(dir, OutputKinds.EXPERTS, force);
        Map<String, Object> meta = meta(model, train, dataset, data, cfg, augmentationName);
        boolean resume = false;
        if (target.state() == Output.State.OURS) {
            Map<String, Object> old = Json.readObject(dir.resolve("meta.json"));
            String why = mismatch(old, meta);
            if (why == null) {
                resume = true;
            } else if (!force) {
                throw new IllegalArgumentException("expert folder " + dir + " " + why
                        + "; --force starts it afresh, or choose another --out");
            }
        }
        Output.FolderWriter fresh = d -> AtomicFile.writeString(d.resolve("meta.json"), Json.write(meta) + "\n");
        if (resume) {
            // A rerun may ask for more experts: the count in meta.json grows.
            target.openFolder(fresh);
            Map<String, Object> old = Json.readObject(dir.resolve("meta.json"));
            Object had = ((Map<?, ?>) old.get("settings")).get("experts");
            if (!(had instanceof Number n) || n.intValue() < cfg.experts()) {
                AtomicFile.writeString(dir.resolve("meta.json"), Json.write(meta) + "\n");
            }
        } else {
            target.writeFolder(fresh);
        }
        int trained = 0;
        int skipped = 0;
        double[] acc = new double[cfg.experts()];
        Generator root = new Generator(cfg.seed());
        for (int e = 0; e < cfg.experts(); e++) {
            Path ed = expertDir(dir, e);
            Map<String, Object> done = readDone(ed);
            if (done != null) {
                acc[e] = done.get("test_accuracy") instanceof Number n ? n.doubleValue() : Double.NaN;
                skipped++;
                listener.onSkipped(e, cfg.experts());
                continue;
            }
            // An unfinished expert of this folder (distill4j wrote it) goes on from its last saved epoch where that is
            // exact; else it is redone from scratch (a link in its place is removed, not followed).
            int from = cfg.momentum() == 0 ? savedEpochs(ed, model, cfg.epochs()) : -1;
            if (from < 0) {
                PendingOutputs.deleteRecursively(ed);
                Files.createDirectories(ed);
            } else {
                listener.onResumed(e, cfg.experts(), from);
            }
            acc[e] = trainOne(model, train, test, cfg, aug, root.fork(e), ed, e, Math.max(0, from), listener);
            trained++;
            listener.onExpertDone(e, cfg.experts(), acc[e]);
        }
        return new Summary(dir, cfg.experts(), trained, skipped, acc);
    }

    /**
     * The epochs an unfinished expert's folder holds, {@code epoch_000 ... epoch_K} without a gap and
     * the last one whole (K; K = 0: only the initialisation), or -1 when there is nothing to go on
     * from (no such folder, a link, no epoch_000, a damaged file).
     */
    static int savedEpochs(Path ed, Model model, int epochs) {
        if (!Files.isDirectory(ed, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return -1;
        }
        int k = -1;
        while (k < epochs && Files.isRegularFile(ed.resolve(epochFile(k + 1)), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            k++;
        }
        if (k < 0) {
            return -1;
        }
        try {
            Tensor last = Npy.read(ed.resolve(epochFile(k)));
            long count = model.init(new Generator(0), DType.F32).count();
            return last.rank() == 1 && last.size() == count ? k : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One expert, from its initialisation ({@code from} 0) or from the parameters saved after epoch {@code from}. */
    private static double trainOne(Model model, Dataset train, Dataset test, ExpertConfig cfg, Augmentation aug, Generator gen,
                                   Path ed, int e, int from, Listener listener) throws IOException {
        long t0 = System.nanoTime();
        Params params = model.init(gen.fork(0), DType.F32);
        Map<String, Object> sums = new LinkedHashMap<>();
        if (from == 0) {
            sums.put(epochFile(0), write(ed.resolve(epochFile(0)), params.flatten()));
        } else {
            for (int ep = 0; ep <= from; ep++) {
                sums.put(epochFile(ep), Provenance.sha256(ed.resolve(epochFile(ep))));
            }
            params = params.unflatten(Npy.read(ed.resolve(epochFile(from))).to(DType.F32));
        }
        // The rate of epoch `from`: the schedule below, replayed.
        double lr = cfg.decay() && from > cfg.epochs() / 2 + 1 ? cfg.lr() * 0.1 : cfg.lr();
        Sgd opt = new Sgd(lr, cfg.momentum(), cfg.weightDecay(), false);
        for (int epoch = from; epoch < cfg.epochs(); epoch++) {
            long start = System.nanoTime();
            List<Batch> batches = train.batches(cfg.batchTrain(), gen.fork(1).fork(epoch), false);
            double lossSum = 0;
            int correct = 0;
            int count = 0;
            for (int b = 0; b < batches.size(); b++) {
                Batch batch = batches.get(b);
                Var x = aug.apply(Var.constant(batch.images()), gen.fork(2).fork(epoch).fork(b).seed());
                Var logits = model.forward(params, Var.constant(x.value()), Mode.TRAIN);
                Var loss = LossOps.crossEntropy(logits, batch.labels());
                opt.step(params, Autodiff.grad(loss, params.array()));
                int[] predicted = org.distill4j.tensor.Reduce.argmax(logits.value(), 1).toIntArray();
                int[] labels = batch.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
                lossSum += loss.item() * predicted.length;
                count += predicted.length;
            }
            sums.put(epochFile(epoch + 1), write(ed.resolve(epochFile(epoch + 1)), params.flatten()));
            listener.onEpoch(e, cfg.experts(), epoch + 1, cfg.epochs(), lossSum / count, (double) correct / count,
                    (System.nanoTime() - start) / 1e9);
            // The reference: lr_schedule = [train_epochs // 2 + 1]; after that epoch (0-based) the rate drops, with a new optimiser.
            if (cfg.decay() && epoch == cfg.epochs() / 2 + 1) {
                lr *= 0.1;
                opt = new Sgd(lr, cfg.momentum(), cfg.weightDecay(), false);
            }
        }
        double acc = test == null ? Double.NaN : Evaluator.accuracy(model, params, test);
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("epochs", cfg.epochs());
        done.put("test_accuracy", acc);
        done.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (from > 0) {
            done.put("resumed_after_epoch", from);   // seconds: this last run's only
        }
        done.put("sha256", sums);
        AtomicFile.writeString(ed.resolve("done.json"), Json.write(done) + "\n");
        return acc;
    }

    private static String write(Path file, Tensor flat) throws IOException {
        AtomicFile.write(file, out -> Npy.write(out, flat.copy(DType.F32)));
        return Provenance.sha256(file);
    }

    private static Map<String, Object> meta(Model model, Dataset train, String dataset, Splits data, ExpertConfig cfg,
                                            String augmentationName) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("kind", OutputKinds.EXPERTS.id());
        meta.put("format", "distill4j-experts/1");
        meta.put("model", model.name());
        meta.put("image_shape", model.inputShape());
        meta.put("classes", model.classes());
        Params p = model.init(new Generator(0), DType.F32);
        List<Object> params = new ArrayList<>();
        for (String n : p.names()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", n);
            e.put("shape", p.get(n).shape());
            params.add(e);
        }
        meta.put("parameters", params);
        meta.put("parameter_count", p.count());
        meta.put("dataset", dataset);
        if (data != null) {
            meta.put("normalization", DistilledSet.normalizationMeta(data.norm()));
        }
        Map<String, Object> td = new LinkedHashMap<>();
        td.put("name", train.name());
        td.put("examples", train.size());
        td.put("sha256", train.fingerprint());
        meta.put("training_data", td);
        Map<String, Object> settings = new LinkedHashMap<>(cfg.toMap());
        settings.put("augmentation", augmentationName);
        meta.put("settings", settings);
        Provenance.stamp(meta);
        return meta;
    }

    /** Why a folder's meta.json does not fit {@code now} (model, parameters, data, pinned settings), or null. */
    private static String mismatch(Map<String, Object> old, Map<String, Object> now) {
        if (!Json.write(now.get("model")).equals(Json.write(old.get("model")))
                || !Json.write(now.get("parameters")).equals(Json.write(old.get("parameters")))) {
            return "holds experts of model " + Json.write(old.get("model")) + " " + Json.write(old.get("image_shape"))
                    + ", not " + now.get("model") + " " + Json.write(now.get("image_shape"));
        }
        Object oldSha = old.get("training_data") instanceof Map<?, ?> m ? m.get("sha256") : null;
        if (!((Map<?, ?>) now.get("training_data")).get("sha256").equals(oldSha)) {
            return "was trained on other data (another fingerprint)";
        }
        Map<String, Object> a = new LinkedHashMap<>(Json.parseObject(Json.write(now.get("settings"))));
        Object o = old.get("settings");
        if (!(o instanceof Map<?, ?> om)) {
            return "has no settings";
        }
        Map<String, Object> b = new LinkedHashMap<>();
        om.forEach((k, v) -> b.put(String.valueOf(k), v));
        a.remove("experts");
        b.remove("experts");
        if (!Json.write(a).equals(Json.write(b))) {
            return "was made with other settings (" + Json.write(b) + ")";
        }
        return null;
    }

    private static Map<String, Object> readDone(Path ed) {
        Path f = ed.resolve("done.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Json.readObject(f);
        } catch (IOException | RuntimeException damaged) {
            return null;
        }
    }

    /**
     * The checks that need no data, before any is loaded: {@code dir} exists, is an expert folder,
     * and holds experts of {@code modelName} trained on {@code dataset} (as named when they were made).
     */
    public static void precheck(Path dir, String modelName, String dataset) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no expert folder (make one with 'distill4j experts')");
        }
        if (!OutputKinds.EXPERTS.recognizes(dir)) {
            throw new IOException(dir + ": not an expert-trajectories folder (its meta.json lacks \"kind\": \""
                    + OutputKinds.EXPERTS.id() + "\")");
        }
        Map<String, Object> meta = Json.readObject(dir.resolve("meta.json"));
        if (!modelName.equals(meta.get("model"))) {
            throw new IllegalArgumentException("expert folder " + dir + " holds experts of model " + Json.write(meta.get("model"))
                    + ", not " + modelName);
        }
        if (!dataset.equals(meta.get("dataset"))) {
            throw new IllegalArgumentException("expert folder " + dir + " was trained on " + Json.write(meta.get("dataset"))
                    + ", not " + dataset);
        }
    }

    /**
     * Opens an expert folder for {@code model} trained on {@code train}: refused in one line when it
     * is missing, not an expert folder, of another model or data set, holds no finished expert, or
     * a finished expert's file is missing or cut short. Unfinished experts are left out.
     */
    public static ExpertTrajectories open(Path dir, Model model, Dataset train) throws IOException {
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no expert folder (make one with 'distill4j experts')");
        }
        if (!OutputKinds.EXPERTS.recognizes(dir)) {
            throw new IOException(dir + ": not an expert-trajectories folder (its meta.json lacks \"kind\": \""
                    + OutputKinds.EXPERTS.id() + "\")");
        }
        Map<String, Object> meta = Json.readObject(metaFile);
        Params template = model.init(new Generator(0), DType.F32);
        Map<String, Object> want = meta(model, train, null, null, ExpertConfig.builder().build(), "none");
        if (!Json.write(want.get("model")).equals(Json.write(meta.get("model")))
                || !Json.write(want.get("parameters")).equals(Json.write(meta.get("parameters")))) {
            throw new IllegalArgumentException("expert folder " + dir + " holds experts of model " + Json.write(meta.get("model"))
                    + " " + Json.write(meta.get("image_shape")) + ", not " + model.name() + " "
                    + Json.write(model.inputShape()));
        }
        Object sha = meta.get("training_data") instanceof Map<?, ?> m ? m.get("sha256") : null;
        if (!train.fingerprint().equals(sha)) {
            Object name = meta.get("training_data") instanceof Map<?, ?> m ? m.get("name") : null;
            throw new IllegalArgumentException("expert folder " + dir + " was trained on other data (" + Json.write(name)
                    + ", another fingerprint) than " + train.name());
        }
        Object s = meta.get("settings") instanceof Map<?, ?> sm ? sm.get("epochs") : null;
        if (!(s instanceof Number e0) || e0.intValue() < 1) {
            throw new IOException(metaFile + ": settings.epochs must be a whole number >= 1");
        }
        int epochs = ((Number) s).intValue();
        List<Integer> finished = new ArrayList<>();
        long bytes = 4L * template.count();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path ed : list.sorted().toList()) {
                String name = ed.getFileName().toString();
                if (!Files.isDirectory(ed) || !name.matches("expert_\\d{4,}")) {
                    continue;
                }
                Map<String, Object> done = readDone(ed);
                if (done == null) {
                    continue;
                }
                for (int ep = 0; ep <= epochs; ep++) {
                    Path f = ed.resolve(epochFile(ep));
                    if (!Files.isRegularFile(f)) {
                        throw new IOException(f + ": missing from a finished expert; the expert folder is truncated");
                    }
                    long size = npySize(f, bytes);
                    if (Files.size(f) < size) {
                        throw new IOException(f + ": " + Files.size(f) + " bytes, less than the " + size
                                + " its header and parameters take; the file is truncated");
                    }
                }
                finished.add(Integer.parseInt(name.substring("expert_".length())));
            }
        }
        if (finished.isEmpty()) {
            throw new IllegalArgumentException("expert folder " + dir + " holds no finished expert");
        }
        return new ExpertTrajectories(dir, model, template, epochs, finished);
    }

    /** The size an .npy file of {@code dataBytes} bytes of data has, from its header's length (0 if unreadable). */
    private static long npySize(Path f, long dataBytes) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (java.io.InputStream in = Files.newInputStream(f)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n < 10 || (head[0] & 0xFF) != 0x93 || head[1] != 'N') {
            return dataBytes;
        }
        long headerLen = head[6] == 1 ? (head[8] & 0xFF) | (head[9] & 0xFF) << 8
                : (head[8] & 0xFFL) | (head[9] & 0xFFL) << 8 | (head[10] & 0xFFL) << 16 | (head[11] & 0xFFL) << 24;
        return (head[6] == 1 ? 10 : 12) + headerLen + dataBytes;
    }

    /** Finished experts. */
    public int experts() {
        return finished.size();
    }

    /** Epochs per expert (snapshots 0..epochs). */
    public int epochs() {
        return epochs;
    }

    public Path dir() {
        return dir;
    }

    /** The parameters of the i-th finished expert after {@code epoch} epochs (0: its initialisation), checked against done.json. */
    public Params epoch(int i, int epoch) throws IOException {
        if (epoch < 0 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " outside 0.." + epochs);
        }
        Path ed = expertDir(dir, finished.get(i));
        Path f = ed.resolve(epochFile(epoch));
        Map<String, Object> done = readDone(ed);
        Object want = done != null && done.get("sha256") instanceof Map<?, ?> m ? m.get(epochFile(epoch)) : null;
        if (want != null && !Provenance.sha256(f).equals(want)) {
            throw new IOException(f + ": SHA-256 differs from done.json's; the expert folder is damaged");
        }
        Tensor flat = Npy.read(f);
        if (flat.rank() != 1 || flat.size() != template.count()) {
            throw new IOException(f + ": " + flat.size() + " values, expected " + template.count() + " parameters of "
                    + model.name());
        }
        return template.unflatten(flat.to(DType.F32));
    }
}
