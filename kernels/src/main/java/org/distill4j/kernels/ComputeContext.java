package org.distill4j.kernels;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.distill4j.kernels.cpu.CpuBackend;

/**
 * Where and how a block of work computes: the {@link Backend} new tensors go to, the number of CPU
 * threads a parallel kernel may use, and the default dtype. A program opens one for a block of
 * work and closes it with try-with-resources:
 *
 * <pre>{@code
 * try (ComputeContext c = ComputeContext.cpu().threads(2).open()) {
 *     ... // every tensor made and every kernel run on this thread: CPU, 2 threads
 * }   // the context that was current before is current again
 * }</pre>
 *
 * <p>Design decisions:
 * <ul>
 *   <li><b>Per thread, not JVM-wide.</b> The current context is a thread-local. A thread that never
 *       opened one sees the JVM default: the CPU backend, {@code -Ddistill4j.threads} threads (the
 *       number of cores if unset), {@link DType#F32}. Code that never opens a context computes
 *       exactly as before contexts existed. Two threads that each open their own context run side
 *       by side without affecting each other; results do not depend on the thread count anyway
 *       (parallel kernels split work in a fixed way), only the speed does.</li>
 *   <li><b>Nesting.</b> Contexts nest like blocks: closing one makes the context that was current
 *       when it was opened current again. What a builder does not set is taken from the context
 *       current when {@link Builder#open()} is called, so {@code ComputeContext.builder().threads(1).open()}
 *       keeps the enclosing backend and dtype.</li>
 *   <li><b>Strict closing.</b> A context is closed once, on the thread that opened it, innermost
 *       first; anything else is an {@link IllegalStateException} that says which rule was broken,
 *       and changes nothing.</li>
 *   <li><b>Not inherited by new threads.</b> A thread started inside a context sees the JVM default
 *       (an inheritable thread-local would also leak into pool threads created lazily). To run a
 *       task on another thread under this context, hand it over through {@link #wrap(Callable)} or
 *       {@link #wrap(Runnable)}, or open a context on that thread. The CPU kernels' own helper
 *       threads take the context of the thread that asked for the work.</li>
 *   <li><b>No resources.</b> A context owns nothing: backends live as long as the program, and
 *       closing a context frees nothing, waits for nothing and recalls no work handed over.</li>
 *   <li><b>The dtype.</b> {@link #dtype()} is the dtype a program should use where it has no reason
 *       to choose another. The library itself has no factory without an explicit dtype (every
 *       {@code Tensor} factory takes one, or takes it from the Java array it copies), so no
 *       library method reads it today; it is carried, nested and restored like the rest.</li>
 * </ul>
 */
public final class ComputeContext implements AutoCloseable {
    private static final ComputeContext JVM_DEFAULT = new ComputeContext(CpuBackend.get(), defaultThreads(), DType.F32,
            "", null, null);
    private static final ThreadLocal<ComputeContext> CURRENT = ThreadLocal.withInitial(() -> JVM_DEFAULT);

    private final Backend backend;
    private final int threads;
    private final DType dtype;
    private final String note;
    /** The context current when this one was opened; null for the JVM default. */
    private final ComputeContext outer;
    /** The thread that opened this context; null for the JVM default. */
    private final Thread owner;
    private volatile boolean closed;

    private ComputeContext(Backend backend, int threads, DType dtype, String note, ComputeContext outer, Thread owner) {
        this.backend = backend;
        this.threads = threads;
        this.dtype = dtype;
        this.note = note;
        this.outer = outer;
        this.owner = owner;
    }

    /** The calling thread's current context: the innermost one it opened and has not closed, else the JVM default. */
    public static ComputeContext current() {
        return CURRENT.get();
    }

    /** The context of threads that opened none. */
    public static ComputeContext jvmDefault() {
        return JVM_DEFAULT;
    }

    // ---- builders -----------------------------------------------------------------------------

    /** A context that sets nothing yet: everything left unset comes from the enclosing context. */
    public static Builder builder() {
        return new Builder();
    }

    /** A context on the CPU backend. */
    public static Builder cpu() {
        return builder().device("cpu");
    }

    /** A context on the CUDA backend; an {@link IllegalArgumentException} with the reason if CUDA cannot run here. */
    public static Builder cuda() {
        return builder().device("cuda");
    }

