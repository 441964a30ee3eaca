package org.distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmBenchTest {
    @Test
    void jsonHasTheAgreedShapeWithBestRates() {
        Map<Integer, Map<Integer, GemmBench.Rate>> sgemm = new LinkedHashMap<>();
        Map<Integer, GemmBench.Rate> n512 = new LinkedHashMap<>();
        n512.put(1, new GemmBench.Rate(100.25, 90));
        n512.put(2, new GemmBench.Rate(190, 180));
        Map<Integer, GemmBench.Rate> n1024 = new LinkedHashMap<>();
        n1024.put(1, new GemmBench.Rate(101, 99));
        n1024.put(2, new GemmBench.Rate(195.5, 1));
        sgemm.put(512, n512);
        sgemm.put(1024, n1024);
        Map<Integer, GemmBench.Rate> ejml = new LinkedHashMap<>();
        ejml.put(512, new GemmBench.Rate(4.5, 4));
        ejml.put(1024, new GemmBench.Rate(4, 3));
        GemmBench.Result r = new GemmBench.Result(new GemmBench.Rate(117.4, 117), sgemm, ejml);
        assertEquals("{\"peak_gflops\": 117.40, \"sgemm\": {\"512\": {\"1\": 100.25, \"2\": 190.00}, "
                + "\"1024\": {\"1\": 101.00, \"2\": 195.50}}, \"ejml\": {\"512\": 4.50, \"1024\": 4.00}}", r.toJson());
    }

    @Test
    void measureReportsBestAndMedianRates() {
        GemmBench.Rate r = GemmBench.measure(1e6, () -> {
            double x = 0;
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(i);
            }
            if (x < 0) {
                throw new AssertionError();
            }
        });
        assertTrue(r.best() >= r.median() && r.median() > 0, r.toString());
    }
}
