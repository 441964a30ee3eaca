package org.distill4j.kernels.cpu;

import org.distill4j.kernels.Backend;
import org.distill4j.kernels.BackendProvider;

/** Registers the CPU backend with {@link java.util.ServiceLoader}; it is available everywhere. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create() {
        return CpuBackend.get();
    }
}
