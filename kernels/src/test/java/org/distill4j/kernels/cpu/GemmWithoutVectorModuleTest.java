package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.SplittableRandom;
import org.distill4j.kernels.cpu.GemmChecks.Case;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own surefire execution on a JVM started WITHOUT {@code --add-modules
 * jdk.incubator.vector} (see kernels/pom.xml): the public GEMM must fall back to plain Java and
 * never touch a Vector API class.
 */
class GemmWithoutVectorModuleTest {
    @Test
    void vectorApiIsAbsent() {
        assertFalse(VectorSupport.AVAILABLE, "this test must run without jdk.incubator.vector");
    }

    @Test
    void sgemmAndDgemmMatchReferenceWithoutVectorApi() {
        for (Case q : GemmChecks.cases()) {
            SplittableRandom rng = new SplittableRandom(q.hashCode());
            float[] a = GemmChecks.floats(rng, q.rowsA(), q.colsA(), q.offA(), q.lda(), false);
            float[] b = GemmChecks.floats(rng, q.rowsB(), q.colsB(), q.offB(), q.ldb(), false);
            float[] c = GemmChecks.floats(rng, q.m(), q.n(), q.offC(), q.ldc(), q.beta() == 0);
            float[] expected = c.clone();
            Gemm.sgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(),
                    q.lda(), b, q.offB(), q.ldb(), (float) q.beta(), expected, q.offC(), q.ldc());
            float[] actual = c.clone();
            Gemm.sgemm(q.transA(), q.transB(), q.m(), q.n(), q.k(), (float) q.alpha(), a, q.offA(), q.lda(),
                    b, q.offB(), q.ldb(), (float) q.beta(), actual, q.offC(), q.ldc());
            GemmChecks.assertClose(q, GemmChecks.widen(a), GemmChecks.widen(b), GemmChecks.widen(c),
                    GemmChecks.widen(expected), GemmChecks.widen(actual), Math.ulp(1f));

            double[] da = GemmChecks.widen(a);
            double[] db = GemmChecks.widen(b);
            double[] dc = GemmChecks.widen(c);
            double[] dExpected = dc.clone();
            Gemm.dgemmReference(q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), da, q.offA(), q.lda(),
                    db, q.offB(), q.ldb(), q.beta(), dExpected, q.offC(), q.ldc());
            double[] dActual = dc.clone();
            Gemm.dgemm(q.transA(), q.transB(), q.m(), q.n(), q.k(), q.alpha(), da, q.offA(), q.lda(),
                    db, q.offB(), q.ldb(), q.beta(), dActual, q.offC(), q.ldc());
            GemmChecks.assertClose(q, da, db, dc, dExpected, dActual, Math.ulp(1d));
        }
    }
}
