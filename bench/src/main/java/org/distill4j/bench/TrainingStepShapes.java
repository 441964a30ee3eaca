package org.distill4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The matrix products of one training step at batch 256, convolutions lowered to GEMM with
 * im2col over the whole batch: for a layer with {@code cout} filters over {@code cin x kh x kw}
 * patches at {@code P = batch x outH x outW} output positions,
 * <pre>
 *   forward          Y[cout, P]         = W[cout, K] cols[K, P]         (K = cin kh kw)
 *   backward data    gcols[K, P]        = W^T[K, cout] gY[cout, P]
 *   backward weight  gW[cout, K]        = gY[cout, P] cols^T[P, K]
 * </pre>
 * and a linear layer {@code y = x W^T} with W stored {@code [out, in]}. Input gradients of the
 * first layer are included: dataset distillation differentiates with respect to the images.
 */
public final class TrainingStepShapes {
    /** One product: {@code C[m, n] = op(A)[m, k] op(B)[k, n]}, A and B stored row-major untransposed or transposed. */
    public record Shape(boolean transA, boolean transB, int m, int n, int k) {
        public double flops() {
            return 2.0 * m * n * k;
        }
    }

    static final int BATCH = 256;

    /** In the order of a step: LeNet-5 on 28x28x1, then ConvNet-3 (width 128) on 32x32x3. */
    public static final Map<String, Shape> ALL = build();

    private TrainingStepShapes() {
    }

    private static Map<String, Shape> build() {
        Map<String, Shape> out = new LinkedHashMap<>();
        // LeNet: conv 6@5x5 pad 2 (28x28 out), pool, conv 16@5x5 (10x10 out), pool, fc 400-120-84-10.
        conv(out, "lenet.conv1", 1, 6, 5, 28);
        conv(out, "lenet.conv2", 6, 16, 5, 10);
        linear(out, "lenet.fc1", 400, 120);
        linear(out, "lenet.fc2", 120, 84);
        linear(out, "lenet.fc3", 84, 10);
        // ConvNet-3: three conv 128@3x3 pad 1 on 32, 16 and 8 pixel maps, each followed by a 2x2 pool; fc 2048-10.
        conv(out, "convnet.conv1", 3, 128, 3, 32);
        conv(out, "convnet.conv2", 128, 128, 3, 16);
        conv(out, "convnet.conv3", 128, 128, 3, 8);
        linear(out, "convnet.fc", 128 * 4 * 4, 10);
        return out;
    }

    private static void conv(Map<String, Shape> out, String name, int cin, int cout, int kernel, int outSize) {
        int k = cin * kernel * kernel;
        int positions = BATCH * outSize * outSize;
        out.put(name + ".forward", new Shape(false, false, cout, positions, k));
        out.put(name + ".data", new Shape(true, false, k, positions, cout));
        out.put(name + ".weight", new Shape(false, true, cout, k, positions));
    }

    private static void linear(Map<String, Shape> out, String name, int in, int outFeatures) {
        out.put(name + ".forward", new Shape(false, true, BATCH, outFeatures, in));
        out.put(name + ".data", new Shape(false, false, BATCH, in, outFeatures));
        out.put(name + ".weight", new Shape(true, false, outFeatures, in, BATCH));
    }
}
