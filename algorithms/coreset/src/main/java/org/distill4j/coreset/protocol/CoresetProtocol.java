package org.distill4j.coreset.protocol;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.distill4j.coreset.Budget;
import org.distill4j.coreset.CoresetMethods;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionContext;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.Splits;
import org.distill4j.io.AtomicFile;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.nn.Model;
import org.distill4j.nn.Models;
import org.distill4j.train.TrainConfig;
import org.distill4j.train.TrainResult;
import org.distill4j.train.Trainer;

/**
 * The DeepCore protocol (Guo, Zhao, Bai, "DeepCore: A Comprehensive Library for Coreset Selection
 * in Deep Learning", 2022) end to end. For each seed: train the selection model on the full set,
 * then for each fraction and method select, train a fresh model on the selection, and test it;
 * the recipes of both models and their seeds are the settings' {@link Protocol} ({@code simple}:
 * this project's first recipe, the final model from the selection model's seed; {@code deepcore}:
 * DeepCore's recipe, the final model from a fresh seed). One {@link ProtocolRow} per (method, fraction, seed) goes to the folder's
 * {@code results.csv} as soon as it is done, so a rerun with the same settings resumes.
 *
 * <pre>{@code
 * ProtocolSettings s = ProtocolSettings.defaults().withRuns(List.of("uniform", "herding"), List.of(0.01), 3, 0);
 * CoresetProtocol protocol = CoresetProtocol.open(s, Path.of("report"), false);  // checks the folder first
 * ProtocolResults results = protocol.run((Path) null, new ProtocolListener() {});  // null: the default data folder
 * results.cells().get("herding").get(0.01).mean();
 * }</pre>
 */
public final class CoresetProtocol {
    /** The key of settings.json's provenance block, which is not a setting: resuming ignores it, and checks its data. */
    static final String PROVENANCE = "provenance";
    private final ProtocolSettings settings;
    private final Output target;
    private final boolean force;
    private boolean resume;

    private CoresetProtocol(ProtocolSettings settings, Output target, boolean force, boolean resume) {
        this.settings = settings;
        this.target = target;
        this.force = force;
        this.resume = resume;
    }

    /**
     * Checks, before any work, that the protocol may write its results to {@code folder}: a new or
     * empty folder, or one of this protocol's folders made with the same pinned settings (which is
     * resumed; its {@code results.csv} is read now, so a broken one fails here). A folder that
     * distill4j did not write is refused, and so is one with other settings
     * ({@link OtherSettingsException}); with {@code force} either is started afresh. Whether the
     * folder's rows were made on the same data is known when {@link #run} has the data.
     */
    public static CoresetProtocol open(ProtocolSettings settings, Path folder, boolean force) throws IOException {
        Models.checkName(settings.model());
        DataSets.checkNameOrPath(settings.dataset());
        Output target = Output.check(folder, OutputKinds.CORESET_BENCH, force);
        boolean resume = target.state() == Output.State.OURS
                && sameSettings(folder, folder.resolve("settings.json"), settings.pinned(), force);
        if (resume) {
            ProtocolResults.open(folder.resolve("results.csv"));
        }
        return new CoresetProtocol(settings, target, force, resume);
    }

    public ProtocolSettings settings() {
        return settings;
    }

    /** The results folder, as the caller named it. */
    public Path folder() {
        return target.path();
    }

    /** Whether {@link #run} adds to the rows already in the folder (rather than starting it). */
    public boolean resumes() {
        return resume;
    }

    /** "Coresets of fashion-mnist, lenet, 5 selection epochs, 200 training epochs": a heading for the results. */
    public String title() {
        return String.format(Locale.ROOT, "Coresets of %s, %s, %s, %s%s", settings.dataset(), settings.model(),
                count(settings.selectionEpochs(), "selection epoch"), count(settings.epochs(), "training epoch"),
                settings.protocol() == Protocol.SIMPLE ? "" : ", " + settings.protocol().cliName() + " protocol");
    }

    /** Loads the settings' data set (from {@code dataDir}, or its default folder when null) and {@link #run(Splits, ProtocolListener) runs}. */
    public ProtocolResults run(Path dataDir, ProtocolListener listener) throws IOException {
        return run(DataSets.loadNormalized(settings.dataset(), dataDir, null), listener);
    }

