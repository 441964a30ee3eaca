package org.distill4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.autodiff.Var;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.nn.Model;
import org.distill4j.nn.Params;
import org.distill4j.optim.Optimizer;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;

/**
 * A checkpoint folder: {@code meta.json} (model, input shape, classes, epoch, names), one
 * {@code .npy} per parameter, buffer and optimiser tensor. Written atomically: a crash leaves the
 * previous checkpoint or none.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** Saves a checkpoint at {@code dir}; refuses to replace anything but an empty folder or an earlier checkpoint. */
    public static void save(Path dir, Model model, Params params, Optimizer optimizer, int epoch) throws IOException {
        save(Output.check(dir, OutputKinds.CHECKPOINT, false), model, params, optimizer, epoch);
    }

    /** Saves a checkpoint at an output path checked beforehand (for callers that check before long work). */
    public static void save(Output out, Model model, Params params, Optimizer optimizer, int epoch) throws IOException {
        out.writeFolder(tmp -> {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("kind", OutputKinds.CHECKPOINT.id());
            meta.put("model", model.name());
            meta.put("input_shape", model.inputShape());
            meta.put("classes", model.classes());
            meta.put("epoch", epoch);
            meta.put("parameters", params.names());
            meta.put("buffers", List.copyOf(params.buffers().keySet()));
            for (String n : params.names()) {
                Npy.write(tmp.resolve("param." + n + ".npy"), params.get(n).value());
            }
            for (Map.Entry<String, Tensor> e : params.buffers().entrySet()) {
                Npy.write(tmp.resolve("buffer." + e.getKey() + ".npy"), e.getValue());
            }
            if (optimizer != null) {
                Map<String, Tensor> state = optimizer.state();
                meta.put("optimizer_state", List.copyOf(state.keySet()));
                for (Map.Entry<String, Tensor> e : state.entrySet()) {
                    Npy.write(tmp.resolve("optim." + e.getKey() + ".npy"), e.getValue());
                }
            }
            Files.writeString(tmp.resolve("meta.json"), Json.write(meta) + "\n");
        });
    }

    /** Parameters for {@code model} from {@code dir}; names and shapes must match the model's. */
    @SuppressWarnings("unchecked")
    public static Params load(Path dir, Model model) throws IOException {
        Map<String, Object> meta = readMeta(dir);
        if (!model.name().equals(meta.get("model"))) {
            throw new IOException(dir + ": checkpoint is for model '" + meta.get("model") + "', not '" + model.name() + "'");
        }
        Params template = model.init(new org.distill4j.tensor.Generator(0), org.distill4j.kernels.DType.F32);
        Params loaded;
        try {
            loaded = template.map((n, v) -> {
            try {
                Tensor t = Npy.read(dir.resolve("param." + n + ".npy"));
                if (!v.value().sameShape(t)) {
                    throw new IOException(dir + ": parameter '" + n + "' has shape "
                            + java.util.Arrays.toString(t.shape()) + ", model expects " + java.util.Arrays.toString(v.shape()));
                }
                return Var.param(t);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        for (Map.Entry<String, Tensor> e : loaded.buffers().entrySet()) {
            Tensor saved = Npy.read(dir.resolve("buffer." + e.getKey() + ".npy"));
            if (!saved.sameShape(e.getValue())) {
                throw new IOException(dir + ": buffer '" + e.getKey() + "' has shape " + java.util.Arrays.toString(saved.shape())
                        + ", model expects " + java.util.Arrays.toString(e.getValue().shape()));
            }
            org.distill4j.tensor.Elementwise.binaryInto(org.distill4j.kernels.BinaryOp.ADD,
                    org.distill4j.tensor.Elementwise.fullLike(saved, 0), saved, e.getValue());
        }
        return loaded;
    }

    /** Loads the optimiser state saved beside the parameters into {@code optimizer}. */
    @SuppressWarnings("unchecked")
    public static void loadOptimizer(Path dir, Optimizer optimizer) throws IOException {
        Map<String, Object> meta = readMeta(dir);
        Map<String, Tensor> state = new LinkedHashMap<>();
        if (!(meta.getOrDefault("optimizer_state", List.of()) instanceof List<?> keys)) {
            throw new IOException(dir.resolve("meta.json") + ": 'optimizer_state' must be a list of names, got "
                    + Json.kind(meta.get("optimizer_state")));
        }
        for (Object k : keys) {
            // A name is part of a file name: nothing that could leave the folder.
            if (!(k instanceof String name) || !name.matches("[A-Za-z0-9_.]+") || name.contains("..")) {
                throw new IOException(dir.resolve("meta.json") + ": 'optimizer_state' holds " + Json.kind(k)
                        + " that is not a tensor name (letters, digits, '_' and '.')");
            }
            state.put(name, Npy.read(dir.resolve("optim." + name + ".npy")));
        }
        optimizer.loadState(state);
    }

    public static int epoch(Path dir) throws IOException {
        Object epoch = readMeta(dir).get("epoch");
        if (!(epoch instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw new IOException(dir.resolve("meta.json") + ": 'epoch' must be a whole number >= 0, got " + Json.kind(epoch));
        }
        return n.intValue();
    }

    private static Map<String, Object> readMeta(Path dir) throws IOException {
        Path meta = dir.resolve("meta.json");
        if (!Files.exists(meta)) {
            throw new IOException(dir + ": not a checkpoint (no meta.json)");
        }
        return Json.readObject(meta);
    }
}
