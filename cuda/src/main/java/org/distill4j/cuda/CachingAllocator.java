package org.distill4j.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Device memory in size classes, kept when released and handed out again: after the first steps
 * of a training loop every allocation is a cache hit and cudaMalloc (slow, and synchronising)
 * is not called at all. The idea of PyTorch's CUDA caching allocator, without block splitting.
 *
 * <p>Size classes: powers of two from 512 bytes to 1 MiB, then four classes per doubling
 * (1, 1.25, 1.5, 1.75 times a power of two), so no request wastes more than a quarter.
 * Reuse is safe without events because all work runs in order on one stream: a kernel that
 * uses a block again is queued after every kernel that used it before.
 *
 * <p>Blocks come back when their {@link CudaBuffer} is garbage collected, which the JVM does when
 * the Java heap, not the device, fills up. So when the memory reserved would pass a soft limit,
 * or a device allocation fails, the allocator asks for a collection (the {@code collectGarbage}
 * hook) and, failing that, frees its cache before giving up with a clear message.
 *
 * <p>In exact mode ({@link DebugOptions#exactAlloc()}, for sanitizer runs) a block has exactly
 * the bytes asked for and is filled with 0xFF bytes each time it is handed out, so that an overrun
 * of a buffer meets the end of its allocation and a read of what nobody wrote meets NaN.
 */
final class CachingAllocator {
    static final long MIN_CLASS = 512;
    static final long FINE_FROM = 1L << 20;

    /** Where the memory comes from: the device, or a fake in the tests. */
    interface Memory {
        long malloc(long bytes);

        void free(long address);

        /** Waits for the queued work: called before cached blocks are freed, as kernels may still read them. */
        default void synchronize() {
        }

        /** Fills a block with 0xFF bytes (exact mode). */
        default void poison(long address, long bytes) {
        }
    }

    /** A block of device memory of one size class. */
    record Block(long address, long bytes) {
    }

    /** Counters for tests and logs. */
    record Stats(long deviceMallocs, long cacheHits, long bytesInUse, long bytesCached, long peakBytesReserved) {
    }

    private final Memory memory;
    private final long softLimit;
    private final Runnable collectGarbage;
    private final boolean exact;
    private final TreeMap<Long, ArrayDeque<Block>> free = new TreeMap<>();
    private final Map<Long, Block> inUse = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long peak;
    private long deviceMallocs;
    private long cacheHits;

    /**
     * @param softLimit      reserved bytes (in use plus cached) past which a garbage collection is
     *                       requested before new device memory is taken
     * @param collectGarbage runs a collection and gives released buffers time to come back
     */
    CachingAllocator(Memory memory, long softLimit, Runnable collectGarbage) {
        this(memory, softLimit, collectGarbage, false);
    }

    /** @param exact blocks of exactly the requested size, filled with 0xFF bytes when handed out */
    CachingAllocator(Memory memory, long softLimit, Runnable collectGarbage, boolean exact) {
        this.memory = memory;
        this.softLimit = softLimit;
        this.collectGarbage = collectGarbage;
        this.exact = exact;
    }

    /** The size class of a request: the bytes a block for it really has. */
    static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        if (bytes <= MIN_CLASS) {
            return MIN_CLASS;
        }
        long power = Long.highestOneBit(bytes - 1) << 1;  // the next power of two >= bytes
        if (power <= FINE_FROM) {
            return power;
        }
        long step = power / 8;  // quarters of the lower power of two
        return (bytes + step - 1) / step * step;
    }

    Block allocate(long bytes) {
        Block b = take(bytes);
        if (exact) {
            memory.poison(b.address(), b.bytes());
        }
        return b;
    }

    private Block take(long bytes) {
        long size = exact ? exactSize(bytes) : sizeClass(bytes);
        Block b;
        synchronized (this) {
            b = takeCached(size);
            if (b == null && bytesInUse + bytesCached + size <= softLimit) {
                b = fresh(size);
            }
        }
        if (b == null) {
            // Over the soft limit, or the device is full: buffers the program no longer holds may
            // be waiting for a collection. Ask for one outside the lock (cleaners take the lock).
            collectGarbage.run();
            synchronized (this) {
                b = takeCached(size);
                if (b == null) {
                    b = freshOrEmptyCache(size, bytes);
                }
            }
        }
        return b;
    }

    synchronized void release(Block b) {
        if (inUse.remove(b.address()) == null) {
            throw new IllegalStateException("block at 0x" + Long.toHexString(b.address()) + " released twice or never allocated");
        }
        bytesInUse -= b.bytes();
        bytesCached += b.bytes();
        free.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b);
    }

    /** Exact mode's block size: the request, at least one byte (the device allocates nothing smaller). */
    static long exactSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot allocate " + bytes + " bytes");
        }
        return Math.max(1, bytes);
    }

    /**
     * Returns every cached block to the device; returns the bytes freed. A cached block may still be
     * read by a queued kernel (its buffer was dropped once the kernel was queued, not done), so the
     * device finishes its queued work first rather than rely on cuMemFree's implicit synchronisation.
     */
    synchronized long emptyCache() {
        if (bytesCached == 0) {
            return 0;
        }
        memory.synchronize();
        long freed = 0;
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) {
                memory.free(b.address());
                freed += b.bytes();
            }
        }
        free.clear();
        bytesCached = 0;
        return freed;
    }

    synchronized Stats stats() {
        return new Stats(deviceMallocs, cacheHits, bytesInUse, bytesCached, peak);
    }

    // ---- internals (called with the lock held) ------------------------------------------------

    private Block takeCached(long size) {
        ArrayDeque<Block> list = free.get(size);
        if (list == null || list.isEmpty()) {
            return null;
        }
        Block b = list.pop();
        bytesCached -= size;
        cacheHits++;
        return use(b);
    }

    /** A new device block, or null when the device is out of memory. */
    private Block fresh(long size) {
        long address;
        try {
            address = memory.malloc(size);
        } catch (Device.OutOfDeviceMemoryException e) {
            return null;
        }
        deviceMallocs++;
        return use(new Block(address, size));
    }

    private Block freshOrEmptyCache(long size, long requested) {
        Block b = fresh(size);
        if (b == null && bytesCached > 0) {
            emptyCache();
            b = fresh(size);
        }
        if (b == null) {
            throw new Device.OutOfDeviceMemoryException(String.format(
                    "CUDA out of memory: cannot allocate %.1f MiB (%.1f MiB in use by live buffers)",
                    requested / 1048576.0, bytesInUse / 1048576.0));
        }
        return b;
    }

    private Block use(Block b) {
        inUse.put(b.address(), b);
        bytesInUse += b.bytes();
        peak = Math.max(peak, bytesInUse + bytesCached);
        return b;
    }
}
