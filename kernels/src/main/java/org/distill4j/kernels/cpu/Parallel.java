package org.distill4j.kernels.cpu;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.distill4j.kernels.ComputeContext;

/**
 * The one thread pool every CPU kernel shares. Work is always cut into the same tasks whatever the
 * thread count (callers choose task boundaries from the problem size alone), so results are
 * identical on 1 or N threads; only who runs a task changes.
 *
 * <p>The calling thread works too: it takes chunks of tasks from a shared counter beside
 * {@code threads - 1} pool workers, which take from the same counter once they are awake. A
 * training step runs dozens of kernels of a millisecond or less, and handing every one of them
 * to the pool while the caller slept cost two thread wake-ups each: measured on the 784-256-10
 * MLP step, 2 threads ran at 62,000 images/s against 85,000 on one thread.
 *
 * <p>A helper that has finished its chunks lingers for a few tens of microseconds, watching for
 * the next region, before it gives its pool thread back: a training step opens its regions
 * microseconds apart, and a parked pool thread takes far longer than that to wake.
 *
 * <p>The thread count is the calling thread's {@link ComputeContext#threads()}, read once per
 * region: two threads in two contexts (say 1 and 4 threads) each get their own count from the one
 * shared pool, which grows to the largest count asked for. A region admits at most
 * {@code threads - 1} helpers (lingering ones included), and each helper runs the body with the
 * caller's context current, so nothing in the body reads a helper's own thread-local context.
 */
public final class Parallel {
    /** A body that processes tasks {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Spins of a waiting caller before it parks: the helpers' last chunks are usually microseconds away. */
    private static final int SPINS = 1 << 12;

    /**
     * How long a helper watches for the next region before it returns to the pool. Long enough to
     * bridge the gaps between the kernels of a step, short enough not to keep a core from the JIT
     * and the collector when the caller has single-threaded work to do.
     */
    private static final long LINGER_NANOS = Long.getLong("distill4j.parallel.lingerMicros", 50L) * 1000L;

    /** The region opened last: lingering helpers join it. */
    private static volatile Region latest;
    /** Helpers lingering now; a new region asks the pool only for the helpers beyond these. */
    private static final AtomicInteger LINGERING = new AtomicInteger();

    /** Set on a caller thread while it works in a region, so that nested regions run inline. */
    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** The helpers of every context, grown to the largest count asked for; null until a region needs one. */
    private static volatile ForkJoinPool pool;

    /**
     * Whether regions count who did their work (system property {@code distill4j.parallel.stats}):
     * for profiling the second core's share; off, the counters cost one constant-folded branch.
     */
    private static final boolean STATS = Boolean.getBoolean("distill4j.parallel.stats");
    /** Per body class (one per kernel call site) when {@link #STATS}: see {@link #stats()}. */
    private static final Map<Class<?>, SiteStats> SITES = new ConcurrentHashMap<>();

    private Parallel() {
    }

    /**
     * What the regions since the last {@link #resetStats()} did, per call site (the body's class,
     * which names the kernel), when the JVM runs with {@code -Ddistill4j.parallel.stats=true};
     * empty otherwise. Each row: {@code regions, inline, chunks, callerChunks, helperChunks,
     * wallNanos, inlineNanos, callerNanos, helperNanos, waitNanos, helperJoinNanos, helperJoined}: regions
     * handed to helpers, regions run inline on a multi-thread context because they were one chunk,
     * chunks in all and by role, the caller's wall time from opening to the end of the wait, the
     * inline regions' time, time spent in chunks by the caller and by helpers, the caller's wait
     * for the helpers' last chunks, and the sum over helper-joined regions of the delay from
     * opening to a helper's first chunk, and the number of such regions.
     */
    public static Map<String, long[]> stats() {
        Map<String, long[]> out = new TreeMap<>();
        SITES.forEach((k, v) -> out.merge(v.where, v.snapshot(), (a, b) -> {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            return a;
        }));
        return out;
    }

    /** Clears the counters of {@link #stats()}. */
    public static void resetStats() {
        SITES.clear();
    }

