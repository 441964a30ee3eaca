package org.distill4j.cli;

import org.distill4j.io.Output;

/** Phrases that command summaries share. */
final class Summaries {
    private Summaries() {
    }

    /** {@code " (created folder DIR)"} when writing {@code out} created its parent folders, else empty. */
    static String created(Output out) {
        return out.createsFolder().map(d -> " (created folder " + d + ")").orElse("");
    }
}
