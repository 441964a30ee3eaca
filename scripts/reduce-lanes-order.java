import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Which order does this JDK's FloatVector.reduceLanes(ADD) add the lanes in, before C2 compiles the
 * call (Java fallback) and after? The Vector API leaves it open for floating point; distill4j's
 * kernels use their own fixed order (kernels/.../cpu/LaneSum.java). Run:
 *   java --add-modules jdk.incubator.vector scripts/reduce-lanes-order.java
 * (JDK 17.0.15: in lane order before and after; Temurin 25.0.3: in lane order, then halves once compiled.)
 */
public class ReduceLanesOrder {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;

    static float sum(float[] a) { return FloatVector.fromArray(S, a, 0).reduceLanes(VectorOperators.ADD); }
    static float sumMasked(float[] a) { return FloatVector.fromArray(S, a, 0, S.indexInRange(0, 7)).reduceLanes(VectorOperators.ADD); }
    static double sum(double[] a) { return DoubleVector.fromArray(D, a, 0).reduceLanes(VectorOperators.ADD); }

    static float inOrder(float[] a) { float s = 0; for (float v : a) s += v; return s; }
    static float halves(float[] a) {
        float[] t = a.clone();
        for (int w = t.length / 2; w >= 1; w /= 2) for (int i = 0; i < w; i++) t[i] += t[i + w];
        return t[0];
    }
    static String order(float r, float[] a) {
        boolean o = r == inOrder(a), h = r == halves(a);
        return o && h ? "either" : o ? "lane order" : h ? "halves" : "other";
    }

    public static void main(String[] args) {
        Random rnd = new Random(1);
        int n = 2000;
        float[][] x = new float[n][8];
        double[][] xd = new double[n][4];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 8; i++) x[k][i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4));
            for (int i = 0; i < 4; i++) xd[k][i] = x[k][i] * 1e-3 + x[k][i + 4];
        }
        float[] cold = new float[n], coldMasked = new float[n];
        double[] coldD = new double[n];
        for (int k = 0; k < n; k++) { cold[k] = sum(x[k]); coldMasked[k] = sumMasked(x[k]); coldD[k] = sum(xd[k]); }
        double sink = 0;
        for (int r = 0; r < 200; r++) for (int k = 0; k < n; k++) sink += sum(x[k]) + sumMasked(x[k]) + sum(xd[k]);
        int diff = 0, diffMasked = 0, diffD = 0;
        Map<String, Integer> before = new TreeMap<>(), after = new TreeMap<>();
        for (int k = 0; k < n; k++) {
            float warm = sum(x[k]);
            diff += Float.floatToRawIntBits(warm) != Float.floatToRawIntBits(cold[k]) ? 1 : 0;
            diffMasked += Float.floatToRawIntBits(sumMasked(x[k])) != Float.floatToRawIntBits(coldMasked[k]) ? 1 : 0;
            diffD += Double.doubleToRawLongBits(sum(xd[k])) != Double.doubleToRawLongBits(coldD[k]) ? 1 : 0;
            before.merge(order(cold[k], x[k]), 1, Integer::sum);
            after.merge(order(warm, x[k]), 1, Integer::sum);
        }
        System.out.println("java " + System.getProperty("java.version") + ": after 600,000 calls, of " + n + " vectors the sum changed for "
                + diff + " (8 floats), " + diffMasked + " (7 of 8 floats, masked load), " + diffD + " (4 doubles)" + (sink == 0.5 ? "" : ""));
        System.out.println("  float order on the first calls " + before + ", at the end " + after);
    }
}
