package org.distill4j.options;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Progress for long work: a bar redrawn in place on a terminal, or plain lines (one per stage or
 * epoch) when output goes to a file or a pipe. Written to stderr so stdout stays clean for --json.
 * Safe to share between threads (coreset-bench's jobs): whole lines and whole redraws. The bench
 * commands use {@link #lines}, which never draws a bar.
 */
public final class Progress {
    /** Every Progress writes under this lock, so that after {@link #silence} none writes again. */
    private static final ReentrantLock OUTPUT = new ReentrantLock();
    private static volatile boolean silenced;

    private final PrintWriter err;
    private final boolean terminal;
    private long lastDraw;
    private boolean drawn;

    /** Bars on a terminal ({@link #onTerminal}), lines elsewhere: the cli's progress. */
    public Progress(PrintWriter err) {
        this(err, onTerminal());
    }

    private Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Lines only, never a bar, even on a terminal: a benchmark's stages are few and its lines are enough. */
    public static Progress lines(PrintWriter err) {
        return new Progress(err, false);
    }

    /**
     * No progress is written from now on, once any line being written is out. An interrupted
     * command's shutdown hook calls it before its own last line: the work's threads run on while the
     * JVM shuts down, and a progress line after that line would hide it.
     */
    public static void silence() {
        silenced = true;
        // Wait for a line being written (a second at most: a stalled stderr must not hold up the JVM's exit).
        try {
            if (OUTPUT.tryLock(1, TimeUnit.SECONDS)) {
                OUTPUT.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether stderr is a terminal that redraws a bar in place (not a file, a pipe or a dumb terminal). */
    public static boolean onTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    public boolean terminal() {
        return terminal;
    }

    /** Redraws the bar (terminal only, at most 10 times a second). */
    public void bar(String label, int done, int total, String figures, double secondsLeft) {
        OUTPUT.lock();
        try {
            if (!silenced) {
                drawBar(label, done, total, figures, secondsLeft);
            }
        } finally {
            OUTPUT.unlock();
        }
    }

    private void drawBar(String label, int done, int total, String figures, double secondsLeft) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 24;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        err.print(String.format(Locale.ROOT, "\r\033[K%s [%s] %d/%d %s ETA %s", label, bar, done, total, figures,
                duration(secondsLeft)));
        err.flush();
        drawn = true;
    }

    /** Replaces the bar by a status, such as a test pass that has no bar of its own (terminal only). */
    public void status(String text) {
        OUTPUT.lock();
        try {
            if (!terminal || silenced) {
                return;
            }
            lastDraw = System.nanoTime();
            err.print("\r\033[K" + text);
            err.flush();
            drawn = true;
        } finally {
            OUTPUT.unlock();
        }
    }

    /** A permanent line (ends any bar being drawn). */
    public void line(String text) {
        OUTPUT.lock();
        try {
            if (silenced) {
                return;
            }
            if (drawn) {
                err.print("\r\033[K");
                drawn = false;
            }
            err.println(text);
            err.flush();
        } finally {
            OUTPUT.unlock();
        }
    }

    /** {@code n} and the noun, singular for 1: "1 epoch", "3 epochs", "1,000 images". */
    public static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
