package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {

    /** Device memory with a capacity, counting calls. */
    static final class FakeMemory implements CachingAllocator.Memory {
        final long capacity;
        long used;
        long next = 0x10000;
        int mallocs;
        int frees;
        final Set<Long> live = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();
        /** What happened, in order: "sync", "free", "poison <bytes>". */
        final List<String> events = new ArrayList<>();

        FakeMemory(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long malloc(long bytes) {
            if (used + bytes > capacity) {
                throw new Device.OutOfDeviceMemoryException("fake device full");
            }
            mallocs++;
            used += bytes;
            long a = next;
            next += bytes;
            live.add(a);
            sizes.put(a, bytes);
            return a;
        }

        @Override
        public void free(long address) {
            assertTrue(live.remove(address), "free of an unknown address");
            frees++;
            used -= sizes.remove(address);
            events.add("free");
        }

        @Override
        public void synchronize() {
            events.add("sync");
        }

        @Override
        public void poison(long address, long bytes) {
            assertTrue(live.contains(address), "poison of an unknown address");
            events.add("poison " + bytes);
        }
    }

    @Test
    void sizeClassesArePowersOfTwoThenQuarterSteps() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1L << 20, CachingAllocator.sizeClass((1L << 19) + 1));
        assertEquals((1L << 20) + (1L << 18), CachingAllocator.sizeClass((1L << 20) + 1));
        assertEquals(3L << 20, CachingAllocator.sizeClass((5L << 19) + 7));
        for (long bytes = 1; bytes < 1L << 30; bytes = bytes * 3 + 1) {
            long c = CachingAllocator.sizeClass(bytes);
            assertTrue(c >= bytes, "class " + c + " < " + bytes);
            assertTrue(bytes <= 512 || c < 2 * bytes, "class " + c + " wastes too much for " + bytes);
        }
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(-1));
    }

    @Test
    void aTrainingLoopStopsCallingMallocAfterTheFirstStep() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator(mem, 1L << 30, () -> { });
        long[] sizes = {4000, 4000, 120_000, 3_000_000, 64, 4000};
        for (int step = 0; step < 10; step++) {
            List<CachingAllocator.Block> blocks = new ArrayList<>();
            for (long s : sizes) {
                blocks.add(a.allocate(s));
            }
            blocks.forEach(a::release);
            if (step == 0) {
                assertEquals(sizes.length, mem.mallocs);
            }
        }
        assertEquals(sizes.length, mem.mallocs, "no device allocation after the first step");
        CachingAllocator.Stats s = a.stats();
        assertEquals(9 * sizes.length, s.cacheHits());
        assertEquals(0, s.bytesInUse());
        assertTrue(s.bytesCached() > 3_000_000);
        assertEquals(s.bytesCached(), a.emptyCache());
        assertEquals(sizes.length, mem.frees);
        assertEquals(0, a.stats().bytesCached());
    }

    @Test
    void releasingTwiceIsAnError() {
        CachingAllocator a = new CachingAllocator(new FakeMemory(1 << 20), 1 << 20, () -> { });
        CachingAllocator.Block b = a.allocate(100);
        a.release(b);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.release(b));
        assertTrue(e.getMessage().contains("released twice"), e.getMessage());
    }

    @Test
    void pastTheSoftLimitItCollectsGarbageBeforeTakingMore() {
        FakeMemory mem = new FakeMemory(1L << 30);
        List<CachingAllocator.Block> garbage = new ArrayList<>();
        int[] collections = {0};
        CachingAllocator[] self = new CachingAllocator[1];
        // The "collection" releases what the program dropped, as the Cleaners would.
        self[0] = new CachingAllocator(mem, 8192, () -> {
            collections[0]++;
            garbage.forEach(self[0]::release);
            garbage.clear();
        });
        CachingAllocator a = self[0];
        garbage.add(a.allocate(4096));
        garbage.add(a.allocate(4096));
        assertEquals(0, collections[0]);
        CachingAllocator.Block b = a.allocate(4096);  // over the limit: collect, then reuse
        assertEquals(1, collections[0]);
        assertEquals(2, mem.mallocs);
        a.release(b);
    }

    @Test
    void whenTheDeviceIsFullItFreesTheCacheThenFailsClearly() {
        FakeMemory mem = new FakeMemory(4 << 20);
        CachingAllocator a = new CachingAllocator(mem, Long.MAX_VALUE, () -> { });
        a.release(a.allocate(1 << 20));            // 1 MiB cached
        CachingAllocator.Block held = a.allocate(2 << 20);
        CachingAllocator.Block big = a.allocate(3 << 19);  // needs the cached MiB back: freed, then retried
        assertEquals(1, mem.frees);
        a.release(big);
        Device.OutOfDeviceMemoryException e = assertThrows(Device.OutOfDeviceMemoryException.class,
                () -> a.allocate(8 << 20));
        assertTrue(e.getMessage().startsWith("CUDA out of memory: cannot allocate 8.0 MiB"), e.getMessage());
        a.release(held);
    }

    @Test
    void emptyingTheCacheWaitsForQueuedKernelsBeforeFreeing() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator(mem, 1L << 30, () -> { });
        assertEquals(0, a.emptyCache());
        assertEquals(List.of(), mem.events, "nothing cached: nothing to wait for");
        a.release(a.allocate(1000));
        a.release(a.allocate(100_000));
        a.emptyCache();
        assertEquals(List.of("sync", "free", "free"), mem.events);
    }

    @Test
    void exactModeGivesBlocksOfTheRequestedSizeFilledEachTimeTheyAreHandedOut() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator(mem, 1L << 30, () -> { }, true);
        CachingAllocator.Block b = a.allocate(1004);
        assertEquals(1004, b.bytes());
        assertEquals(1004L, mem.sizes.get(b.address()));
        a.release(b);
        CachingAllocator.Block again = a.allocate(1004);  // the same block from the cache, filled again
        assertEquals(b.address(), again.address());
        CachingAllocator.Block other = a.allocate(1000);  // no size class shares it with 1004
        assertTrue(other.address() != b.address());
        assertEquals(1, a.allocate(0).bytes());
        assertEquals(List.of("poison 1004", "poison 1004", "poison 1000", "poison 1"), mem.events);
        assertEquals(2 + 1, mem.mallocs);
    }
}