    /** A context on CUDA when it can run here, else on the CPU, with the reason in {@link #note()}. */
    public static Builder auto() {
        return builder().device("auto");
    }

    /** A context on the device {@code auto}, {@code cpu} or {@code cuda}, resolved by {@link Devices#resolve}. */
    public static Builder device(String name) {
        return builder().device(name);
    }

    /** A context on {@code backend}. */
    public static Builder on(Backend backend) {
        return builder().backend(backend);
    }

    /** The settings of a context to open; unset ones come from the context current at {@link #open()}. */
    public static final class Builder {
        private Backend backend;
        private String note = "";
        private Integer threads;
        private DType dtype;

        private Builder() {
        }

        /** Resolves {@code name} now ({@link Devices#resolve}): an unknown or unusable device fails here. */
        public Builder device(String name) {
            Devices.Resolution r = Devices.resolve(name);
            this.backend = r.backend();
            this.note = r.note() == null ? "" : r.note();
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            this.note = "";
            return this;
        }

        /** CPU threads for parallel kernels: the calling thread and {@code threads - 1} helpers. */
        public Builder threads(int threads) {
            this.threads = checkThreads(threads);
            return this;
        }

        public Builder dtype(DType dtype) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            return this;
        }

        /** Makes the context current on the calling thread until it is {@linkplain ComputeContext#close() closed}. */
        public ComputeContext open() {
            ComputeContext outer = current();
            ComputeContext c = new ComputeContext(backend != null ? backend : outer.backend,
                    threads != null ? threads : outer.threads, dtype != null ? dtype : outer.dtype,
                    backend != null ? note : outer.note, outer, Thread.currentThread());
            CURRENT.set(c);
            return c;
        }
    }

    // ---- what a context says ------------------------------------------------------------------

    public Backend backend() {
        return backend;
    }

    public int threads() {
        return threads;
    }

    public DType dtype() {
        return dtype;
    }

    /** Why the device is not the one asked for ({@code auto} fell back to the CPU); empty when there is nothing to say. */
    public String note() {
        return note;
    }

    /** Whether this context is open (the JVM default always is). */
    public boolean isOpen() {
        return !closed;
    }

    // ---- handing work to other threads --------------------------------------------------------

    /**
     * Runs {@code body} on the calling thread with this context current, then makes the thread's
     * own context current again. Work handed over runs under this context even if it has been
     * closed since: closing ends the block on the opening thread, it does not recall work.
     */
    public void run(Runnable body) {
        ComputeContext before = enter();
        try {
            body.run();
        } finally {
            CURRENT.set(before);
        }
    }

    /** {@code task}, to run on any thread under this context (see {@link #run}). */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> run(task);
    }

    /** {@code task}, to call on any thread under this context (see {@link #run}). */
    public <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return () -> {
            ComputeContext before = enter();
            try {
                return task.call();
            } finally {
                CURRENT.set(before);
            }
        };
    }

    private ComputeContext enter() {
        ComputeContext before = CURRENT.get();
        CURRENT.set(this);
        return before;
    }

    // ---- closing ------------------------------------------------------------------------------

    /**
     * Makes the context that was current when this one was opened current again. Must be called
     * once, on the thread that opened this context, while this context is that thread's current one.
     */
    @Override
    public void close() {
        if (owner == null) {
            throw new IllegalStateException("the JVM default compute context cannot be closed");
        }
        if (closed) {
            throw new IllegalStateException("compute context " + this + " is already closed");
        }
        Thread me = Thread.currentThread();
        if (me != owner) {
            throw new IllegalStateException("compute context " + this + " was opened on thread '" + owner.getName()
                    + "' and must be closed there, not on '" + me.getName() + "'");
        }
        ComputeContext now = CURRENT.get();
        if (now != this) {
            throw new IllegalStateException("compute context " + this + " closed out of order: " + now
                    + ", opened after it, is still open; close the inner context first");
        }
        closed = true;
        CURRENT.set(outer);
    }

    @Override
    public String toString() {
        return "[" + backend.name() + ", " + threads + (threads == 1 ? " thread" : " threads") + ", " + dtype + "]";
    }

    private static int checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        return threads;
    }

    private static int defaultThreads() {
        return checkThreads(Integer.getInteger("distill4j.threads", Runtime.getRuntime().availableProcessors()));
    }
}
