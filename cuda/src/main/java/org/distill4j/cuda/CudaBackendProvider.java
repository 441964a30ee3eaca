package org.distill4j.cuda;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BackendProvider;

/**
 * Registers the CUDA backend with {@link java.util.ServiceLoader}. The first call to
 * {@link #availability()} or {@link #create()} probes the machine once for the whole JVM
 * ({@link CudaProbe}) and, when it can, opens the GPU; both then answer from that result.
 * Loading this class never touches JCuda.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static CudaProbe.Result result;

    private static synchronized CudaProbe.Result result() {
        if (result == null) {
            result = CudaProbe.probe(CudaProbe.SYSTEM);
        }
        return result;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Availability availability() {
        CudaProbe.Result r = result();
        return r.backend() != null ? Availability.yes() : Availability.no(r.reason());
    }

    @Override
    public Backend create() {
        CudaProbe.Result r = result();
        if (r.backend() == null) {
            throw new IllegalStateException(r.reason());
        }
        return r.backend();
    }
}
