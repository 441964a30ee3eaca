package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distill4j.coreset.protocol.ProtocolResults;
import org.distill4j.coreset.protocol.ProtocolTable;
import org.distill4j.distill.BaselineComparison;
import org.distill4j.distill.DistilledEvaluation;
import org.distill4j.train.SampleStats;
import org.junit.jupiter.api.Test;

/** One std convention everywhere: the sample std (n - 1), named so, and "-" / null where one value leaves it undefined. */
class SampleStdTest {
    @Test
    void sampleStdDividesByNMinusOneAndIsUndefinedForOneValue() {
        assertEquals(1.0, SampleStats.of(1, 2, 3).sampleStd().orElseThrow(), 1e-12);
        assertTrue(SampleStats.of(0.7).sampleStd().isEmpty());
        assertEquals("-", Figures.std("%.4f", SampleStats.of(0.7).sampleStd()));
        assertEquals("1.0000", Figures.std("%.4f", SampleStats.of(1, 2, 3).sampleStd()));
        assertNull(SampleStats.of(0.7).sampleStdOrNull());
    }

    @Test
    void distilledEvaluationTablesSaySampleStdAndADashForOneNetwork() {
        Map<String, Object> one = SampleStats.of(0.6).toMap();
        assertTrue(one.containsKey("sample_std") && one.get("sample_std") == null && !one.containsKey("std"), one.toString());
        DistilledEvaluation.Result r = new DistilledEvaluation.Result(SampleStats.of(0.6), SampleStats.of(0.49, 0.51));
        String table = Figures.table(List.of(new BaselineComparison.Row("dataset distillation", r)), "fixed init");
        assertTrue(table.contains("60.00% +- -") && table.contains("50.00% +- 1.41"), table);
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
        assertEquals(960, BenchReport.plot(cells, "t").getWidth());
    }
}
