package org.distill4j.coreset.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distill4j.data.DataSets;
import org.distill4j.data.Dataset;
import org.distill4j.data.NpyFolder;
import org.distill4j.data.Splits;
import org.distill4j.io.Json;
import org.distill4j.io.OutputRefusedException;
import org.distill4j.io.Provenance;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Tensor;
import org.distill4j.train.TrainConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coreset protocol on a tiny synthetic data set: rows, resuming, jobs, pinned settings. */
class CoresetProtocolTest {
    @TempDir
    Path tmp;

    private ProtocolSettings settings;

    @BeforeEach
    void syntheticData() throws IOException {
        Path d = tmp.resolve("data");
        NpyFolder.write(d.resolve("train"), synthetic(40, 1));
        NpyFolder.write(d.resolve("test"), synthetic(20, 2));
        settings = ProtocolSettings.defaults().withData(d.toString(), "mlp").withEpochs(1, 1).withSgd(8, 0.01, 0.9)
                .withRuns(List.of("uniform", "kcenter"), List.of(0.1, 0.5), 2, 0);
    }

    /** 8x8 one-channel images of 10 classes: class c lights up row c mod 8, plus noise. */
    private static Dataset synthetic(int n, long seed) {
        float[] x = Tensor.randn(new Generator(seed), DType.F32, n, 1, 8, 8).toFloatArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int c = 0; c < 8; c++) {
                x[i * 64 + (labels[i] % 8) * 8 + c] += labels[i] < 8 ? 3f : -3f;
            }
        }
        return new Dataset("synthetic", Tensor.fromFloats(x, n, 1, 8, 8), labels, 10);
    }

    /** Counts the rows a run makes. */
    private static final class Rows implements ProtocolListener {
        final List<ProtocolRun> made = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onRow(ProtocolRow row) {
            made.add(row.run());
        }
    }

    private static ProtocolResults run(ProtocolSettings s, Path folder, boolean force, ProtocolListener listener)
            throws IOException {
        return CoresetProtocol.open(s, folder, force).run((Path) null, listener);
    }

    /** method, fraction, seed, budget, selected and accuracies of each row, sorted: a row without its seconds. */
    private static List<String> withoutSeconds(ProtocolResults r) {
        return r.rows().stream().map(w -> String.join(",", w.method(), Double.toString(w.fraction()), Long.toString(w.seed()),
                Integer.toString(w.budget()), Integer.toString(w.selected()), Double.toString(w.finalAccuracy()),
                Double.toString(w.bestAccuracy()))).sorted().toList();
    }

    @Test
    void oneRowPerMethodFractionAndSeedWrittenToResultsCsv() throws IOException {
        Path out = tmp.resolve("report");
        Rows rows = new Rows();
        ProtocolResults r = run(settings, out, false, rows);
        assertEquals(2 * 2 * 2, r.rows().size(), "methods x fractions x seeds");
        assertEquals(8, rows.made.size());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(ProtocolRow.HEADER, csv.get(0));
        assertEquals(r.rows().stream().map(ProtocolRow::csv).toList(), csv.subList(1, csv.size()));
        assertTrue(Files.readString(out.resolve("settings.json")).contains("\"kind\": \"distill4j/coreset-bench\""));
        ProtocolRow kcenter = r.rows().stream().filter(w -> w.method().equals("kcenter") && w.fraction() == 0.5).findFirst().orElseThrow();
        assertEquals(20, kcenter.budget());
        assertEquals(20, kcenter.selected());

        // full trains on the whole set once per seed, whatever the fractions.
        ProtocolSettings withFull = settings.withRuns(List.of("uniform", "full"), List.of(0.1, 0.5), 1, 0);
        assertEquals(3, run(withFull, tmp.resolve("full"), false, new Rows()).rows().size());
    }

    @Test
    void aRerunResumesAndMakesOnlyTheMissingRows() throws IOException {
        Path out = tmp.resolve("report");
        ProtocolSettings oneSeed = settings.withRuns(settings.methods(), settings.fractions(), 1, 0);
        List<String> first = Files.readAllLines(run(oneSeed, out, false, new Rows()).file());
        assertEquals(1 + 4, first.size());

        Rows again = new Rows();
        run(oneSeed, out, false, again);
        assertEquals(List.of(), again.made, "nothing left to do");
        assertEquals(first, Files.readAllLines(out.resolve("results.csv")));

        // A second seed, and a row lost from the first: only those are made; the other rows stay as they were.
        List<String> lost = new ArrayList<>(first);
        String removed = lost.remove(2);
        Files.write(out.resolve("results.csv"), lost);
        Rows more = new Rows();
        ProtocolResults r = run(settings, out, false, more);
        List<ProtocolRun> expected = new ArrayList<>(settings.runs(1));
        expected.add(0, new ProtocolRun(removed.split(",")[0], Double.parseDouble(removed.split(",")[1]), 0));
        assertEquals(expected.stream().sorted(java.util.Comparator.comparing(ProtocolRun::toString)).toList(),
                more.made.stream().sorted(java.util.Comparator.comparing(ProtocolRun::toString)).toList());
        assertEquals(8, r.rows().size());
        List<String> now = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(now.containsAll(lost), "the rows that were there are kept, seconds and all");
    }

    @Test
    void twoJobsMakeTheSameRowsAsOne() throws IOException {
        ProtocolResults one = run(settings, tmp.resolve("one"), false, new Rows());
        ProtocolResults two = run(settings.withJobs(2), tmp.resolve("two"), false, new Rows());
        assertEquals(withoutSeconds(one), withoutSeconds(two));
    }

    @Test
    void otherPinnedSettingsAreRefusedUnlessForced() throws IOException {
        Path out = tmp.resolve("report");
        ProtocolSettings small = settings.withRuns(List.of("uniform"), List.of(0.1), 1, 0);
        run(small, out, false, new Rows());
        String before = Files.readString(out.resolve("results.csv"));
        OtherSettingsException e = assertThrows(OtherSettingsException.class,
                () -> CoresetProtocol.open(small.withSgd(8, 0.5, 0.9), out, false));
        assertEquals("lr 0.01, here 0.5", e.difference());
        assertEquals(before, Files.readString(out.resolve("results.csv")));

        // Methods, fractions, seeds and jobs are not pinned: they only say which rows to make.
        assertTrue(CoresetProtocol.open(small.withRuns(List.of("kcenter"), List.of(0.5), 3, 7).withJobs(2), out, false).resumes());

        CoresetProtocol forced = CoresetProtocol.open(small.withSgd(8, 0.5, 0.9), out, true);
        assertFalse(forced.resumes());
        ProtocolResults fresh = forced.run((Path) null, new Rows());
        assertEquals(1, fresh.rows().size());
        assertTrue(Files.readString(out.resolve("settings.json")).contains("\"lr\": 0.5"));
    }

    @Test
    void settingsRecordTheDataAndAResumeOnOtherDataIsRefusedUnlessForced() throws IOException {
        Path out = tmp.resolve("report");
        ProtocolSettings small = settings.withRuns(List.of("uniform"), List.of(0.1), 1, 0);
        Splits data = DataSets.loadNormalized(small.dataset(), null, null);
        run(small, out, false, new Rows());
        Map<String, Object> json = Json.readObject(out.resolve("settings.json"));
        Map<?, ?> provenance = (Map<?, ?>) json.get("provenance");
        assertEquals(Provenance.version(), provenance.get("distill4j_version"));
        Map<?, ?> trainingData = (Map<?, ?>) provenance.get("training_data");
        assertEquals(data.train().fingerprint(), trainingData.get("sha256"));
        assertEquals(40.0, trainingData.get("examples"));
        assertEquals(data.train().name(), trainingData.get("name"));
        String before = Files.readString(out.resolve("results.csv"));

        // The same settings on the same data resume; on other data (one label changed) they are refused before any work.
        assertTrue(CoresetProtocol.open(small, out, false).resumes());
        int[] labels = data.train().labels();
        labels[0] = 1;
        Splits other = new Splits(new Dataset(data.train().name(), data.train().images(), labels, 10), data.test(), data.norm());
        Rows none = new Rows();
        CoresetProtocol protocol = CoresetProtocol.open(small, out, false);
        OtherSettingsException e = assertThrows(OtherSettingsException.class, () -> protocol.run(other, none));
        String name = Json.write(data.train().name());
        assertEquals("data set " + name + " (40 examples, sha256 " + data.train().fingerprint().substring(0, 12) + "...), here "
                + name + " (40 examples, sha256 " + other.train().fingerprint().substring(0, 12) + "...)", e.difference());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(List.of(), none.made);
        assertEquals(before, Files.readString(out.resolve("results.csv")));

        // Forced, the folder starts afresh on the other data.
        Rows fresh = new Rows();
        assertEquals(1, CoresetProtocol.open(small, out, true).run(other, fresh).rows().size());
        assertEquals(1, fresh.made.size());
        assertEquals(other.train().fingerprint(), ((Map<?, ?>) ((Map<?, ?>) Json.readObject(out.resolve("settings.json"))
                .get("provenance")).get("training_data")).get("sha256"));
    }

    @Test
    void aFolderFromBeforeSettingsRecordedTheDataResumesAndKeepsItsSettingsFile() throws IOException {
        Path out = tmp.resolve("report");
        ProtocolSettings small = settings.withRuns(List.of("uniform"), List.of(0.1), 1, 0);
        run(small, out, false, new Rows());
        // As docs/results/coreset/deepcore/settings.json: the pinned settings, no kind, no provenance.
        Map<String, Object> old = new LinkedHashMap<>(Json.readObject(out.resolve("settings.json")));
        old.remove("kind");
        old.remove("provenance");
        String oldText = Json.write(old) + "\n";
        Files.writeString(out.resolve("settings.json"), oldText);
        Rows more = new Rows();
        CoresetProtocol protocol = CoresetProtocol.open(small.withRuns(List.of("uniform"), List.of(0.1, 0.5), 1, 0), out, false);
        assertTrue(protocol.resumes());
        assertEquals(2, protocol.run((Path) null, more).rows().size());
        assertEquals(1, more.made.size(), "only the missing row");
        assertEquals(oldText, Files.readString(out.resolve("settings.json")), "a resume leaves settings.json as it was");

        // A provenance block that is not what distill4j writes is refused in one line naming the file.
        Files.writeString(out.resolve("settings.json"), oldText.replace("{", "{\"provenance\": [1], "));
        IOException e = assertThrows(IOException.class, () -> CoresetProtocol.open(small, out, false).run((Path) null, new Rows()));
        assertTrue(e.getMessage().startsWith(out.resolve("settings.json") + ": \"provenance\" must be {"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void theRecordedDeepCoreFolderStillResumes() throws IOException {
        Path recorded = Path.of("../../docs/results/coreset/deepcore");
        Path copy = Files.createDirectories(tmp.resolve("deepcore"));
        for (String f : List.of("settings.json", "results.csv")) {
            Files.copy(recorded.resolve(f), copy.resolve(f));
        }
        Map<String, Object> s = Json.readObject(copy.resolve("settings.json"));
        assertFalse(s.containsKey("provenance"));
        ProtocolSettings same = ProtocolSettings.defaults().withRuns(List.of("uniform"), List.of(0.01), 1, 0);
        assertEquals(s.get("dataset"), same.dataset());
        assertTrue(CoresetProtocol.open(same, copy, false).resumes());
    }

    @Test
    void aFolderRecordsItsProtocolAndOneWithoutItIsTheSimpleProtocols() throws IOException {
        Path out = tmp.resolve("report");
        ProtocolSettings small = settings.withRuns(List.of("uniform"), List.of(0.1), 1, 0);
        ProtocolSettings deepcore = small.withProtocol(Protocol.DEEPCORE).withSgd(8, 0.01, 0.9);
        ProtocolResults r = run(deepcore, out, false, new Rows());
        assertEquals(1, r.rows().size());
        assertEquals("deepcore", Json.readObject(out.resolve("settings.json")).get("protocol"));
        assertTrue(CoresetProtocol.open(deepcore, out, false).resumes());
        OtherSettingsException e = assertThrows(OtherSettingsException.class, () -> CoresetProtocol.open(small, out, false));
        assertEquals("protocol \"deepcore\", here \"simple\"", e.difference());

        // Without a "protocol" key (every folder before protocols had names): the simple protocol's.
        Path old = tmp.resolve("old");
        run(small, old, false, new Rows());
        Map<String, Object> json = new LinkedHashMap<>(Json.readObject(old.resolve("settings.json")));
        assertEquals("simple", json.remove("protocol"));
        Files.writeString(old.resolve("settings.json"), Json.write(json) + "\n");
        assertTrue(CoresetProtocol.open(small, old, false).resumes());
        e = assertThrows(OtherSettingsException.class, () -> CoresetProtocol.open(deepcore, old, false));
        assertEquals("protocol \"simple\", here \"deepcore\"", e.difference());
        assertFalse(CoresetProtocol.open(ProtocolSettings.defaults().withProtocol(Protocol.DEEPCORE), old, true).resumes());
    }

    @Test
    void theProtocolsRecipesAndSeeds() {
        TrainConfig simple = Protocol.SIMPLE.training(200, 128, 0.01, 0.9, 7);
        assertEquals(TrainConfig.sgd(200, 128, 0.01, 0.9, 7), simple, "the recipe every earlier folder was made with");
        assertEquals(7, Protocol.SIMPLE.evaluationSeed(7));
        assertEquals(7, Protocol.SIMPLE.selectionSeed(7));
        TrainConfig dc = Protocol.DEEPCORE.training(200, 128, 0.1, 0.9, 3);
        assertEquals(new TrainConfig("sgd", 0.1, 0.9, 5e-4, true, 200, 128, "cosine", 3, false), dc);
        TrainConfig dcSelection = Protocol.DEEPCORE.selection(5, 128, 0.1, 0.9, 3);
        assertEquals(TrainConfig.ScheduleName.NONE, dcSelection.schedule(), "DeepCore's EarlyTrain has no schedule");
        assertTrue(dcSelection.nesterov());
        assertEquals(0.1, Protocol.DEEPCORE.learningRate());
        assertEquals(128, Protocol.DEEPCORE.batchSize());
        // Fresh initialisation: the final model's seed is not the selection model's; and no two bench seeds
        // share a selection model, ensembles of up to 10 models included (seeds selectionSeed + 0..9).
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (long s = 0; s < 50; s++) {
            long sel = Protocol.DEEPCORE.selectionSeed(s);
            long eval = Protocol.DEEPCORE.evaluationSeed(s);
            assertTrue(sel >= 0 && eval >= 0);
            for (int k = 0; k < 10; k++) {
                assertTrue(used.add(sel + k), "bench seed " + s + " model " + k + " shares a seed");
                assertTrue(eval != sel + k);
            }
        }
        assertEquals(Protocol.DEEPCORE, Protocol.byName("deepcore"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Protocol.byName("cords"));
        assertEquals("unknown protocol 'cords'; known: simple, deepcore", e.getMessage());
    }

    @Test
    void aFolderDistill4jDidNotWriteIsRefusedBeforeAnyWork() throws IOException {
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "chapter 1");
        assertThrows(OutputRefusedException.class, () -> CoresetProtocol.open(settings, mine, false));
        assertEquals(List.of(mine.resolve("thesis.tex")), Files.list(mine).toList());
    }

    @Test
    void cellsHoldTheMeanAndSampleStdOverSeeds() throws IOException {
        ProtocolResults r = ProtocolResults.open(tmp.resolve("results.csv"));
        r.add(new ProtocolRow("uniform", 0.1, 0, 4, 4, 0.25, 1, 0.5, 0.6, 1));
        r.add(new ProtocolRow("uniform", 0.1, 1, 4, 4, 0.75, 1, 0.7, 0.7, 1));
        r.add(new ProtocolRow("herding", 0.1, 0, 4, 4, 0.5, 1, 0.4, 0.4, 1));
        ProtocolResults.Cell c = r.cells().get("uniform").get(0.1);
        assertEquals(0.6, c.mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), c.sampleStd(), 1e-12);   // ((0.1)^2 + (0.1)^2) / (2 - 1)
        assertEquals(0.5, c.selectionSeconds(), 1e-12);
        assertTrue(Double.isNaN(r.cells().get("herding").get(0.1).sampleStd()), "one seed: undefined");
        assertEquals(List.of("uniform", "herding"), List.copyOf(r.cells().keySet()), "the documented order of the methods");
        assertEquals(r.rows(), ProtocolResults.open(tmp.resolve("results.csv")).rows(), "read back as written");
        String md = ProtocolTable.markdown(r.cells(), "t", "made");
        assertTrue(md.contains("| uniform | 60.00 ± 14.14 (0.50 s) |") && md.contains("| herding | 40.00 ± - (0.50 s) |"), md);
        assertEquals("0.1%", ProtocolTable.percent(0.001));
    }
}
