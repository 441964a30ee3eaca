package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.NpyFolder;
import org.distill4j.io.Json;
import org.distill4j.io.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selection file records what made it: {@code select} writes its provenance line, and
 * {@code evaluate --subset} and {@code train --subset} refuse a selection made from another data
 * set, or one whose rows were changed, in one line before any training. Two tiny synthetic .npy
 * data sets of the same shape and size.
 */
class SelectionProvenanceTest extends CommandTest {
    @TempDir
    Path tmp;

    private String a;
    private String b;

    @BeforeEach
    void twoDataSets() throws IOException {
        a = write("a", 1);
        b = write("b", 3);
    }

    private String write(String name, long seed) throws IOException {
        Path d = tmp.resolve(name);
        NpyFolder.write(d.resolve("train"), OutputSafetyTest.synthetic(60, seed));
        NpyFolder.write(d.resolve("test"), OutputSafetyTest.synthetic(20, seed + 1));
        return d.toString();
    }

    private Path select(String data) {
        Path sel = tmp.resolve("sel.csv");
        assertEquals(0, run("select", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--method",
                "herding", "--fraction", "0.25", "--selection-epochs", "0", "--seed", "3", "--out", sel.toString()), err.toString());
        return sel;
    }

    private String[] evaluate(String data, Path sel) {
        return new String[]{"evaluate", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--epochs", "1",
                "--subset", sel.toString()};
    }

    private String[] train(String data, Path sel) {
        return new String[]{"train", "--device", "cpu", "--threads", "1", "--dataset", data, "--model", "mlp", "--epochs", "1",
                "--subset", sel.toString()};
    }

    /** Exit code 2 and exactly one stderr line, the error, containing every one of {@code parts}. */
    private void refusedInOneLine(int code, String... parts) {
        assertEquals(2, code, err.toString());
        String[] lines = errLines();
        assertEquals(1, lines.length, "one line, and no training before it: " + err);
        for (String p : parts) {
            assertTrue(lines[0].contains(p), "'" + lines[0] + "' should contain '" + p + "'");
        }
    }

    @Test
    void selectRecordsTheMethodItsSettingsAndTheDataSet() throws IOException {
        Path sel = select(a);
        List<String> lines = Files.readAllLines(sel);
        String first = lines.get(0);
        assertTrue(first.startsWith("# distill4j selection {\"kind\": \"distill4j/selection\", "), first);
        assertEquals("index,label,weight,score", lines.get(1));
        assertEquals(2 + 15, lines.size());
        Map<String, Object> p = Json.parseObject(first.substring("# distill4j selection ".length()));
        assertEquals(Provenance.version(), p.get("distill4j_version"));
        assertEquals("herding", p.get("method"));
        Map<?, ?> settings = (Map<?, ?>) p.get("settings");
        assertEquals(a, settings.get("dataset"));
        assertEquals(15.0, settings.get("budget"));
        assertEquals(0.25, settings.get("fraction"));
        assertEquals(true, settings.get("balance"));
        assertEquals(3.0, settings.get("seed"));
        assertEquals("mlp", settings.get("model"));
        assertEquals(0.0, settings.get("selection_epochs"));
        Dataset train = DataSets.loadNormalized(a, null, null).train();
        Map<?, ?> data = (Map<?, ?>) p.get("data");
        assertEquals(train.name(), data.get("name"));
        assertEquals(60.0, data.get("examples"));
        assertEquals(train.fingerprint(), data.get("sha256"));
        assertNotEquals(train.fingerprint(), DataSets.loadNormalized(b, null, null).train().fingerprint());
    }

    @Test
    void evaluateAndTrainAcceptTheSelectionOnItsOwnDataSetAndRefuseItOnAnother() throws IOException {
        Path sel = select(a);
        assertEquals(0, run(evaluate(a, sel)), err.toString());
        assertEquals(0, run(train(a, sel)), err.toString());

        Dataset fromA = DataSets.loadNormalized(a, null, null).train();
        Dataset fromB = DataSets.loadNormalized(b, null, null).train();
        String refusal = sel + " was selected from " + fromA.name() + " (60 examples, sha256 " + fromA.fingerprint().substring(0, 12)
                + "...), not from " + fromB.name() + " (60 examples, sha256 " + fromB.fingerprint().substring(0, 12) + "...)";
        refusedInOneLine(run(evaluate(b, sel)), "distill4j: error: " + refusal);
        refusedInOneLine(run(train(b, sel)), "distill4j: error: " + refusal);

        // Without its provenance line (a hand-made or older selection), it is taken as it is.
        String text = Files.readString(sel);
        Path plain = Files.writeString(tmp.resolve("plain.csv"), text.substring(text.indexOf('\n') + 1));
        assertEquals(0, run(evaluate(b, plain)), err.toString());
    }

    @Test
    void aSelectionChangedAfterItWasWrittenIsRefused() throws IOException {
        Path sel = select(a);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(sel));
        lines.remove(lines.size() - 1);
        Files.write(sel, lines);
        refusedInOneLine(run(evaluate(a, sel)), "distill4j: error: " + sel + ": the rows were changed after distill4j wrote them",
                "delete the first line");
        refusedInOneLine(run(train(a, sel)), sel + ": the rows were changed after distill4j wrote them");
        // select may still replace it: it is recognised as a selection by its first line.
        select(a);
        assertEquals(0, run(evaluate(a, sel)), err.toString());
    }
}
