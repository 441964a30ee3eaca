package org.distill4j.kernels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffers of a computation that repeats, reused from one repetition to the next instead of
 * allocated afresh: a training step allocates the same activations and gradients, of the same
 * sizes, every step. While a {@link Step} is open on a thread, the buffers a backend that takes
 * part (the CPU's) allocates on that thread come from the pool when one of the same dtype and
 * length is free; when the step closes, every buffer handed out in it goes back to the pool.
 *
 * <p>On the JVM this saves more than the zero-filling of fresh memory: LeNet's activations at
 * batch 128 are 2.4 MB, larger than half a G1 region, and each such array was a "humongous"
 * allocation that started a garbage collection of its own (90 of the 100 collections in four
 * epochs of LeNet training were caused by them).
 *
 * <p>The contract is the caller's: <b>nothing allocated inside a step may be used after it
 * closes</b>, since its buffer is handed out again. What must outlive the step (an optimiser's
 * state, a value the caller keeps) is computed {@link #outside} the pool, or copied out (as a Java
 * array: {@code toFloatArray}, {@code item}) before the step closes. A buffer allocated outside a
 * step, or on another thread, is never touched by the pool. Zero-filled allocation stays zero-filled
 * (a reused buffer is cleared); only {@link Backend#allocateUninitialized} skips that.
 *
 * <p>A pool belongs to one thread at a time (a step is opened, used and closed on one thread).
 */
public final class BufferPool {
    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();

    /** Free buffers by {@link #key}. */
    private final Map<Long, ArrayDeque<Buffer>> free = new HashMap<>();
    private final long maxBytes;
    private long heldBytes;
    private long reused;
    private long allocated;

    /** A pool that keeps at most {@code maxBytes} of free buffers (those beyond are left to the collector). */
    public BufferPool(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A pool of at most 1 GiB of free buffers. */
    public BufferPool() {
        this(1L << 30);
    }

    /** Opens a step on the calling thread; close it on the same thread (try-with-resources). */
    public Step step() {
        Step outer = CURRENT.get();
        Step s = new Step(this, outer);
        CURRENT.set(s);
        return s;
    }

    /**
     * Runs {@code body} with no step current on this thread: what it allocates is ordinary memory
     * that outlives the step (an optimiser's first momentum buffer, say). Buffers of the step
     * stay valid inside it.
     */
    public static void outside(Runnable body) {
        Step s = CURRENT.get();
        if (s == null) {
            body.run();
            return;
        }
        CURRENT.set(null);
        try {
            body.run();
        } finally {
            CURRENT.set(s);
        }
    }

    /** The step open on this thread, or null: for backends. */
    public static Step current() {
        return CURRENT.get();
    }

    /** Buffers handed out again so far, and buffers the backends had to allocate in steps. */
    public synchronized long[] counts() {
        return new long[]{reused, allocated};
    }

    private static long key(DType dtype, int length) {
        return ((long) dtype.ordinal() << 32) | (length & 0xffffffffL);
    }

    private synchronized Buffer take(DType dtype, int length) {
        ArrayDeque<Buffer> q = free.get(key(dtype, length));
        Buffer b = q == null ? null : q.pollLast();
        if (b != null) {
            heldBytes -= (long) length * dtype.bytes();
            reused++;
        } else {
            allocated++;
        }
        return b;
    }

    private synchronized void giveBack(List<Buffer> buffers) {
        for (Buffer b : buffers) {
            long bytes = (long) b.length() * b.dtype().bytes();
            if (heldBytes + bytes > maxBytes) {
                continue;
            }
            free.computeIfAbsent(key(b.dtype(), b.length()), k -> new ArrayDeque<>()).addLast(b);
            heldBytes += bytes;
        }
    }

    /** One repetition: the buffers handed out while it is open go back to the pool when it closes. */
    public static final class Step implements AutoCloseable {
        private final BufferPool pool;
        private final Step outer;
        private final List<Buffer> handedOut = new ArrayList<>();
        private final Thread thread = Thread.currentThread();
        private boolean closed;

        private Step(BufferPool pool, Step outer) {
            this.pool = pool;
            this.outer = outer;
        }

        /**
         * A free buffer of {@code dtype} and {@code length} from the pool (contents: whatever its
         * last user left), or null when there is none; for backends, which then allocate one and
         * {@link #adopt} it.
         */
        public Buffer take(DType dtype, int length) {
            Buffer b = pool.take(dtype, length);
            if (b != null) {
                handedOut.add(b);
            }
            return b;
        }

        /** Records a buffer a backend allocated in this step: it joins the pool when the step closes. */
        public void adopt(Buffer b) {
            handedOut.add(b);
        }

        /** Gives every buffer of the step back to the pool and makes the enclosing step (if any) current again. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a buffer pool step must be closed on the thread that opened it");
            }
            closed = true;
            if (CURRENT.get() == this) {
                CURRENT.set(outer);
            }
            pool.giveBack(handedOut);
            handedOut.clear();
        }
    }
}
