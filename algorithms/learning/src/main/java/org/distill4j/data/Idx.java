package org.distill4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
 * header {@code 00 00 <type> <ndims>}, {@code ndims} 32-bit sizes, then the data. Images are
 * unsigned bytes {@code [N, H, W]} (magic {@code 0x00000803}), labels unsigned bytes {@code [N]}
 * (magic {@code 0x00000801}). Files may be gzipped or raw; pixels are scaled to {@code [0, 1]}.
 */
public final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /** Reads an image file and its label file into one data set with {@code classes} classes. */
    public static Dataset read(Path images, Path labels, String name, int classes) throws IOException {
        return read(images, labels, name, classes, "");
    }

    /** As {@link #read(Path, Path, String, int)}, with as many classes as the largest label needs. */
    public static Dataset read(Path images, Path labels, String name) throws IOException {
        return read(images, labels, name, 0, "");
    }

    /** {@code classes <= 0} means infer; {@code hint} says how to get the files when they are missing. */
    static Dataset read(Path images, Path labels, String name, int classes, String hint) throws IOException {
        return readBytes(images, labels, name, classes, hint).toUnit();
    }

    /** As {@link #read(Path, Path, String, int, String)}, the pixels left as the file's bytes. */
    static ByteImages readBytes(Path images, Path labels, String name, int classes, String hint) throws IOException {
        byte[] img = FileBytes.read(images, hint);
        byte[] lab = FileBytes.read(labels, hint);
        int[] imgDims = header(img, images, IMAGES_MAGIC, 3);
        int[] labDims = header(lab, labels, LABELS_MAGIC, 1);
        int n = imgDims[0];
        int h = imgDims[1];
        int w = imgDims[2];
        if (n == 0) {
            throw new IOException(images + ": holds no images (count 0 in its header)");
        }
        if (labDims[0] != n) {
            throw new IOException(images + " holds " + n + " images but " + labels + " holds " + labDims[0] + " labels");
        }
        int[] label = new int[n];
        int maxLabel = 0;
        for (int i = 0; i < n; i++) {
            label[i] = lab[8 + i] & 0xFF;
            maxLabel = Math.max(maxLabel, label[i]);
        }
        int k = classes > 0 ? classes : maxLabel + 1;
        if (maxLabel >= k) {
            for (int i = 0; i < n; i++) {
                if (label[i] >= k) {
                    throw new IOException(labels + ": label " + label[i] + " of example " + i + " is outside [0, " + k + ")");
                }
            }
        }
        return new ByteImages(name, img, 16, n, 1, h, w, label, k);
    }

    /**
     * Checks the magic number and that the file is exactly header plus data long; returns the sizes.
     */
    private static int[] header(byte[] b, Path path, int magic, int ndims) throws IOException {
        int headerBytes = 4 + 4 * ndims;
        if (b.length < 4) {
            throw new IOException(path + ": too short for an IDX file (" + b.length + " bytes)");
        }
        int found = readInt(b, 0);
        if (found != magic) {
            throw new IOException(path + ": bad IDX magic number " + hex(found) + ", expected " + hex(magic)
                    + " (" + (magic == IMAGES_MAGIC ? "unsigned-byte images [N, H, W]" : "unsigned-byte labels [N]") + ")");
        }
        if (b.length < headerBytes) {
            throw new IOException(path + ": truncated IDX header, expected " + headerBytes + " bytes, found " + b.length);
        }
        int[] dims = new int[ndims];
        long size = 1;
        for (int d = 0; d < ndims; d++) {
            dims[d] = readInt(b, 4 + 4 * d);
            if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
                throw new IOException(path + ": bad IDX size " + dims[d] + " in dimension " + d);
            }
            size *= dims[d];
        }
        long expected = headerBytes + size;
        if (size > Integer.MAX_VALUE - 64) {
            throw new IOException(path + ": IDX data of " + size + " bytes is too large");
        }
        if (b.length != expected) {
            throw new IOException(path + ": " + (b.length < expected ? "truncated" : "trailing bytes") + ", expected "
                    + expected + " bytes (uncompressed) for " + dimsText(dims) + ", found " + b.length);
        }
        return dims;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String dimsText(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append(sb.length() == 0 ? "" : " x ").append(d);
        }
        return sb.toString();
    }
}
