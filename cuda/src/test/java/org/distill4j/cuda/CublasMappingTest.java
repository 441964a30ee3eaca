package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * cuBLAS cannot run here (no GPU, and JCublas 12.6 needs libcublas.so.12), but the part of
 * {@link CublasGemm} that is easy to get wrong can: the column-major call it makes of a row-major
 * GEMM (review risk 2). A reference column-major GEMM with BLAS's own definition of op, leading
 * dimensions and batch strides, run on the call {@link CublasGemm.ColumnMajor#of} makes, must give
 * what the CPU backend's row-major gemmBatched gives, for every transpose, with padded leading
 * dimensions, offsets, batch strides, a shared operand (stride 0) and beta.
 */
class CublasMappingTest {
    private static final CpuBackend CPU = CpuBackend.get();

    /** BLAS sgemm/dgemm, strided-batched, column-major: element (i, j) of X is X[i + j * ld]. */
    static void columnMajorGemm(CublasGemm.ColumnMajor c, double alpha, double beta, double[] mem) {
        for (int p = 0; p < c.batch(); p++) {
            long f = c.first() + p * c.strideFirst();
            long s = c.second() + p * c.strideSecond();
            long out = c.c() + p * c.strideC();
            for (int i = 0; i < c.m(); i++) {
                for (int j = 0; j < c.n(); j++) {
                    double sum = 0;
                    for (int l = 0; l < c.k(); l++) {
                        double x = c.transFirst() ? mem[(int) (f + l + (long) i * c.ldFirst())] : mem[(int) (f + i + (long) l * c.ldFirst())];
                        double y = c.transSecond() ? mem[(int) (s + j + (long) l * c.ldSecond())] : mem[(int) (s + l + (long) j * c.ldSecond())];
                        sum += x * y;
                    }
                    int at = (int) (out + i + (long) j * c.ldc());
                    mem[at] = alpha * sum + (beta == 0 ? 0 : beta * mem[at]);
                }
            }
        }
    }

    @Test
    void theColumnMajorCallComputesTheRowMajorProduct() {
        Random random = new Random(3);
        int m = 7;
        int n = 5;
        int k = 4;
        int batch = 3;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (boolean sharedA : new boolean[] {false, true}) {
                    int lda = (ta ? m : k) + 2;
                    int ldb = (tb ? k : n) + 1;
                    int ldc = n + 3;
                    int sizeA = (ta ? k : m) * lda;
                    int sizeB = (tb ? n : k) * ldb;
                    int strideA = sharedA ? 0 : sizeA + 1;
                    int strideB = sizeB + 2;
                    int strideC = m * ldc + 1;
                    // One flat "device memory": A at 5, B after it, C after B, as addresses in elements.
                    int a = 5;
                    int b = a + (batch - 1) * strideA + sizeA + 3;
                    int c = b + (batch - 1) * strideB + sizeB + 4;
                    double[] mem = new double[c + (batch - 1) * strideC + m * ldc + 2];
                    for (int i = 0; i < mem.length; i++) {
                        mem[i] = random.nextInt(9) - 4;  // integers: both sums are exact
                    }
                    Buffer cpu = CPU.upload(mem.clone());
                    CPU.gemmBatched(ta, tb, m, n, k, 1.5, cpu, a, lda, strideA, cpu, b, ldb, strideB, 0.5, cpu, c, ldc, strideC, batch);
                    CublasGemm.ColumnMajor call = CublasGemm.ColumnMajor.of(ta, tb, m, n, k, a, lda, strideA, b, ldb, strideB,
                            c, ldc, strideC, batch);
                    columnMajorGemm(call, 1.5, 0.5, mem);
                    double[] expected = CPU.downloadDoubles(cpu, 0, mem.length);
                    for (int i = 0; i < mem.length; i++) {
                        assertEquals(expected[i], mem[i], 0, (ta ? "T" : "N") + (tb ? "T" : "N") + (sharedA ? " shared A" : "")
                                + ": element " + i + " of the flat memory");
                    }
                }
            }
        }
    }
}
