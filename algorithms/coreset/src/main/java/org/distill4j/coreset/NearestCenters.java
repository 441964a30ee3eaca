package org.distill4j.coreset;

import java.util.Arrays;
import org.distill4j.tensor.Elementwise;
import org.distill4j.tensor.Gemm;
import org.distill4j.tensor.Indexing;
import org.distill4j.tensor.Reduce;
import org.distill4j.tensor.Tensor;

/**
 * The distance from every point of a set to its nearest chosen center, kept in O(N) arrays and
 * lowered by one matrix product per batch of new centers: never an N x N matrix. Distances have
 * the bilinear form {@code d(x, c) = a(x) + b(c) - scale * <phi(x), psi(c)>}, which covers the
 * squared Euclidean distance ({@code phi = psi = x}, {@code a = b = |x|^2}, scale 2) and the
 * symmetric KL divergence of Contextual Diversity.
 */
final class NearestCenters {
    /** Columns of the [N, block] distance products computed at once when many centers are added. */
    private static final int BLOCK_ELEMENTS = 1 << 22;

    private final Tensor phi;
    private final Tensor psi;
    private final double[] a;
    private final double[] b;
    private final double scale;
    private final double[] min;
    private final int[] nearest;
    private final boolean[] isCenter;
    private int centers;

    NearestCenters(Tensor phi, double[] a, Tensor psi, double[] b, double scale) {
        int n = phi.dim(0);
        if (psi.dim(0) != n || a.length != n || b.length != n || psi.dim(1) != phi.dim(1)) {
            throw new IllegalArgumentException("distance terms disagree: phi " + Arrays.toString(phi.shape()) + ", psi "
                    + Arrays.toString(psi.shape()) + ", " + a.length + " and " + b.length + " offsets");
        }
        this.phi = phi.contiguous();
        this.psi = psi == phi ? this.phi : psi.contiguous();
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.min = new double[n];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        this.nearest = new int[n];
        Arrays.fill(nearest, -1);
        this.isCenter = new boolean[n];
    }

    /** Squared Euclidean distances between the rows of {@code x} ({@code [N, D]}). */
    static NearestCenters squaredEuclidean(Tensor x) {
        double[] norms = rowSquaredNorms(x);
        return new NearestCenters(x, norms, x, norms, 2);
    }

    static double[] rowSquaredNorms(Tensor x) {
        return Reduce.sum(Elementwise.mul(x, x), new int[]{1}, false).toDoubleArray();
    }

    int size() {
        return min.length;
    }

    int centers() {
        return centers;
    }

    /** Distance from point {@code i} to its nearest center (+infinity before any center). */
    double distance(int i) {
        return min[i];
    }

    /** The nearest center of point {@code i}, or -1 before any center. */
    int nearest(int i) {
        return nearest[i];
    }

    /** Makes {@code c} a center: one [N, D] x [D, 1] product. */
    void add(int c) {
        addAll(new int[]{c});
    }

    /** Makes all of {@code cs} centers, in blocks of columns so the products stay a few MiB. */
    void addAll(int[] cs) {
        int n = min.length;
        int block = Math.max(1, Math.min(cs.length, BLOCK_ELEMENTS / Math.max(1, n)));
        for (int start = 0; start < cs.length; start += block) {
            int[] part = Arrays.copyOfRange(cs, start, Math.min(cs.length, start + block));
            Tensor rows = Indexing.indexSelect(psi, 0, Tensor.fromInts(part, part.length));
            double[] dots = Gemm.matmul(phi, rows.mT()).toDoubleArray();   // [N, part]
            int w = part.length;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < w; j++) {
                    double d = Math.max(0, a[i] + b[part[j]] - scale * dots[i * w + j]);
                    if (d < min[i]) {
                        min[i] = d;
                        nearest[i] = part[j];
                    }
                }
            }
            for (int c : part) {
                if (!isCenter[c]) {
                    isCenter[c] = true;
                    centers++;
                }
                // A center is at distance 0 from itself, whatever the rounding of the product says.
                min[c] = 0;
                nearest[c] = c;
            }
        }
    }

    /** The point farthest from every center (lowest index on ties), or -1 when all are centers. */
    int farthest() {
        int best = -1;
        double far = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < min.length; i++) {
            if (!isCenter[i] && min[i] > far) {
                far = min[i];
                best = i;
            }
        }
        return best;
    }
}
