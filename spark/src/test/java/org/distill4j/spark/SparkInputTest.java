package org.distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.distill4j.coreset.SelectionEngine;
import org.distill4j.coreset.KCenterGreedy;
import org.distill4j.data.NpyFolder;
import org.distill4j.data.WeightedSubset;
import org.distill4j.io.Output;
import org.distill4j.io.OutputKinds;
import org.distill4j.tensor.Npy;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading rows from Dataset<Row>, Parquet and NumPy shards; every bad input refused in one line; the engine behind select. */
class SparkInputTest {
    private static final SparkTestData DATA = new SparkTestData(300, 4, 3, 2);

    @TempDir
    Path dir;

    private static StructType schema(boolean labels) {
        StructType s = new StructType().add("id", DataTypes.LongType, false);
        if (labels) {
            s = s.add("label", DataTypes.IntegerType, true);
        }
        return s.add("features", DataTypes.createArrayType(DataTypes.FloatType), true);
    }

    private static Dataset<Row> frame(List<Object[]> rows, boolean labels) {
        List<Row> r = rows.stream().map(RowFactory::create).toList();
        return SparkTestData.spark().createDataFrame(r, schema(labels));
    }

    private static List<Object[]> rows() {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < DATA.n; i++) {
            out.add(new Object[]{(long) i, DATA.labels[i], toList(DATA.row(i))});
        }
        return out;
    }

    private static List<Float> toList(float[] f) {
        List<Float> l = new ArrayList<>();
        for (float v : f) {
            l.add(v);
        }
        return l;
    }

    private static String refusal(Dataset<Row> data, boolean balance, int budget) {
        return refusal(data, balance, budget, "kcenter");
    }

    private static String refusal(Dataset<Row> data, boolean balance, int budget, String method) {
        SparkSelector.Config cfg = SparkSelector.Config.of(method, budget, balance, 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkErrors.unwrap(() -> SparkSelector.select(SparkInput.of(data, "t").rows(), cfg)));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputIsRefusedInOneLine() {
        List<Object[]> r = rows();
        assertTrue(refusal(frame(r, true).drop("features"), true, 5).contains("no 'features' column"));
        List<Object[]> wide = rows();
        wide.get(17)[2] = toList(new float[]{1, 2, 3, 4, 5});
        assertTrue(refusal(frame(wide, true), true, 5).contains("differing widths: rows have 4 to 5"));
        List<Object[]> nan = rows();
        nan.get(9)[2] = toList(new float[]{1, Float.NaN, 3, 4});
        assertTrue(refusal(frame(nan, true), true, 5).contains("NaN or infinite features (the first at id 9)"));
        List<Object[]> inf = rows();
        inf.get(4)[2] = toList(new float[]{1, Float.POSITIVE_INFINITY, 3, 4});
        assertTrue(refusal(frame(inf, true), true, 5).contains("at id 4"));
        List<Object[]> noLabel = rows();
        noLabel.get(3)[1] = null;
        assertTrue(refusal(frame(noLabel, true), true, 5).contains("labels are absent on 1 rows"));
        List<Object[]> unlabelled = new ArrayList<>();
        for (Object[] o : rows()) {
            unlabelled.add(new Object[]{o[0], o[2]});
        }
        assertTrue(refusal(frame(unlabelled, false), true, 5).contains("labels are absent on 300 rows"));
        assertEquals(5, SparkSelector.select(SparkInput.of(frame(unlabelled, false), "t").rows(),
                SparkSelector.Config.of("kcenter", 5, false, 0, 2)).selection().size(), "without balance, no labels needed");
        assertTrue(refusal(frame(r, true), true, 301).contains("budget 301 must be between 1 and the number of rows (300)"));
        assertTrue(refusal(frame(r, true), true, 5, "least-confidence").contains("300 rows have no 'probabilities'"));
        assertTrue(refusal(frame(r, true), true, 5, "ccs").contains("300 rows have no finite 'score'"));
    }

    @Test
    void parquetAndDatasetRowsSelectAsTheSingleMachineDoes() throws IOException {
        Path parquet = dir.resolve("rows.parquet");
        frame(rows(), true).write().parquet(parquet.toString());
        SparkInput in = SparkInput.parquet(SparkTestData.spark(), parquet);
        assertEquals(300, in.record().examples());
        assertEquals(64, in.record().sha256().length());
        // The fingerprint does not depend on the order or the partitioning of the rows.
        List<Object[]> reversed = rows();
        java.util.Collections.reverse(reversed);
        assertEquals(in.record().sha256(), SparkInput.of(frame(reversed, true).repartition(5), "t").record().sha256());
        SparkSelector.Result r = SparkSelector.select(in.rows(), SparkSelector.Config.of("kcenter", 12, true, 3, 2));
        KCenterGreedy k = new KCenterGreedy();
        assertEquals(k.objective(DATA.context(true, 3), r.selection().indices()).value(), r.objective().value(), 1e-5);
        // The selection as a Dataset: (id, label, weight, score) rows in selection order.
        List<Row> out = r.toDataset(SparkTestData.spark()).collectAsList();
        assertEquals(12, out.size());
        for (int i = 0; i < 12; i++) {
            assertEquals((long) r.selection().indices()[i], out.get(i).getLong(0));
            assertEquals(DATA.labels[r.selection().indices()[i]], out.get(i).getInt(1));
            assertEquals(1.0, out.get(i).getDouble(2));
        }
    }

    private Path npyFolder(Path folder, int from, int to) throws IOException {
        Files.createDirectories(folder);
        int n = to - from;
        float[] x = new float[n * DATA.dim];
        System.arraycopy(DATA.features, from * DATA.dim, x, 0, n * DATA.dim);
        Npy.write(folder.resolve("images.npy"), Tensor.fromFloats(x, n, DATA.dim));
        Npy.write(folder.resolve("labels.npy"), Tensor.fromInts(java.util.Arrays.copyOfRange(DATA.labels, from, to), n));
        return folder;
    }

    @Test
    void npyShardsReadAsOneDataSetWithSelectsFingerprint() throws IOException {
        Path whole = npyFolder(dir.resolve("whole"), 0, 300);
        Path shards = dir.resolve("shards");
        npyFolder(shards.resolve("part-0"), 0, 120);
        npyFolder(shards.resolve("part-1"), 120, 300);
        String fingerprint = NpyFolder.read(whole).fingerprint();
        for (Path p : List.of(whole, shards)) {
            SparkInput in = SparkInput.npy(SparkTestData.sc(), p, 3);
            assertEquals(fingerprint, in.record().sha256(), p.toString());
            List<Example> rows = new ArrayList<>(in.rows().collect());
            rows.sort(Comparator.comparingLong(Example::id));
            assertEquals(300, rows.size());
            for (int i : new int[]{0, 119, 120, 299}) {
                assertEquals(i, rows.get(i).id);
                assertEquals(DATA.labels[i], rows.get(i).label);
                assertArrayEquals(DATA.row(i), rows.get(i).features);
            }
        }
    }

    @Test
    void theEngineIsFoundThroughTheServiceLoaderAndWritesWhatSelectWrites() throws IOException {
        Path whole = npyFolder(dir.resolve("data"), 0, 300);
        SelectionEngine engine = SelectionEngine.find("spark").orElseThrow();
        assertTrue(engine.methods().contains("facility-location"));
        SparkTestData.spark(); // the engine's session joins the tests' (getOrCreate) and stops nothing else
        SelectionEngine.Result r = SparkEngine.readAndSelect(SparkTestData.spark(), new SelectionEngine.Request(whole,
                "facility-location", 15, Double.NaN, true, 0, null, 3), s -> { });
        Path csv = dir.resolve("sel.csv");
        r.selection().writeCsv(Output.check(csv, OutputKinds.SELECTION_CSV, false), r.data(), r.labels());
        WeightedSubset read = WeightedSubset.readCsv(csv);
        read.checkAgainst(NpyFolder.read(whole));   // the same fingerprint as a local select of that folder
        assertArrayEquals(r.selection().indices(), read.indices());
        assertEquals("facility-location", r.objective().name());
    }
}
