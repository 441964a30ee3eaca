package org.distill4j.distill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;

/**
 * The networks of one synthetic-set evaluation finished so far, in a file
 * ({@link OutputKinds#EVALUATION_JOURNAL}), so that an evaluation of hours that is interrupted goes
 * on where it stopped: {@link SyntheticSetEvaluation#evaluate(org.distill4j.nn.Model, DistilledSet,
 * org.distill4j.data.Dataset, SyntheticSetEvaluation.Config, Map, SyntheticSetEvaluation.Listener)}
 * skips the networks it holds, and trains the others exactly as an uninterrupted run would. The file
 * holds a header line, the evaluation's identity (what was evaluated and how: the caller's map, for
 * example the set's fingerprint and the protocol's settings) as one JSON line, then one JSON line per
 * finished network; it is rewritten whole after each network (never half-written).
 *
 * <pre>{@code
 * EvaluationJournal journal = EvaluationJournal.open(Path.of("eval.journal"), Map.of("set", fingerprint, "protocol", cfg.toMap()));
 * Result r = SyntheticSetEvaluation.evaluate(model, set, test, cfg, journal.networks(), journal.recording(listener));
 * }</pre>
 */
public final class EvaluationJournal {
    private final Output target;
    private final String identity;
    private final Map<Integer, SyntheticSetEvaluation.Network> networks = new TreeMap<>();

    private EvaluationJournal(Output target, String identity) {
        this.target = target;
        this.identity = identity;
    }

    /**
     * The journal at {@code file} for the evaluation {@code identity}: a new one when nothing (or an
     * empty file) is there, the networks recorded so far when a journal of the same evaluation is.
     * Anything else is refused before any work: a file distill4j did not write (never replaced,
     * {@link org.distill4j.io.OutputRefusedException}), or a journal of another evaluation
     * ({@link IllegalArgumentException}: choose another file, or delete that one).
     */
    public static EvaluationJournal open(Path file, Map<String, Object> identity) throws IOException {
        Output target = Output.check(file, OutputKinds.EVALUATION_JOURNAL, false);
        EvaluationJournal j = new EvaluationJournal(target, Json.write(identity));
        if (target.state() == Output.State.OURS) {
            j.read(file);
        }
        return j;
    }

    private void read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(1).equals(identity)) {
            throw new IllegalArgumentException(file + " is the journal of another evaluation ("
                    + (lines.size() < 2 ? "it records none" : "another set or protocol")
                    + "); give another journal file, or delete that one to start afresh");
        }
        for (String line : lines.subList(2, lines.size())) {
            try {
                Map<String, Object> m = Json.parseObject(line);
                int index = ((Number) m.get("network")).intValue();
                networks.put(index, new SyntheticSetEvaluation.Network(index, number(m, "test_accuracy"),
                        number(m, "train_accuracy_last_pass"), number(m, "seconds")));
            } catch (RuntimeException e) {
                throw new IOException(file + ": a damaged line in the journal: " + line);
            }
        }
    }

    private static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        // Json writes NaN as null.
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The networks recorded so far, by index (a copy: later records do not change it). */
    public synchronized Map<Integer, SyntheticSetEvaluation.Network> networks() {
        return Collections.unmodifiableMap(new TreeMap<>(networks));
    }

    /** Records {@code n} and rewrites the file (atomically: the old journal or the new one, never half of one). */
    public synchronized void record(SyntheticSetEvaluation.Network n) throws IOException {
        networks.put(n.index(), n);
        List<String> lines = new ArrayList<>();
        lines.add(OutputKinds.EVALUATION_JOURNAL.header());
        lines.add(identity);
        for (SyntheticSetEvaluation.Network x : networks.values()) {
            lines.add(Json.write(x.toMap()));
        }
        String text = String.join("\n", lines) + "\n";
        target.writeFile(out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code listener}, with every network it is told of recorded here first. */
    public SyntheticSetEvaluation.Listener recording(SyntheticSetEvaluation.Listener listener) {
        return new SyntheticSetEvaluation.Listener() {
            @Override
            public void onModel(int model, int models, double testAccuracy, double seconds) {
                listener.onModel(model, models, testAccuracy, seconds);
            }

            @Override
            public void onNetwork(SyntheticSetEvaluation.Network network) {
                try {
                    record(network);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                listener.onNetwork(network);
            }

            @Override
            public void onEpoch(int model, int epoch, int epochs, double loss, double trainAccuracy) {
                listener.onEpoch(model, epoch, epochs, loss, trainAccuracy);
            }
        };
    }
}
