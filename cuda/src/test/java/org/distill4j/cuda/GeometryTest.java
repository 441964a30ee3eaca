package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.distill4j.kernels.ConvGeometry;
import org.junit.jupiter.api.Test;

/** Launch geometry, layout merging, the reduce kernel choice and the convolution plan. */
class GeometryTest {

    @Test
    void perElementCoversEveryItemAndCapsTheGrid() {
        assertEquals(new LaunchConfig(1, 1, 1, 256, 1, 1), LaunchConfig.perElement(1));
        assertEquals(1, LaunchConfig.perElement(256).gridX());
        assertEquals(2, LaunchConfig.perElement(257).gridX());
        LaunchConfig huge = LaunchConfig.perElement(3_000_000_000L);
        assertEquals(LaunchConfig.MAX_BLOCKS, huge.gridX());  // the kernels loop grid-stride over the rest
        assertEquals(1, LaunchConfig.perElement(0).gridX());
    }

    @Test
    void warpAndBlockShapes() {
        LaunchConfig w = LaunchConfig.perWarp(9, 128);  // 4 warps a block: 3 blocks for 9 rows
        assertEquals(3, w.gridX());
        assertEquals(128, w.blockX());
        assertTrue(w.threads() >= 9 * 32);
        assertEquals(5, LaunchConfig.perBlock(5, 256).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.perWarp(9, 100));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 2048, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 70_000, 1, 32, 1, 1));
    }

    @Test
    void gemmTilesCoverTheOutput() {
        LaunchConfig g = LaunchConfig.gemm(70, 65, 3);
        assertEquals(2, g.gridX());  // columns
        assertEquals(2, g.gridY());  // rows
        assertEquals(3, g.gridZ());  // batch
        assertEquals(LaunchConfig.GEMM_THREADS, g.blockX());
    }

    @Test
    void layoutsMergeContiguousAxesAndDropOnes() {
        Layout[] l = Layout.merge(new int[] {2, 3, 4}, new int[] {12, 4, 1});
        assertArrayEquals(new int[] {24}, l[0].size());
        assertArrayEquals(new int[] {1}, l[0].stride());
        // A row broadcast over rows: the two views disagree, so two axes stay.
        l = Layout.merge(new int[] {5, 1, 7}, new int[] {7, 99, 1}, new int[] {0, 0, 1});
        assertArrayEquals(new int[] {5, 7}, l[0].size());
        assertArrayEquals(new int[] {7, 1}, l[0].stride());
        assertArrayEquals(new int[] {0, 1}, l[1].stride());
        // A transpose does not merge.
        l = Layout.merge(new int[] {3, 4}, new int[] {1, 3});
        assertArrayEquals(new int[] {3, 4}, l[0].size());
        // Rank 0.
        assertEquals(0, Layout.merge(new int[0], new int[0])[0].size().length);
        int[] f = Layout.merge(new int[] {6}, new int[] {2})[0].fields();
        assertEquals(1 + 2 * Layout.MAX_RANK, f.length);
        assertEquals(1, f[0]);
        assertEquals(6, f[1]);
        assertEquals(2, f[1 + Layout.MAX_RANK]);
    }

    @Test
    void layoutsBeyondEightAxesAreRefusedWithTheShape() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1, 2, 4, 8, 16, 32, 64, 128, 256};  // reversed: nothing merges
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layout.merge(shape, strides));
        assertTrue(e.getMessage().contains("at most 8 axes"), e.getMessage());
    }

    @Test
    void reduceChoosesTheKernelShapeFromTheLayout() {
        Layout rows = new Layout(new int[] {37}, new int[] {129});
        Layout cols = new Layout(new int[] {129}, new int[] {1});
        assertEquals(CudaReduce.Shape.WARP, CudaReduce.choose(37, 129, rows, cols));
        assertEquals(CudaReduce.Shape.THREAD, CudaReduce.choose(129, 37, cols, rows));
        assertEquals(CudaReduce.Shape.BLOCK, CudaReduce.choose(1, 6000, new Layout(new int[0], new int[0]), cols));
        assertEquals(CudaReduce.Shape.THREAD, CudaReduce.choose(1000, 3, rows, cols));
    }

    @Test
    void convolutionChunksFitTheWorkspace() {
        ConvGeometry g = new ConvGeometry(64, 16, 32, 32, 32, 3, 3, 1, 1, 1, 1);
        long perImage = (16L * 9 + 32) * 32 * 32;
        ConvPlan p = ConvPlan.of(g, 16L << 20, 4);
        assertEquals((16L << 20) / 4 / perImage, p.imagesPerChunk());
        assertTrue(p.workspaceElements() * 4 <= 16L << 20);
        assertEquals(16 * 9, p.colRows());
        assertEquals(1024, p.positions());
        assertEquals(p.imagesPerChunk() * 1024, p.width(p.imagesPerChunk()));
        // A workspace too small for one image still takes one image at a time.
        assertEquals(1, ConvPlan.of(g, 1024, 4).imagesPerChunk());
        // And never more images than there are.
        assertEquals(64, ConvPlan.of(g, 1L << 40, 4).imagesPerChunk());
    }
}
