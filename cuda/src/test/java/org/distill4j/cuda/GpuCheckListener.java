package org.distill4j.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * scripts/gpu-check's record of each test as it happens: a line on standard output when a test
 * starts and when it ends (flushed at once, so a step killed at its time limit still shows how far
 * it got and which test hung), and a row per finished test in
 * {@code $distill4j.gpucheck.out/tests-$distill4j.gpucheck.pass.tsv}: status, seconds, the test's
 * path, the first line of its failure. The report is made from those rows. JUnit's launcher finds
 * it through ServiceLoader; it does nothing unless {@code -Ddistill4j.gpucheck.out} is set, so
 * Maven's test runs are unaffected.
 */
public final class GpuCheckListener implements TestExecutionListener {
    private final Path rows;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private TestPlan plan;

    public GpuCheckListener() {
        String out = System.getProperty("distill4j.gpucheck.out", "");
        rows = out.isEmpty() ? null : Path.of(out, "tests-" + System.getProperty("distill4j.gpucheck.pass", "all") + ".tsv");
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (rows != null && test.isTest()) {
            started.put(test.getUniqueId(), System.nanoTime());
            print("started  " + path(test));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (rows != null) {
            print("skipped  " + path(test) + ": " + reason);
            row("SKIPPED", 0, path(test), reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (rows == null || !(test.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED)) {
            return;  // a container is reported only when it failed itself (a constructor, a @BeforeAll)
        }
        Long t0 = started.remove(test.getUniqueId());
        double seconds = t0 == null ? 0 : (System.nanoTime() - t0) / 1e9;
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> "PASSED";
            case ABORTED -> "SKIPPED";
            case FAILED -> "FAILED";
        };
        String why = result.getThrowable().map(GpuCheckListener::firstLine).orElse("");
        print(String.format("%-8s %s (%.1f s)%s", status.toLowerCase(), path(test), seconds, why.isEmpty() ? "" : ": " + why));
        row(status, seconds, path(test), why);
    }

    /** "OpGradCheckTest > linearAlgebra() > matmul": the names from the class down, without the engine. */
    private String path(TestIdentifier test) {
        List<String> names = new ArrayList<>();
        for (Optional<TestIdentifier> t = Optional.of(test); t.isPresent(); t = plan == null ? Optional.empty() : plan.getParent(t.get())) {
            if (t.get().getParentId().isPresent()) {  // not the engine
                names.add(0, t.get().getDisplayName());
            }
        }
        return String.join(" > ", names);
    }

    private static String firstLine(Throwable t) {
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        int newline = m.indexOf('\n');
        return (newline < 0 ? m : m.substring(0, newline)).replace('\t', ' ').trim();
    }

    private static void print(String line) {
        System.out.println("[test] " + line);
        System.out.flush();
    }

    private synchronized void row(String status, double seconds, String path, String why) {
        String line = String.format("%s\t%.1f\t%s\t%s%n", status, seconds, path.replace('\t', ' '), why.replace('\t', ' '));
        try {
            Files.createDirectories(rows.getParent());
            Files.writeString(rows, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
