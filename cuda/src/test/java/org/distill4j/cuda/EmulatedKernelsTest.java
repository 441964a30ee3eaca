package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.junit.jupiter.api.Nested;

/**
 * Every kernel, through the real {@link CudaBackend}, on the emulated device (the .cu sources
 * compiled with g++, see src/test/native), compared with the CPU backend. Runs wherever g++ is
 * installed; skipped, with the reason, where it is not.
 */
class EmulatedKernelsTest {
    /**
     * A small convolution workspace (16 KiB) so that the tests' convolutions go through several
     * im2col chunks; GEMM on gemm.cu, as on a GPU without cuBLAS.
     */
    static final long CONV_WORKSPACE = 16 << 10;
    private static CudaBackend backend;
    private static EmulatedDevice device;

    static synchronized CudaBackend backend() {
        EmulatedDevice d = EmulatedDevice.shared();
        if (backend == null || d != device) {  // a new harness process after a crash: a new backend
            device = d;
            backend = new CudaBackend(d, dev -> new KernelGemm(dev, "emulated"), 1L << 30, () -> { }, CONV_WORKSPACE);
        }
        return backend;
    }

    @Nested
    class Elementwise extends ElementwiseConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Gemm extends GemmConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Conv extends ConvConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Pool extends PoolConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Reduce extends ReduceConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Softmax extends SoftmaxConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Norm extends NormConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Resample extends ResampleConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Indexing extends IndexingConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }

    @Nested
    class Rng extends RngConformance {
        @Override
        Backend cuda() {
            return backend();
        }
    }
}
