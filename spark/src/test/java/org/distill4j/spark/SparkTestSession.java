package org.distill4j.spark;

/** Starts the module's shared test session, for tests outside this package. */
public final class SparkTestSession {
    private SparkTestSession() {
    }

    public static void start() {
        SparkTestData.spark();
    }
}
