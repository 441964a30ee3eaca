package org.distill4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * A data set as a folder of two NumPy arrays: {@code images.npy} and {@code labels.npy}.
 * Images may be float ({@code [N, C, H, W]}, {@code [N, H, W]} or {@code [N, F]}, kept as they are)
 * or unsigned bytes (scaled to {@code [0, 1]}); labels are integers {@code [N]}.
 */
public final class NpyFolder {
    static final String IMAGES = "images.npy";
    static final String LABELS = "labels.npy";

    private NpyFolder() {
    }

    static boolean looksLikeNpy(Path dir) {
        return Files.isRegularFile(dir.resolve(IMAGES)) && Files.isRegularFile(dir.resolve(LABELS));
    }

    /** Reads {@code dir/images.npy} and {@code dir/labels.npy}; classes are the largest label plus one. */
    public static Dataset read(Path dir) throws IOException {
        Path imagesPath = dir.resolve(IMAGES);
        Path labelsPath = dir.resolve(LABELS);
        for (Path p : new Path[]{imagesPath, labelsPath}) {
            if (!Files.isRegularFile(p)) {
                throw FileBytes.missing(p, "a data set folder holds images.npy and labels.npy");
            }
        }
        Tensor raw = Npy.read(imagesPath);
        Tensor labelTensor = Npy.read(labelsPath);
        int[] s = raw.shape();
        int[] shape = switch (s.length) {
            case 4 -> s;
            case 3 -> new int[]{s[0], 1, s[1], s[2]};
            case 2 -> new int[]{s[0], 1, 1, s[1]};
            default -> throw new IOException(imagesPath + ": images of shape " + Shape.str(s)
                    + ", expected [N, C, H, W], [N, H, W] or [N, F]");
        };
        if (labelTensor.dtype() != DType.I32 || labelTensor.size() != shape[0]
                || !(labelTensor.rank() == 1 || labelTensor.rank() == 2 && labelTensor.dim(1) == 1)) {
            throw new IOException(labelsPath + ": expected " + shape[0] + " integer labels [N], got "
                    + labelTensor.dtype() + " " + Shape.str(labelTensor.shape()));
        }
        Tensor images = raw.dtype() == DType.I32 ? fromBytes(raw, imagesPath) : raw.to(DType.F32);
        int[] labels = labelTensor.toIntArray();
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IOException(labelsPath + ": label " + labels[i] + " of example " + i + " is negative");
            }
            max = Math.max(max, labels[i]);
        }
        return new Dataset(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
                images.reshape(shape), labels, max + 1);
    }

    /** Integer images are bytes (NumPy's uint8 pictures): brought to the [0, 1] scale of every other reader. */
    private static Tensor fromBytes(Tensor raw, Path path) throws IOException {
        int[] v = raw.toIntArray();
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > 255) {
                throw new IOException(path + ": integer image value " + v[i] + " at element " + i
                        + " is not a byte 0..255 (store other images as float32)");
            }
            f[i] = v[i] / 255f;
        }
        return Pixels.handOver(f, raw.shape());
    }

    /**
     * Writes {@code d} as the folder {@code dir}: {@code images.npy} (F32), {@code labels.npy}
     * (int32) and a {@code meta.json} that marks it as distill4j's, all or nothing; refuses to
     * replace anything but an empty folder or an earlier such folder (see {@link Output}).
     */
    public static void write(Path dir, Dataset d) throws IOException {
        Output.check(dir, OutputKinds.NPY_DATASET, false).writeFolder(tmp -> {
            Npy.write(tmp.resolve(IMAGES), d.images());
            Npy.write(tmp.resolve(LABELS), d.labelTensor());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("kind", OutputKinds.NPY_DATASET.id());
            meta.put("name", d.name());
            meta.put("examples", d.size());
            meta.put("classes", d.classes());
            Files.writeString(tmp.resolve("meta.json"), Json.write(meta) + "\n");
        });
    }
}
