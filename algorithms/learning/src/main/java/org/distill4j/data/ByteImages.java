package org.distill4j.data;

/**
 * Images as their file holds them: unsigned bytes {@code [N, C, H, W]} at {@code offset} in
 * {@code bytes}, with their labels. From here a loader makes the data set in [0, 1]
 * ({@link #toUnit}), or, for {@link DataSets#loadNormalized}, fits the normalisation on the bytes
 * ({@link #fit}) and makes the normalised data set in one pass ({@link #normalized}).
 *
 * <p>The direct path gives the same bits as scaling to [0, 1], {@link Normalization#fit} and
 * {@link Normalization#apply}: the sums run over the same values in the same order, and a pixel's
 * normalised value depends on its byte alone, so it is looked up in a 256-entry table computed
 * with the float operations of {@code apply} (multiply by the float scale, then add the float
 * shift). It writes one float array instead of three and reads bytes instead of floats: loading
 * and normalising Fashion-MNIST in a fresh JVM took 2.6-3.5 s before (scaling 0.7-1.4 s, fitting
 * 0.7 s, normalising 1.0 s, mostly loops that ran before the JIT had compiled them) and takes
 * 1.3-1.6 s this way.
 */
record ByteImages(String name, byte[] bytes, int offset, int n, int channels, int h, int w, int[] labels, int classes) {
    /** The data set with pixels scaled to [0, 1]. */
    Dataset toUnit() {
        float[] pixels = new float[n * channels * h * w];
        Pixels.toUnit(bytes, offset, pixels, 0, pixels.length);
        return new Dataset(name, Pixels.handOver(pixels, n, channels, h, w), labels, classes);
    }

    /** {@code Normalization.fit(toUnit())}, without making the floats. */
    Normalization fit() {
        int plane = h * w;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        double count = (double) n * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = offset + (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    sum += Pixels.unit(bytes[base + p]);
                }
            }
            mean[c] = sum / count;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int base = offset + (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    double dev = Pixels.unit(bytes[base + p]) - mean[c];
                    squares += dev * dev;
                }
            }
            std[c] = Math.sqrt(squares / count);
            if (std[c] == 0) {
                throw Normalization.constantChannel(name, c);
            }
        }
        return new Normalization(mean, std);
    }

    /** {@code toUnit().normalized(norm)}, without making the [0, 1] floats. */
    Dataset normalized(Normalization norm) {
        if (norm.channels() != channels) {
            // The general path says what is wrong.
            return toUnit().normalized(norm);
        }
        int plane = h * w;
        float[] out = new float[n * channels * plane];
        float[][] table = new float[channels][];
        for (int c = 0; c < channels; c++) {
            table[c] = norm.byteTable(c);
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float[] t = table[c];
                int from = offset + (i * channels + c) * plane;
                int to = (i * channels + c) * plane;
                for (int p = 0; p < plane; p++) {
                    out[to + p] = t[bytes[from + p] & 0xFF];
                }
            }
        }
        return new Dataset(name, Pixels.handOver(out, n, channels, h, w), labels, classes);
    }
}
