package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distill4j.io.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --adaptive} and {@code train --dynamic} on a tiny CSV data set: the happy paths and bad input. */
class AdaptiveCommandsTest extends CommandTest {
    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void tinyDataSet() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < 60; i++) {
            int label = i % 3;
            sb.append(label + 0.1 * (i % 7)).append(',').append(-label + 0.05 * (i % 5)).append(',')
                    .append(0.3 * (i % 5)).append(',').append(label * 2).append(',').append(label).append('\n');
        }
        data = dir.resolve("tiny.csv");
        Files.writeString(data, sb.toString());
    }

    private String[] train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--device", "cpu", "--dataset", data.toString(), "--model", "mlp",
                "--batch-size", "8"));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    private Map<String, Object> lastJson() {
        List<String> lines = out.toString().lines().toList();
        return Json.parseObject(lines.get(lines.size() - 1));
    }

    @Test
    void adaptiveTrainingReportsItsSelections() {
        assertEquals(0, run(train("--epochs", "3", "--adaptive", "gradmatch-pb", "--fraction", "0.3", "--select-every", "1", "--val-split", "0.2",
                "--json")), err.toString());
        Map<String, Object> o = lastJson();
        double cpu = ((Number) o.get("train_cpu_seconds")).doubleValue();
        // The process CPU clock may tick coarser than three epochs on 48 examples take, so zero is a fair reading.
        assertTrue(cpu >= 0 && cpu < 1000, "CPU seconds of the training passes: " + cpu);
        Map<?, ?> a = (Map<?, ?>) o.get("adaptive");
        assertEquals("gradmatch-pb", a.get("method"));
        assertEquals(48, ((Number) a.get("train_examples")).intValue());
        assertEquals(12, ((Number) a.get("validation_examples")).intValue());
        List<?> selections = (List<?>) a.get("selections");
        assertEquals(3, selections.size());
        assertEquals("uniform", ((Map<?, ?>) selections.get(0)).get("how"));
        assertEquals("gradmatch-pb", ((Map<?, ?>) selections.get(1)).get("how"));
        assertTrue(err.toString().contains("3 selections"), err.toString());
    }

    @Test
    void infoBatchTrainingReportsWhatItPruned() {
        assertEquals(0, run(train("--dynamic", "infobatch", "--prune-ratio", "0.6", "--epochs", "4", "--json")), err.toString());
        Map<?, ?> d = (Map<?, ?>) lastJson().get("dynamic");
        assertEquals("infobatch", d.get("method"));
        assertEquals(0.6, ((Number) d.get("prune_ratio")).doubleValue());
        assertEquals(60, ((Number) ((List<?>) d.get("trained_per_epoch")).get(0)).intValue());
        assertTrue(err.toString().contains("infobatch:"), err.toString());
    }

    /** Exit code 2 and exactly one line on stderr containing every one of {@code parts}. */
    private void failsWithOneLine(String[] args, String... parts) {
        assertEquals(2, run(args), err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, err.toString());
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        failsWithOneLine(train("--adaptive", "craigpb"), "unknown adaptive method 'craigpb'", "craig-pb");
        failsWithOneLine(train("--adaptive", "craig", "--val-split", "0.6"), "validation split", "(0, 0.5]");
        failsWithOneLine(train("--adaptive", "craig", "--val-split", "0"), "validation split");
        failsWithOneLine(train("--adaptive", "glister", "--fraction", "0.02"), "without a share", "raise the fraction");
        failsWithOneLine(train("--fraction", "0.2"), "--fraction only goes with --adaptive");
        failsWithOneLine(train("--adaptive", "craig", "--dynamic", "infobatch"), "give one");
        failsWithOneLine(train("--dynamic", "nosuch"), "unknown dynamic method 'nosuch'", "infobatch");
        failsWithOneLine(train("--dynamic", "infobatch", "--prune-ratio", "0.95"), "prune ratio");
        failsWithOneLine(train("--delta", "0.5"), "--delta only goes with --dynamic infobatch");
        failsWithOneLine(train("--adaptive", "craig", "--subset", dir.resolve("none.csv").toString()), "cannot take --subset");
    }
}
