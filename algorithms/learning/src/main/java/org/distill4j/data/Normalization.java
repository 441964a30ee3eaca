package org.distill4j.data;

import java.util.Arrays;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/**
 * Per-channel normalisation {@code (x - mean[c]) / std[c]} of images {@code [N, C, H, W]} (or one
 * image {@code [C, H, W]}), and its inverse for showing normalised images as pictures.
 */
public record Normalization(double[] mean, double[] std) {
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || std[c] <= 0) {
                throw new IllegalArgumentException("normalisation of channel " + c + ": mean " + mean[c] + ", std " + std[c]
                        + " (expected a finite mean and a finite std > 0)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Normalization of(double[] mean, double[] std) {
        return new Normalization(mean, std);
    }

    /**
     * The per-channel mean and population standard deviation over every pixel of {@code d}.
     * Accumulated in double, two passes, so 47 million Fashion-MNIST pixels lose no precision.
     */
    public static Normalization fit(Dataset d) {
        int[] s = d.images().shape();
        int n = s[0];
        int channels = s[1];
        int plane = s[2] * s[3];
        float[] x = d.images().toFloatArray();
        double[] mean = new double[channels];
        double[] std = new double[channels];
        double count = (double) n * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    sum += x[base + p];
                }
            }
            mean[c] = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    double dev = x[base + p] - mean[c];
                    squares += dev * dev;
                }
            }
            std[c] = Math.sqrt(squares / count);
            if (std[c] == 0) {
                throw constantChannel(d.name(), c);
            }
        }
        return new Normalization(mean, std);
    }

    static IllegalArgumentException constantChannel(String dataset, int channel) {
        return new IllegalArgumentException("data set '" + dataset + "': channel " + channel
                + " is constant (std 0), so it cannot be normalised");
    }

    /**
     * What {@link #apply} makes of each byte value of channel {@code c} in an F32 image: {@code
     * (b / 255f) * (float) (1 / std) + (float) (-mean / std)}, multiplied and added in float as
     * the two element-wise ops of {@code apply} do.
     */
    float[] byteTable(int c) {
        float scale = (float) (1 / std[c]);
        float shift = (float) (-mean[c] / std[c]);
        float[] table = new float[256];
        for (int b = 0; b < 256; b++) {
            float scaled = Pixels.unit((byte) b) * scale;
            table[b] = scaled + shift;
        }
        return table;
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** {@code (images - mean) / std} per channel. */
    public Tensor apply(Tensor images) {
        double[] scale = new double[mean.length];
        double[] shift = new double[mean.length];
        for (int c = 0; c < mean.length; c++) {
            scale[c] = 1 / std[c];
            shift[c] = -mean[c] / std[c];
        }
        return affine(images, scale, shift, "normalise");
    }

    /** {@code images * std + mean} per channel: undoes {@link #apply}. */
    public Tensor invert(Tensor images) {
        return affine(images, std, mean, "invert normalisation of");
    }

    private Tensor affine(Tensor images, double[] scale, double[] shift, String what) {
        int rank = images.rank();
        if ((rank != 3 && rank != 4) || !images.dtype().isFloating() || images.dim(-3) != mean.length) {
            throw new IllegalArgumentException("cannot " + what + " images " + images.dtype() + " " + Shape.str(images.shape())
                    + " with " + mean.length + " channel(s): expected F32/F64 [N, " + mean.length + ", H, W] or ["
                    + mean.length + ", H, W]");
        }
        int[] perChannel = rank == 4 ? new int[]{1, mean.length, 1, 1} : new int[]{mean.length, 1, 1};
        return Elementwise.add(Elementwise.mul(images, channelTensor(images, scale, perChannel)),
                channelTensor(images, shift, perChannel));
    }

    /** {@code values} as a tensor of {@code like}'s dtype and backend, shaped to broadcast over channels. */
    private static Tensor channelTensor(Tensor like, double[] values, int[] shape) {
        Buffer b;
        if (like.dtype() == DType.F32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            b = like.backend().upload(f);
        } else {
            b = like.backend().upload(values);
        }
        return Tensor.of(b, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