    /**
     * Makes the rows the folder does not hold yet, on {@code data} (the settings' data set, loaded
     * and normalized), and returns all of the folder's rows. The folder is made (or, forced, made
     * afresh) now, its {@code settings.json} holding the pinned settings and their
     * {@code provenance}: the distill4j version and the training set's name, size and
     * fingerprint ({@link Dataset#fingerprint}). A folder whose rows were made on other data
     * (another fingerprint) is refused ({@link OtherSettingsException}), or, forced, started
     * afresh; one from before settings recorded the data is resumed. A failed run stops the
     * others; the rows already written stay, and a rerun resumes.
     */
    public ProtocolResults run(Splits data, ProtocolListener listener) throws IOException {
        if (resume && !sameData(folder(), folder().resolve("settings.json"), data.train(), force)) {
            resume = false;
        }
        Map<String, Object> pinned = new LinkedHashMap<>(settings.pinned());
        pinned.put(PROVENANCE, provenance(data.train()));
        Output.FolderWriter fresh = dir -> AtomicFile.writeString(dir.resolve("settings.json"), Json.write(pinned) + "\n");
        if (resume) {
            target.openFolder(fresh);
        } else {
            target.writeFolder(fresh);
            resume = true;
        }
        ProtocolResults results = ProtocolResults.open(folder().resolve("results.csv"));
        listener.onStart(results);
        Dataset train = data.train();
        Dataset test = data.test();
        Model net = Models.byName(settings.model(), train.imageShape(), train.classes());
        for (int r = 0; r < settings.seeds(); r++) {
            long s = settings.seed() + r;
            List<ProtocolRun> pending = settings.runs(s).stream().filter(run -> !results.has(run)).toList();
            if (pending.isEmpty()) {
                continue;
            }
            listener.onSeedStart(s, net.name(), pending);
            Protocol protocol = settings.protocol();
            TrainConfig cfg = protocol.selection(settings.selectionEpochs(), settings.batchSize(), settings.lr(),
                    settings.momentum(), protocol.selectionSeed(s));
            TrainConfig training = protocol.training(settings.epochs(), settings.batchSize(), settings.lr(), settings.momentum(),
                    protocol.evaluationSeed(s));
            SelectionContext ctx = SelectionContext.train(train, net, settings.selectionEpochs(), cfg, settings.balance(),
                    listener.selectionModelTraining(s), settings.needsDynamics());
            // Score models report as themselves, not as the selection model (whose epoch count they do not share).
            ctx.reportMembersTo((member, epochs) -> listener.scoreModelTraining(s, member, epochs));
            long t0 = System.nanoTime();
            ctx.embeddings();
            ctx.probabilities();
            listener.onFeatures(s, (System.nanoTime() - t0) / 1e9);
            List<Work> work = pending.stream().map(run -> new Work(run, ctx, net, train, test, training)).toList();
            runAll(work, results, listener);
            listener.onSeedDone(s, results);
        }
        return results;
    }

    /** A run and what it shares with the other runs of its seed; {@code cfg} trains the final model. */
    private record Work(ProtocolRun run, SelectionContext ctx, Model net, Dataset train, Dataset test, TrainConfig cfg) {
    }

    /** Selects, trains on the selection, tests, and records one row. */
    private void runOne(Work w, ProtocolResults results, ProtocolListener listener) throws IOException {
        ProtocolRun run = w.run();
        int budget = Budget.fromFraction(run.fraction(), w.train().size());
        long start = System.nanoTime();
        Selection sel = CoresetMethods.byName(run.method(), settings.options()).select(w.ctx(), budget);
        double selectionSeconds = (System.nanoTime() - start) / 1e9;
        listener.onSelected(run, sel.size(), selectionSeconds);
        TrainResult tr = Trainer.train(w.net(), w.train(), sel.toSubset(), w.test(), w.cfg(), listener.training(run));
        ProtocolRow row = new ProtocolRow(run.method(), run.fraction(), run.seed(), budget, sel.size(), selectionSeconds,
                w.ctx().trainingSeconds(), tr.finalTestAccuracy(), tr.bestTestAccuracy(), tr.trainSeconds());
        results.add(row);
        listener.onRow(row);
    }

