package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.protocol.ProtocolResults;
import org.distill4j.coreset.protocol.ProtocolTable;
import org.distill4j.distill.DistilledEvaluation;
import org.junit.jupiter.api.Test;

/** One std convention everywhere: the sample std (n - 1), named so, and "-" / null where one value leaves it undefined. */
class SampleStdTest {
    @Test
    void sampleStdDividesByNMinusOneAndIsUndefinedForOneValue() {
        assertEquals(1.0, SubsetTraining.sampleStd(new double[]{1, 2, 3}), 1e-12);
        assertTrue(Double.isNaN(SubsetTraining.sampleStd(new double[]{0.7})));
        assertEquals("-", SubsetTraining.formatStd("%.4f", Double.NaN));
        assertEquals("0.5000", SubsetTraining.formatStd("%.4f", 0.5));
        assertNull(SubsetTraining.jsonStd(Double.NaN));
    }

    @Test
    void distilledEvaluationTablesSaySampleStdAndADashForOneNetwork() {
        Map<String, Object> one = new DistilledEvaluation.Stats(0.6, Double.NaN, new double[]{0.6}).toMap();
        assertTrue(one.containsKey("sample_std") && one.get("sample_std") == null && !one.containsKey("std"), one.toString());
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("method", "dataset distillation");
        row.put("replay", one);
        row.put("ordinary_training", new DistilledEvaluation.Stats(0.5, 0.01, new double[]{0.49, 0.51}).toMap());
        String table = DistillData.table(List.of(row), "fixed init");
        assertTrue(table.contains("60.00% +- -") && table.contains("50.00% +- 1.00"), table);
        assertTrue(table.contains("sample std"), table);
    }

    @Test
    void coresetBenchTableSaysSampleStdAndADashForOneSeed() {
        Map<String, Map<Double, ProtocolResults.Cell>> cells = new java.util.LinkedHashMap<>();
        Map<Double, ProtocolResults.Cell> uniform = new TreeMap<>();
        uniform.put(0.01, new ProtocolResults.Cell(0.7, Double.NaN, 1, 0.5));
        uniform.put(0.1, new ProtocolResults.Cell(0.8, 0.02, 3, 0.5));
        cells.put("uniform", uniform);
        String md = ProtocolTable.markdown(cells, "t", "distill4j coreset-bench");
        assertTrue(md.contains("70.00 ± - (0.50 s)") && md.contains("80.00 ± 2.00 (0.50 s)"), md);
        assertTrue(md.contains("sample std"), md);
        // The plot draws a one-seed point without an error bar instead of failing on NaN.
        assertEquals(960, BenchReport.plot(BenchResults.points(cells), "t").getWidth());
    }
}
