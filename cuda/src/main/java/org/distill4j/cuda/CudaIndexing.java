package org.distill4j.cuda;

import org.distill4j.kernels.Buffer;
import org.distill4j.kernels.DType;

/**
 * indexSelect, indexAdd, gatherRows, scatterAddRows: indexing.cu. The indices live on the device,
 * so they are checked there: a kernel that meets a bad one skips it and writes a report into a
 * small status buffer, and the next download raises the IndexOutOfBoundsException the CPU backend
 * would have thrown at the call (as CUDA reports a kernel's errors at the next synchronising call).
 *
 * <p>Each thread has its own status buffer, so a bad index is reported at the next download on
 * the thread that made the call: with one buffer for the backend, a thread's bad index could be
 * raised in another thread that happened to download first, or be cleared by it unseen.
 */
final class CudaIndexing {
    /** The kernel codes of the report, as in indexing.cu. */
    private static final String[] KERNELS = {"?", "indexSelect", "indexAdd", "gatherRows", "scatterAddRows"};
    private static final int STATUS_BYTES = 4 * Integer.BYTES;

    private final CudaBackend backend;
    private final ThreadLocal<Status> statuses = new ThreadLocal<>();

    /** One thread's report on the device, and whether a kernel may have written it since the last look. */
    private static final class Status {
        final long address;
        boolean unchecked;

        Status(long address) {
            this.address = address;
        }
    }

    CudaIndexing(CudaBackend backend) {
        this.backend = backend;
    }

    /** The calling thread's status buffer, made on first use; the allocator gets it back once the thread is gone. */
    private Status status() {
        Status s = statuses.get();
        if (s == null) {
            CachingAllocator.Block block = backend.allocator.allocate(STATUS_BYTES);
            backend.device.zero(block.address(), STATUS_BYTES);
            s = new Status(block.address());
            CachingAllocator a = backend.allocator;
            backend.cleaner.register(s, () -> a.release(block));  // must not capture s itself
            statuses.set(s);
        }
        return s;
    }

    void indexSelect(int outer, int len, int inner, Buffer x, int xOffset, Buffer idx, int idxOffset, int count,
                     Buffer out, int outOffset) {
        CudaBuffer xb = Checks.range(Checks.cuda(backend, x, "indexSelect"), xOffset, (long) outer * len * inner, "indexSelect");
        CudaBuffer ib = Checks.range(Checks.ints(backend, idx, "indexSelect"), idxOffset, count, "indexSelect");
        long n = (long) outer * count * inner;
        CudaBuffer ob = Checks.range(Checks.cuda(backend, out, "indexSelect"), outOffset, n, "indexSelect");
        Checks.sameType("indexSelect", ob.dtype(), xb);
        launch("index_select", ob.dtype(), n, new KernelArgs().i32(outer).i32(len).i32(inner).pointer(xb.address(xOffset))
                .pointer(ib.address(idxOffset)).i32(count).pointer(ob.address(outOffset)));
    }

    void indexAdd(int outer, int len, int inner, Buffer src, int srcOffset, Buffer idx, int idxOffset, int count,
                  Buffer out, int outOffset) {
        long n = (long) outer * count * inner;
        CudaBuffer sb = Checks.range(Checks.cuda(backend, src, "indexAdd"), srcOffset, n, "indexAdd");
        CudaBuffer ib = Checks.range(Checks.ints(backend, idx, "indexAdd"), idxOffset, count, "indexAdd");
        CudaBuffer ob = Checks.range(Checks.cuda(backend, out, "indexAdd"), outOffset, (long) outer * len * inner, "indexAdd");
        Checks.sameType("indexAdd", ob.dtype(), sb);
        launch("index_add", ob.dtype(), n, new KernelArgs().i32(outer).i32(len).i32(inner).pointer(sb.address(srcOffset))
                .pointer(ib.address(idxOffset)).i32(count).pointer(ob.address(outOffset)));
    }

    void gatherRows(int rows, int cols, Buffer x, int xOffset, Buffer idx, int idxOffset, Buffer out, int outOffset) {
        CudaBuffer xb = Checks.range(Checks.cuda(backend, x, "gatherRows"), xOffset, (long) rows * cols, "gatherRows");
        CudaBuffer ib = Checks.range(Checks.ints(backend, idx, "gatherRows"), idxOffset, rows, "gatherRows");
        CudaBuffer ob = Checks.range(Checks.cuda(backend, out, "gatherRows"), outOffset, rows, "gatherRows");
        Checks.sameType("gatherRows", ob.dtype(), xb);
        launch("gather_rows", ob.dtype(), rows, new KernelArgs().i32(rows).i32(cols).pointer(xb.address(xOffset))
                .pointer(ib.address(idxOffset)).pointer(ob.address(outOffset)));
    }

    void scatterAddRows(int rows, int cols, Buffer src, int srcOffset, Buffer idx, int idxOffset, Buffer out, int outOffset) {
        CudaBuffer sb = Checks.range(Checks.cuda(backend, src, "scatterAddRows"), srcOffset, rows, "scatterAddRows");
        CudaBuffer ib = Checks.range(Checks.ints(backend, idx, "scatterAddRows"), idxOffset, rows, "scatterAddRows");
        CudaBuffer ob = Checks.range(Checks.cuda(backend, out, "scatterAddRows"), outOffset, (long) rows * cols, "scatterAddRows");
        Checks.sameType("scatterAddRows", ob.dtype(), sb);
        launch("scatter_add_rows", ob.dtype(), rows, new KernelArgs().i32(rows).i32(cols).pointer(sb.address(srcOffset))
                .pointer(ib.address(idxOffset)).pointer(ob.address(outOffset)));
    }

    private void launch(String kernel, DType t, long n, KernelArgs args) {
        if (n == 0) {
            return;
        }
        Status s = status();
        args.pointer(s.address);
        s.unchecked = true;
        backend.device.launch(kernel + "_" + Checks.suffix(t), LaunchConfig.perElement(n), args);
    }

    /** Raises the first bad index this thread's kernels reported since its last check, and clears the report. */
    void throwReportedErrors() {
        Status s = statuses.get();
        if (s == null || !s.unchecked) {
            return;
        }
        s.unchecked = false;
        int[] report = new int[4];
        backend.device.copyOut(s.address, report);
        if (report[0] != 0) {
            backend.device.zero(s.address, STATUS_BYTES);
            String kernel = report[1] >= 0 && report[1] < KERNELS.length ? KERNELS[report[1]] : KERNELS[0];
            throw new IndexOutOfBoundsException("index " + report[2] + " out of bounds for axis of size " + report[3]
                    + " (in " + kernel + " on the GPU, reported at the next download)");
        }
    }
}
