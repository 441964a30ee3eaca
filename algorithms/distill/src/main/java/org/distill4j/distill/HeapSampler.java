package org.distill4j.distill;

/**
 * The peak of the heap in use while a block of work runs, sampled every 20 ms on a daemon thread
 * (a distiller's peak is inside its backward pass, which no caller can stop to look at):
 * {@code try (HeapSampler heap = HeapSampler.start()) { ...; heap.peakBytes(); }}.
 */
public final class HeapSampler implements AutoCloseable {
    private static final long PERIOD_MS = 20;

    private final Thread thread;
    private long peak;

    private HeapSampler() {
        sample();
        thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts sampling now. */
    public static HeapSampler start() {
        return new HeapSampler();
    }

    private synchronized void sample() {
        Runtime rt = Runtime.getRuntime();
        peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
    }

    /** The largest heap in use seen so far, in bytes. */
    public synchronized long peakBytes() {
        return peak;
    }

    /** Stops sampling; the peak stays readable. */
    @Override
    public void close() {
        thread.interrupt();
    }
}
