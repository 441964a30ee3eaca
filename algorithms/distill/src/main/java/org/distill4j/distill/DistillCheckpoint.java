package org.distill4j.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.io.Provenance;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;

/**
 * A matching distiller's state on disk ({@link OutputKinds#DISTILL_CHECKPOINT}): {@code meta.json}
 * with the method, the pinned settings, the training data's fingerprint and the iterations done,
 * and one {@code NAME.npy} per tensor (images, optimiser buffers, learned rate), each with its
 * SHA-256 in meta.json. Written whole or not at all ({@link Output}).
 */
final class DistillCheckpoint {
    /** A loaded checkpoint: iterations done, tensors by name, and the extra values saved with them. */
    record State(int iteration, Map<String, Tensor> tensors, Map<String, Object> extra) {
    }

    private final Checkpointing how;
    private final String method;
    private final Map<String, Object> pinned;
    private final String fingerprint;
    private final Output target;
    private long lastNanos = System.nanoTime();

    private DistillCheckpoint(Checkpointing how, String method, Map<String, Object> pinned, String fingerprint, Output target) {
        this.how = how;
        this.method = method;
        this.pinned = normalised(pinned);
        this.fingerprint = fingerprint;
        this.target = target;
    }

    /** Checks the checkpoint path before any work (unwritable, or not ours: fails here). */
    static DistillCheckpoint open(Checkpointing how, String method, Map<String, Object> pinned, String fingerprint)
            throws IOException {
        Output target = how.enabled() ? Output.check(how.dir(), OutputKinds.DISTILL_CHECKPOINT, false) : null;
        return new DistillCheckpoint(how, method, pinned, fingerprint, target);
    }

    /**
     * The saved state, or null when there is none to resume (no checkpoint, or a checkpoint of other
     * settings with {@code restart}). A checkpoint of another method, other settings or other data
     * is refused in one line otherwise.
     */
    State load() throws IOException {
        if (target == null || target.state() != Output.State.OURS) {
            return null;
        }
        Path dir = how.dir();
        Map<String, Object> meta = Json.readObject(dir.resolve("meta.json"));
        String why = null;
        if (!method.equals(meta.get("method"))) {
            why = "is of method " + Json.write(meta.get("method")) + ", not " + method;
        } else if (!fingerprint.equals(meta.get("training_data_sha256"))) {
            why = "was made from other training data (another fingerprint)";
        } else if (!Json.write(pinned).equals(Json.write(meta.get("settings")))) {
            why = "was made with other settings " + differences(meta.get("settings"));
        }
        if (why != null) {
            if (how.restart()) {
                return null;
            }
            throw new IllegalArgumentException("checkpoint " + dir + " " + why + "; --force starts afresh, or choose another --checkpoint");
        }
        if (!(meta.get("iteration") instanceof Number it) || it.intValue() < 0 || it.doubleValue() != Math.rint(it.doubleValue())) {
            throw new IOException(dir.resolve("meta.json") + ": 'iteration' must be a whole number >= 0");
        }
        if (!(meta.get("tensors") instanceof Map<?, ?> sums)) {
            throw new IOException(dir.resolve("meta.json") + ": 'tensors' must map names to SHA-256 digests");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : sums.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!name.matches("[A-Za-z0-9_.]+") || name.contains("..")) {
                throw new IOException(dir.resolve("meta.json") + ": tensor name '" + name + "' is not a file name");
            }
            Path f = dir.resolve(name + ".npy");
            String got = Provenance.sha256(f);
            if (!got.equals(e.getValue())) {
                throw new IOException(f + ": SHA-256 differs from meta.json's; the checkpoint is damaged");
            }
            tensors.put(name, Npy.read(f));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = meta.get("extra") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new State(it.intValue(), tensors, extra);
    }

    private String differences(Object saved) {
        if (!(saved instanceof Map<?, ?> old)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : pinned.entrySet()) {
            Object was = old.get(e.getKey());
            if (!Json.write(e.getValue()).equals(Json.write(was))) {
                sb.append(sb.length() == 0 ? "(" : ", ").append(e.getKey()).append(' ').append(Json.write(was)).append(" there, ")
                        .append(Json.write(e.getValue())).append(" now");
            }
        }
        return sb.length() == 0 ? "" : sb.append(')').toString();
    }

    /** Whether a checkpoint is due (the interval has passed, or it is the last iteration). */
    boolean due(int iteration, int iterations) {
        return target != null && (iteration == iterations || (System.nanoTime() - lastNanos) / 1e9 >= how.everySeconds());
    }

    /** Saves the state after {@code iteration}. */
    void save(int iteration, Map<String, Tensor> tensors, Map<String, Object> extra) throws IOException {
        Output out = Output.check(how.dir(), OutputKinds.DISTILL_CHECKPOINT, how.restart());
        out.writeFolder(dir -> {
            Map<String, Object> sums = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Path f = dir.resolve(e.getKey() + ".npy");
                Npy.write(f, e.getValue());
                sums.put(e.getKey(), Provenance.sha256(f));
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("kind", OutputKinds.DISTILL_CHECKPOINT.id());
            meta.put("method", method);
            meta.put("iteration", iteration);
            meta.put("settings", pinned);
            meta.put("training_data_sha256", fingerprint);
            Provenance.stamp(meta);
            meta.put("tensors", sums);
            meta.put("extra", extra);
            Files.writeString(dir.resolve("meta.json"), Json.write(meta) + "\n");
        });
        lastNanos = System.nanoTime();
    }

    Path dir() {
        return how.dir();
    }

    /** The settings as JSON reads them back (so numbers compare alike before and after a save). */
    private static Map<String, Object> normalised(Map<String, Object> m) {
        return Json.parseObject(Json.write(m));
    }

}
