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
    class Reductions extends ReductionConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class Linear extends LinearConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }

    @Nested
    class PoolIndexRng extends PoolIndexRngConformance {
        @Override
        Backend cuda() {
            return gpu();
        }
    }
}
