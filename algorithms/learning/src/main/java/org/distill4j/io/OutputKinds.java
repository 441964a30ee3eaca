package org.distill4j.io;

import java.util.List;

/**
 * Every kind of output distill4j writes, in one table: how it is recognised, so that an output
 * path holding one of these (written by distill4j before) may be replaced, and anything else is
 * refused unless the caller forces it. Folder markers carry {@code "kind": ID}; folders written
 * before markers had kinds are recognised by the keys their marker always had.
 */
public final class OutputKinds {
    /**
     * {@code index,label,weight,score} rows (coreset selection), after a first line
     * {@code # distill4j selection {...}} that records what made them (files written before it
     * existed start with the header).
     */
    public static final OutputKind.File SELECTION_CSV = new OutputKind.File("a selection CSV", "index,label,weight,score",
            "# distill4j selection ");

    /** images.npy, labels.npy, lrs.npy, meta.json (dataset distillation). */
    public static final OutputKind.Folder DISTILLED_SET = new OutputKind.Folder("a distilled set", "distill4j/distilled-set",
            "meta.json", List.of("steps", "epochs", "ipc", "classes", "image_shape"));

    /** meta.json and one .npy per parameter, buffer and optimiser tensor. */
    public static final OutputKind.Folder CHECKPOINT = new OutputKind.Folder("a checkpoint", "distill4j/checkpoint",
            "meta.json", List.of("model", "input_shape", "classes", "epoch", "parameters"));

    /** images.npy and labels.npy, with a meta.json marker. */
    public static final OutputKind.Folder NPY_DATASET = new OutputKind.Folder("an .npy data set", "distill4j/npy-dataset",
            "meta.json", List.of());

    /** index.html, results.csv, results.json, selections/, distilled/ (the quickstart). */
    public static final OutputKind.Folder QUICKSTART_REPORT = new OutputKind.Folder("a quickstart report",
            "distill4j/quickstart-report", "results.json", List.of("fast", "settings", "full_data"));

    /** settings.json, results.csv, results.md, accuracy.png (the coreset protocol, resumable). */
    public static final OutputKind.Folder CORESET_BENCH = new OutputKind.Folder("a coreset-bench folder", "distill4j/coreset-bench",
            "settings.json", List.of("dataset", "model", "selection_epochs", "epochs", "batch_size", "lr", "momentum", "balance"));

    /**
     * The state of a matching distiller (DC, MTT) saved every few minutes: meta.json (method, pinned
     * settings, the training data's fingerprint, iterations done) and one .npy per tensor.
     */
    public static final OutputKind.Folder DISTILL_CHECKPOINT = new OutputKind.Folder("a distillation checkpoint",
            "distill4j/distill-checkpoint", "meta.json", List.of());

    /**
     * Expert trajectories for trajectory matching (MTT): meta.json (model, parameters, settings, the
     * training data's fingerprint) and one folder per expert with its parameters after every epoch.
     */
    public static final OutputKind.Folder EXPERTS = new OutputKind.Folder("an expert-trajectories folder", "distill4j/experts",
            "meta.json", List.of());

    /**
     * The cells of a scale experiment (spark module's {@code ScaleExperiment}): a header line, then one
     * JSON object per finished cell; appended to, and skipped cells read back, when the run resumes.
     */
    public static final OutputKind.File SCALE_CELLS = new OutputKind.File("a scale-experiment cells file",
            "# distill4j scale-experiment cells (one JSON object per line)");

    /**
     * The networks of one synthetic-set evaluation (the papers' protocol) finished so far: a header line,
     * the evaluation's identity (set fingerprint and protocol) as a JSON line, then one JSON object per
     * finished network; rewritten after each, and read back when the evaluation resumes.
     */
    public static final OutputKind.File EVALUATION_JOURNAL = new OutputKind.File("an evaluation journal",
            "# distill4j evaluation journal (one JSON object per line)");

    public static final List<OutputKind> ALL = List.of(SELECTION_CSV, DISTILLED_SET, CHECKPOINT, NPY_DATASET, QUICKSTART_REPORT,
            CORESET_BENCH, DISTILL_CHECKPOINT, EXPERTS, SCALE_CELLS, EVALUATION_JOURNAL);

    private OutputKinds() {
    }

    /** The kind of output distill4j wrote at {@code path}, or null when it is none of ours. */
    static OutputKind recognize(java.nio.file.Path path) {
        for (OutputKind k : ALL) {
            if (k.recognizes(path)) {
                return k;
            }
        }
        return null;
    }
}
