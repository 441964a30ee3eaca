package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;

/** Uniform and normal numbers from the Philox stream of {@link org.distill4j.kernels.Philox}: rng.cu. */
final class CudaRng {
    private final CudaBackend backend;

    CudaRng(CudaBackend backend) {
        this.backend = backend;
    }

    void uniform(long seed, long counter, Buffer out, int offset, int n, double lo, double hi) {
        draw("uniform", seed, counter, out, offset, n, lo, hi);
    }

    void normal(long seed, long counter, Buffer out, int offset, int n, double mean, double std) {
        draw("normal", seed, counter, out, offset, n, mean, std);
    }

    private void draw(String kernel, long seed, long counter, Buffer out, int offset, int n, double p, double q) {
        CudaBuffer o = Checks.range(Checks.floating(backend, out, kernel), offset, n, kernel);
        if (n == 0) {
            return;
        }
        KernelArgs args = new KernelArgs().i64(seed).i64(counter).pointer(o.address(offset)).i32(n).f64(p).f64(q);
        // One thread per Philox block of four numbers.
        backend.device.launch(kernel + "_" + Checks.suffix(o.dtype()), LaunchConfig.perElement((n + 3L) / 4), args);
    }
}
