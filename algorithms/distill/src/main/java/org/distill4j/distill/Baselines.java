package org.distill4j.distill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.data.Dataset;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * The paper's baselines as {@link DistilledSet}s with the same layout and schedule as a distilled
 * set (so they are replayed with the same learned rates and step order): random real images,
 * class-mean images, k-means centroids per class, and any selection of real examples. For the
 * first three, class c's k = ipc x steps images fill slot c, c + classes, ... of every step.
 */
public final class Baselines {
    private Baselines() {
    }

    /** k random training images of each class. */
    public static DistilledSet randomReal(Dataset train, int ipc, int steps, double[] lrs, Generator gen) {
        int k = ipc * steps;
        Tensor[] perClass = new Tensor[train.classes()];
        for (int c = 0; c < perClass.length; c++) {
            int[] members = members(train, c, k);
            int[] perm = gen.fork(c).permutation(members.length);
            int[] pick = new int[k];
            for (int i = 0; i < k; i++) {
                pick[i] = members[perm[i]];
            }
            perClass[c] = train.subset(pick).images();
        }
        return assemble("random real images", train, perClass, ipc, steps, lrs);
    }

    /** Every one of class c's k images is the class mean. */
    public static DistilledSet classMeans(Dataset train, int ipc, int steps, double[] lrs) {
        int k = ipc * steps;
        Tensor[] perClass = new Tensor[train.classes()];
        for (int c = 0; c < perClass.length; c++) {
            Tensor x = train.subset(members(train, c, 1)).images();
            Tensor mean = Elementwise.affine(Reduce.sum(x, new int[]{0}, true), 1.0 / x.dim(0), 0);
            perClass[c] = mean.expand(k, x.dim(1), x.dim(2), x.dim(3)).contiguous();
        }
        return assemble("class-mean images", train, perClass, ipc, steps, lrs);
    }

    /** k centroids per class by Lloyd's algorithm from k distinct random members (seeded). */
    public static DistilledSet kMeans(Dataset train, int ipc, int steps, double[] lrs, Generator gen, int iterations) {
        int k = ipc * steps;
        Tensor[] perClass = new Tensor[train.classes()];
        for (int c = 0; c < perClass.length; c++) {
            Tensor x = train.subset(members(train, c, k)).images();
            int[] s = x.shape();
            Tensor centroids = lloyd(x.reshape(s[0], s[1] * s[2] * s[3]), k, gen.fork(c), iterations);
            perClass[c] = centroids.reshape(k, s[1], s[2], s[3]);
        }
        return assemble("k-means centroids", train, perClass, ipc, steps, lrs);
    }

    /** Lloyd's k-means on the rows of {@code x [m, d]}; an emptied cluster keeps its centroid. */
    static Tensor lloyd(Tensor x, int k, Generator gen, int iterations) {
        int m = x.dim(0);
        int[] perm = gen.permutation(m);
        Tensor c = Indexing.indexSelect(x, 0, Tensor.fromInts(java.util.Arrays.copyOf(perm, k), k));
        Tensor ones = Tensor.ones(x.dtype(), m, 1);
        for (int it = 0; it < iterations; it++) {
            // argmin_j ||x - c_j||^2 = argmax_j (2 x.c_j - ||c_j||^2)
            Tensor cc = Reduce.sum(Elementwise.mul(c, c), new int[]{1}, false);
            Tensor score = Elementwise.sub(Elementwise.affine(Gemm.matmul(x, c.mT()), 2, 0), cc.unsqueeze(0));
            Tensor assign = Reduce.argmax(score, 1).to(DType.I32);
            Tensor sums = Indexing.indexAdd(new int[]{k, x.dim(1)}, 0, assign, x);
            double[] counts = Indexing.indexAdd(new int[]{k, 1}, 0, assign, ones).toDoubleArray();
            double[] cv = c.toDoubleArray();
            double[] sv = sums.toDoubleArray();
            int d = x.dim(1);
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < d; i++) {
                    cv[j * d + i] = counts[j] > 0 ? sv[j * d + i] / counts[j] : cv[j * d + i];
                }
            }
            Tensor next = Tensor.from(x.dtype(), cv, k, d);
            if (java.util.Arrays.equals(next.toDoubleArray(), c.toDoubleArray())) {
                break;
            }
            c = next;
        }
        return c;
    }

    /** The examples at {@code indices} (there must be steps x n of them), in order, with their own labels. */
    public static DistilledSet fromIndices(String method, Dataset train, int[] indices, int ipc, int steps, double[] lrs) {
        int n = ipc * train.classes();
        if (indices.length != n * steps) {
            throw new IllegalArgumentException("a selection of " + indices.length + " examples cannot fill " + steps
                    + " steps of " + n + " images; select exactly " + n * steps);
        }
        Dataset sub = train.subset(indices);
        int[] s = train.images().shape();
        Tensor images = sub.images().reshape(steps, n, s[1], s[2], s[3]);
        Tensor labels = Tensor.fromInts(sub.labels(), steps, n);
        return new DistilledSet(images, labels, lrs, meta(method, train, ipc, steps, lrs.length / steps));
    }

    private static int[] members(Dataset train, int c, int atLeast) {
        List<Integer> m = new ArrayList<>();
        int[] labels = train.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                m.add(i);
            }
        }
        if (m.size() < atLeast) {
            throw new IllegalArgumentException("class " + c + " has " + m.size() + " training examples; need " + atLeast);
        }
        return m.stream().mapToInt(Integer::intValue).toArray();
    }

    private static DistilledSet assemble(String method, Dataset train, Tensor[] perClass, int ipc, int steps, double[] lrs) {
        int classes = train.classes();
        int n = ipc * classes;
        Tensor[] slots = new Tensor[steps * n];
        int[] labels = new int[steps * n];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < n; j++) {
                int c = j % classes;
                slots[s * n + j] = perClass[c].select(0, s * ipc + j / classes);
                labels[s * n + j] = c;
            }
        }
        int[] shape = train.imageShape();
        Tensor images = Indexing.stack(0, slots).reshape(steps, n, shape[0], shape[1], shape[2]);
        return new DistilledSet(images, Tensor.fromInts(labels, steps, n), lrs,
                meta(method, train, ipc, steps, lrs.length / steps));
    }

    private static Map<String, Object> meta(String method, Dataset train, int ipc, int steps, int epochs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("dataset", train.name());
        m.put("classes", train.classes());
        m.put("image_shape", train.imageShape());
        m.put("ipc", ipc);
        m.put("steps", steps);
        m.put("epochs", epochs);
        m.put("soft_labels", false);
        return m;
    }
}