    /**
     * Runs {@code work} in order on this thread, or {@code jobs} at a time. Each run is seeded by
     * itself, so its row does not depend on what runs beside it; only the seconds do. The first
     * failure stops the rest.
     */
    private void runAll(List<Work> work, ProtocolResults results, ProtocolListener listener) throws IOException {
        if (settings.jobs() == 1) {
            for (Work w : work) {
                runOne(w, results, listener);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(settings.jobs(), r -> {
            Thread t = new Thread(r, "coreset-protocol-job");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (Work w : work) {
                // The jobs compute in the caller's context (device, threads), not in the pool threads' default.
                done.add(pool.submit(ComputeContext.current().wrap(() -> {
                    runOne(w, results, listener);
                    return null;
                })));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the protocol's jobs ran");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether the folder's results were made with {@code now}'s settings, so that this run may add
     * to them. Settings are compared as JSON values (key order and number layout, 0.1 or 1.0E-1,
     * do not matter). Other settings are refused, naming the first that differs, unless
     * {@code force}, which starts the folder afresh. A folder from before settings carried a kind
     * has none: only the settings are compared.
     */
    private static boolean sameSettings(Path folder, Path file, Map<String, Object> now, boolean force) throws IOException {
        Map<String, Object> before = new LinkedHashMap<>(Json.readObject(file));
        Map<String, Object> here = new LinkedHashMap<>(Json.parseObject(Json.write(now)));
        before.remove("kind");
        here.remove("kind");
        before.remove(PROVENANCE);
        here.remove(PROVENANCE);
        // A folder from before protocols had names was made by the simple one.
        before.putIfAbsent("protocol", Protocol.SIMPLE.cliName());
        String differs = null;
        for (String key : here.keySet()) {
            if (!before.containsKey(key) || !Objects.equals(before.get(key), here.get(key))) {
                differs = key + " " + shortJson(before.get(key), before.containsKey(key)) + ", here " + Json.write(here.get(key));
                break;
            }
        }
        for (String key : before.keySet()) {
            if (differs == null && !here.containsKey(key)) {
                differs = "unknown setting " + shortJson(key, true);
            }
        }
        if (differs == null) {
            return true;
        }
        if (force) {
            return false;
        }
        throw new OtherSettingsException(folder, differs);
    }

    /** What settings.json records about what made the rows. */
    private static Map<String, Object> provenance(Dataset train) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", train.name());
        data.put("examples", train.size());
        data.put("sha256", train.fingerprint());
        data.put("of", "the normalised training images as float32, then the labels as int32, little-endian");
        Map<String, Object> p = new LinkedHashMap<>();
        Provenance.stamp(p);
        p.put("training_data", data);
        return p;
    }

    /**
     * Whether the folder's rows were made on {@code train}: its settings.json records the same
     * fingerprint, or none (a folder from before it recorded one). Other data are refused, naming
     * both, unless {@code force}, which starts the folder afresh.
     */
    private static boolean sameData(Path folder, Path file, Dataset train, boolean force) throws IOException {
        Object p = Json.readObject(file).get(PROVENANCE);
        if (p == null) {
            return true;
        }
        if (!(p instanceof Map<?, ?> pm) || !(pm.get("training_data") instanceof Map<?, ?> data)
                || !(data.get("sha256") instanceof String sha) || !(data.get("examples") instanceof Number examples)) {
            throw new IOException(file + ": \"" + PROVENANCE + "\" must be {\"training_data\": {\"name\": ..., \"examples\": N, "
                    + "\"sha256\": ...}, ...}, found " + shortJson(p, true));
        }
        if (sha.equals(train.fingerprint())) {
            return true;
        }
        if (force) {
            return false;
        }
        String name = data.get("name") instanceof String n ? shortJson(n, true) : "unnamed";
        throw new OtherSettingsException(folder, String.format(Locale.ROOT, "data set %s (%,d examples, sha256 %s...), here %s"
                + " (%,d examples, sha256 %s...)", name, examples.longValue(), start(sha),
                shortJson(train.name(), true), train.size(), start(train.fingerprint())));
    }

    /** The first 12 characters of a hash (escaped, as it may come from a file): enough to tell two apart. */
    private static String start(String hash) {
        String text = Json.write(hash);
        return text.substring(1, Math.min(text.length() - 1, 13));
    }

    /** A value from a file, cut to 40 characters for a one-line message. */
    private static String shortJson(Object v, boolean present) {
        String text = present ? Json.write(v) : "missing";
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