    private static SiteStats site(Range body) {
        return SITES.computeIfAbsent(body.getClass(), k -> new SiteStats(StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith(Parallel.class.getName()) && !f.getClassName().startsWith("java."))
                .findFirst().map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName() + ":" + f.getLineNumber())
                .orElse(k.getName()))));
    }

    /** Counters of one call site; see {@link #stats()} for the fields. */
    private static final class SiteStats {
        final LongAdder[] f = new LongAdder[12];
        /** The method (and line) that opened the region. */
        final String where;

        SiteStats(String where) {
            this.where = where;
            for (int i = 0; i < f.length; i++) {
                f[i] = new LongAdder();
            }
        }

        long[] snapshot() {
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i].sum();
            }
            return out;
        }
    }

    /** A pool with at least {@code helpers} workers. */
    private static ForkJoinPool pool(int helpers) {
        ForkJoinPool p = pool;
        if (p != null && p.getParallelism() >= helpers) {
            return p;
        }
        synchronized (Parallel.class) {
            p = pool;
            if (p == null || p.getParallelism() < helpers) {
                ForkJoinPool old = p;
                p = new ForkJoinPool(helpers);
                pool = p;
                if (old != null) {
                    old.shutdown(); // its helpers finish (and may linger into) the regions they are in
                }
            }
            return p;
        }
    }

    /**
     * Runs {@code body} over tasks {@code [0, tasks)}, in chunks of {@code grain} tasks (the
     * last may be shorter). With one thread, when the work is a single chunk, or when called
     * from inside another region, runs inline on the caller's thread.
     */
    public static void forRange(int tasks, int grain, Range body) {
        if (tasks <= 0) {
            return;
        }
        ComputeContext context = ComputeContext.current();
        int threads = context.threads();
        int g = Math.max(1, grain);
        if (threads == 1 || tasks <= g || ForkJoinTask.getPool() != null || IN_REGION.get()) {
            if (STATS && threads > 1 && !IN_REGION.get() && ForkJoinTask.getPool() == null) {
                long t0 = System.nanoTime();
                body.run(0, tasks);
                SiteStats st = site(body);
                st.f[1].increment();
                st.f[2].increment();
                st.f[3].increment();
                st.f[6].add(System.nanoTime() - t0);
                return;
            }
            body.run(0, tasks);
            return;
        }
        long opened = STATS ? System.nanoTime() : 0L;
        ForkJoinPool p = pool(threads - 1);
        Region region = new Region(tasks, g, body, context, threads - 1);
        latest = region;
        // The caller works through every chunk itself if no helper comes: a helper too many or
        // too few changes the speed, never the result.
        int helpers = Math.min(threads - 1, region.chunks - 1) - LINGERING.get();
        for (int i = 0; i < helpers; i++) {
            p.execute(() -> help(region));
        }
        IN_REGION.set(Boolean.TRUE);
        try {
            region.work();
        } finally {
            IN_REGION.set(Boolean.FALSE);
        }
        long worked = STATS ? System.nanoTime() : 0L;
        region.awaitDone();
        if (STATS) {
            long end = System.nanoTime();
            SiteStats st = site(body);
            st.f[0].increment();
            st.f[2].add(region.chunks);
            st.f[5].add(end - opened);
            st.f[9].add(end - worked);
            long h = region.helperStarts.get();
            if (h != 0L) {
                st.f[10].add(h - opened);
                st.f[11].increment();
            }
        }
        if (latest == region) {
            latest = null; // lets the region's arrays go
        }
    }

    /** A pool thread's work: the region it was asked for, then any region opened while it lingers. */
    private static void help(Region first) {
        // The first region's context is made current once for the whole lingering stretch: regions
        // come microseconds apart, and nearly all of them from the same context.
        first.context.run(() -> {
            for (Region r = first; r != null; r = nextRegion(r)) {
                if (!r.admit()) {
                    continue;
                }
                if (r.context == first.context) {
                    r.work();
                } else {
                    r.context.run(r::work);
                }
            }
        });
    }

    /** Waits a little for a region other than {@code done} with chunks left; null if none comes. */
    private static Region nextRegion(Region done) {
        LINGERING.incrementAndGet();
        for (long start = System.nanoTime(); System.nanoTime() - start < LINGER_NANOS; ) {
            Region r = latest;
            if (r != null && r != done && r.hasWork()) {
                LINGERING.decrementAndGet();
                return r;
            }
            Thread.onSpinWait();
        }
        LINGERING.decrementAndGet();
        // A region opened just as this helper stopped counting itself may have asked for no one.
        Region r = latest;
        return r != null && r != done && r.hasWork() ? r : null;
    }

    /** One parallel loop: chunks handed out by a counter to whoever asks first. */
    private static final class Region {
        final int tasks;
        final int grain;
        final int chunks;
        final Range body;
        /** The caller's context: helpers run the body under it. */
        final ComputeContext context;
        /** Places left for helpers: the caller's thread count less one. */
        final AtomicInteger places;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        /** When a helper started its first chunk (0: none did), for {@link #STATS}. */
        final AtomicLong helperStarts = new AtomicLong();
        volatile Throwable failure;

        Region(int tasks, int grain, Range body, ComputeContext context, int helpers) {
            this.tasks = tasks;
            this.grain = grain;
            this.chunks = (int) (((long) tasks + grain - 1) / grain);
            this.body = body;
            this.context = context;
            this.places = new AtomicInteger(helpers);
        }

        boolean hasWork() {
            return next.get() < chunks;
        }

        /** Takes a helper's place, if one is left: a region never runs on more threads than its context allows. */
        boolean admit() {
            for (int left = places.get(); left > 0; left = places.get()) {
                if (places.compareAndSet(left, left - 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Runs chunks until none is left; a helper that wakes after the last one returns at once. */
        void work() {
            boolean isCaller = Thread.currentThread() == caller;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        int from = c * grain;
                        if (STATS) {
                            long t0 = System.nanoTime();
                            if (!isCaller) {
                                helperStarts.compareAndSet(0L, t0);
                            }
                            body.run(from, Math.min(tasks, from + grain));
                            SiteStats st = site(body);
                            st.f[isCaller ? 3 : 4].increment();
                            st.f[isCaller ? 7 : 8].add(System.nanoTime() - t0);
                        } else {
                            body.run(from, Math.min(tasks, from + grain));
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    if (done.incrementAndGet() == chunks) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits until every chunk has finished (only chunks a helper took can still be running). */
        void awaitDone() {
            for (int spin = 0; done.get() < chunks; spin++) {
                if (spin < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
