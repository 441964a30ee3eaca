package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BackendProvider;
import org.distill4j.kernels.Devices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/**
 * The same comparisons on a real GPU, through {@link Devices#resolve}: JCuda, the fatbins, cuBLAS
 * when it loads. Skipped, with the reason, where CUDA is unavailable; run only these with
 * {@code mvn -B -pl cuda -am verify -Dgroups=gpu} (see cuda/README.md). The skip is not governed by
 * {@code DISTILL4J_REQUIRE_ALL}: CI's machines have no GPU, and the emulated device covers them.
 */
@Tag("gpu")
class GpuKernelsTest {

    private static boolean described;

    static synchronized Backend gpu() {
        BackendProvider.Availability a = Devices.availability("cuda");
        Assumptions.assumeTrue(a.available(), a.reason());
        Backend b = Devices.resolve("cuda").backend();
        if (!described) {
            described = true;
            System.out.println("GPU under test: " + ((CudaBackend) b).description());
        }
        return b;
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
