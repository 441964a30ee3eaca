package org.distill4j.autodiff;

/**
 * Whether ops record the graph, per thread. Off inside {@link #disabled()} scopes and while a
 * backward pass runs without {@code createGraph}, so first-order training pays nothing for the tape.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** A scope that restores the previous mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            previous = ENABLED.get();
            ENABLED.set(enabled);
        }

        @Override
        public void close() {
            ENABLED.set(previous);
        }
    }

    /** {@code try (var s = GradMode.disabled()) { ... }}: nothing inside is recorded. */
    public static Scope disabled() {
        return new Scope(false);
    }

    /** Sets recording on or off for the scope. */
    public static Scope enabled(boolean enabled) {
        return new Scope(enabled);
    }
}
