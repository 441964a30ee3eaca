package org.distill4j.cuda;

/**
 * The grid and block of one kernel launch. The factories encode how each kernel shape maps work
 * to threads; the kernels loop grid-stride, so a capped grid still covers any size.
 */
record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {
    /** Threads per block for the one-thread-per-element kernels. */
    static final int THREADS = 256;
    /** Grid cap for grid-stride kernels: enough blocks to fill any current GPU many times over. */
    static final int MAX_BLOCKS = 65_535;
    /** The largest gridDim.y and gridDim.z the hardware accepts. */
    static final int MAX_GRID_YZ = 65_535;

    /**
     * The caps in force: {@link #MAX_BLOCKS} and {@link #MAX_GRID_YZ} unless lowered, for debugging,
     * with {@code -Ddistill4j.cuda.maxBlocks=N} and {@code -Ddistill4j.cuda.maxGridYZ=N} (or by a
     * test through {@link #lowerLimits}). Lower caps make small tensors take the grid-stride loops
     * and gemm.cu's row and batch splits, which real sizes reach only past 16.7 million elements,
     * 4.2 million rows or 65,535 batches: paths the emulated device could not run at full size.
     */
    private static volatile int maxBlocks = limit("distill4j.cuda.maxBlocks", MAX_BLOCKS);
    private static volatile int maxGridYZ = limit("distill4j.cuda.maxGridYZ", MAX_GRID_YZ);
    /** gemm.cu's tile and block. */
    static final int GEMM_TILE = 64;
    static final int GEMM_THREADS = 256;

    LaunchConfig {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("grid (" + gridX + ", " + gridY + ", " + gridZ + ") out of range");
        }
        long threads = (long) blockX * blockY * blockZ;
        if (blockX < 1 || blockY < 1 || blockZ < 1 || threads > 1024) {
            throw new IllegalArgumentException("block (" + blockX + ", " + blockY + ", " + blockZ
                    + ") must have 1 to 1024 threads");
        }
    }

    /** One thread per item, {@link #THREADS} per block. */
    static LaunchConfig perElement(long items) {
        return new LaunchConfig(blocks(items, THREADS), 1, 1, THREADS, 1, 1);
    }

    /** One warp per item, {@code threads} (a multiple of 32) per block. */
    static LaunchConfig perWarp(long items, int threads) {
        checkWarps(threads);
        return new LaunchConfig(blocks(items, threads / 32), 1, 1, threads, 1, 1);
    }

    /** One block of {@code threads} (a multiple of 32) per item. */
    static LaunchConfig perBlock(long items, int threads) {
        checkWarps(threads);
        return new LaunchConfig(blocks(items, 1), 1, 1, threads, 1, 1);
    }

    /** gemm.cu: one block per 64 x 64 tile of each of {@code batch} m x n outputs. */
    static LaunchConfig gemm(int m, int n, int batch) {
        return new LaunchConfig(ceilDiv(n, GEMM_TILE), ceilDiv(m, GEMM_TILE), batch, GEMM_THREADS, 1, 1);
    }

    /** The most rows of C one gemm.cu launch covers (gridDim.y tiles of 64); {@link KernelGemm} splits taller ones. */
    static int gemmRowsPerLaunch() {
        return maxGridYZ * GEMM_TILE;
    }

    /** The most batches one gemm.cu launch covers (gridDim.z); {@link KernelGemm} splits more. */
    static int gemmBatchesPerLaunch() {
        return maxGridYZ;
    }

    /** The grid cap of the grid-stride kernels now in force. */
    static int maxBlocks() {
        return maxBlocks;
    }

    /**
     * Lowers the caps until the returned handle is closed (tests: one at a time, JVM-wide). A cap
     * above the hardware's is refused.
     */
    static AutoCloseable lowerLimits(int blocks, int gridYZ) {
        if (blocks < 1 || blocks > MAX_BLOCKS || gridYZ < 1 || gridYZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("limits must be in [1, 65535], got " + blocks + " blocks, " + gridYZ + " grid y/z");
        }
        int oldBlocks = maxBlocks;
        int oldGrid = maxGridYZ;
        maxBlocks = blocks;
        maxGridYZ = gridYZ;
        return () -> {
            maxBlocks = oldBlocks;
            maxGridYZ = oldGrid;
        };
    }

    private static int limit(String property, int hardware) {
        int v = Integer.getInteger(property, hardware);
        if (v < 1 || v > hardware) {
            throw new IllegalArgumentException("-D" + property + " must be between 1 and " + hardware + ", got " + v);
        }
        return v;
    }

    long threads() {
        return (long) gridX * gridY * gridZ * blockX * blockY * blockZ;
    }

    /** Enough blocks of {@code perBlock} items for {@code items}, at least 1, at most {@link #maxBlocks()}. */
    static int blocks(long items, int perBlock) {
        long b = (items + perBlock - 1) / perBlock;
        return (int) Math.max(1, Math.min(b, maxBlocks));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void checkWarps(int threads) {
        if (threads % 32 != 0 || threads < 32 || threads > 1024) {
            throw new IllegalArgumentException("warp-based kernels need a multiple of 32 threads up to 1024, got " + threads);
        }
    }
}
