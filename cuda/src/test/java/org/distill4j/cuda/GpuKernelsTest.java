package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/**
 * The emulated-device comparisons on a real GPU ({@link GpuUnderTest}): JCuda, the fatbins, and
 * cuBLAS when it loads. Skipped, with the reason, where CUDA is unavailable, unless
 * {@code -Ddistill4j.cuda.required=true} (scripts/gpu-check) makes that a failure. Run only these
 * with {@code mvn -B -pl cuda -am verify -Dgroups=gpu} (see cuda/README.md). The skip is not
 * governed by {@code DISTILL4J_REQUIRE_ALL}: CI's machines have no GPU, and the emulated device
 * covers them.
 *
 * <p>{@link GpuKernelGemmTest} runs every nested class here again on the second backend (gemm.cu,
 * a small convolution workspace): a new conformance class nested here with {@code cuda()}
 * returning {@link #gpu()} runs on both.
 */
@Tag("gpu")
class GpuKernelsTest {

    /** The backend under test. */
    Backend gpu() {
        return GpuUnderTest.probed();
    }

    @Nested
    class Elementwise extends ElementwiseConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Gemm extends GemmConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Conv extends ConvConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Pool extends PoolConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Reduce extends ReduceConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Softmax extends SoftmaxConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Norm extends NormConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Resample extends ResampleConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Indexing extends IndexingConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Rng extends RngConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }
}
