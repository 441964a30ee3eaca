package org.distill4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.distill4j.coreset.Selection;
import org.distill4j.coreset.SelectionEngine;
import org.distill4j.io.Json;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.options.Progress;

/**
 * {@code select --engine spark}: hands the selection to the engine found on the classpath, then
 * writes what it returns as {@code select} writes a local selection (the same provenance line and
 * rows) and reports it the same way. The output path is checked before the engine starts, and
 * nothing is written when the engine refuses the input.
 */
final class SparkSelect {
    private final SelectCommand cmd;
    private final PrintWriter stdout;
    private final Progress progress;

    SparkSelect(SelectCommand cmd, PrintWriter stdout, Progress progress) {
        this.cmd = cmd;
        this.stdout = stdout;
        this.progress = progress;
    }

    int run(SelectionEngine engine) throws Exception {
        Output target = cmd.force.check(cmd.out, OutputKinds.SELECTION_CSV);
        SelectionEngineOptions o = cmd.engine;
        SelectionEngine.Request request = new SelectionEngine.Request(Path.of(cmd.selection.dataset), cmd.method,
                cmd.size.budget != null ? cmd.size.budget : 0, cmd.size.fraction != null ? cmd.size.fraction : Double.NaN,
                cmd.selection.balance, cmd.selection.seed, o.master, o.partitions);
        long start = System.nanoTime();
        SelectionEngine.Result r = engine.select(request, progress::line);
        double seconds = (System.nanoTime() - start) / 1e9;
        Selection s = r.selection().withSettings(recipe(r));
        s.writeCsv(target, r.data(), r.labels());
        stdout.printf(Locale.ROOT, "selected %,d of %,d examples by %s on spark%s -> %s%s%n", s.size(), r.data().examples(),
                s.method(), cmd.selection.balance ? " (balanced)" : "", cmd.out, Summaries.created(target));
        StringBuilder classes = new StringBuilder("per class:");
        for (int c = 0; c < r.perClass().length; c++) {
            classes.append(' ').append(c).append(':').append(r.perClass()[c]);
        }
        stdout.println(classes);
        stdout.printf(Locale.ROOT, "seconds: selection %.2f (spark, with start-up)%n", seconds);
        if (r.objective() != null) {
            stdout.printf(Locale.ROOT, "objective: %s %s%n", r.objective().name(), r.objective().value());
        }
        if (cmd.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("method", s.method());
            j.put("dataset", r.data().name());
            j.put("engine", "spark");
            j.put("features", "input");
            j.put("balance", cmd.selection.balance);
            j.put("seed", cmd.selection.seed);
            j.put("budget", s.settings().get("budget"));
            j.put("selected", s.size());
            j.put("examples", r.data().examples());
            j.put("per_class", Arrays.stream(r.perClass()).boxed().toList());
            j.put("selection_seconds", seconds);
            j.put("out", cmd.out.toString());
            if (r.objective() != null) {
                j.put("objective", r.objective().toMap());
            }
            stdout.println(Json.write(j));
        }
        stdout.flush();
        return 0;
    }

    private Map<String, Object> recipe(SelectionEngine.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", cmd.selection.dataset);
        m.put("budget", r.selection().size());
        if (cmd.size.fraction != null) {
            m.put("fraction", cmd.size.fraction);
        }
        m.put("balance", cmd.selection.balance);
        m.put("seed", cmd.selection.seed);
        m.put("features", "input");
        m.put("engine", "spark");
        return m;
    }
}
