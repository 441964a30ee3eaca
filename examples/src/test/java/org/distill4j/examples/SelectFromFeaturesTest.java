package org.distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distill4j.coreset.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectFromFeaturesTest {
    @TempDir
    Path tmp;

    /** Row i: class i % 2, near the axis (i / 2) % 3 at distance 10 (three clusters per class, orthogonal), jittered. */
    private static float[][] clusters(int n) {
        Random r = new Random(3);
        float[][] f = new float[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                f[i][j] = (float) (0.2 * r.nextGaussian()) + (j == (i / 2) % 3 ? 10f : 0f);
            }
        }
        return f;
    }

    @Test
    void eachMethodShowsThePropertyThatDefinesItOnFeaturesAlone() {
        int n = 30;
        float[][] f = clusters(n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        Map<String, Selection> picks = SelectFromFeatures.select(f, labels, 2, 6);
        assertEquals(List.of("kcenter", "herding", "facility-location"), List.copyOf(picks.keySet()));
        for (String method : List.of("kcenter", "facility-location")) {
            // Budget 3 per class, three clusters in each class: covering (k-center) and representing
            // (facility location) both take one row of each cluster of each class.
            int[] clustersHit = new int[6];
            for (int i : picks.get(method).indices()) {
                clustersHit[labels[i] * 3 + (i / 2) % 3]++;
            }
            assertArrayEquals(new int[]{1, 1, 1, 1, 1, 1}, clustersHit,
                    method + " picked " + Arrays.toString(picks.get(method).indices()));
        }
        // Herding's first pick in each class (positions 0 and 3: class 0's three picks come first) is the
        // row nearest the class mean: the one that brings the picks' mean closest to it.
        int[] herding = picks.get("herding").indices();
        assertEquals(nearestToMean(f, labels, 0), herding[0]);
        assertEquals(nearestToMean(f, labels, 1), herding[3]);
    }

    private static int nearestToMean(float[][] f, int[] labels, int c) {
        double[] mu = new double[f[0].length];
        int count = 0;
        for (int i = 0; i < f.length; i++) {
            if (labels[i] == c) {
                count++;
                for (int j = 0; j < mu.length; j++) {
                    mu[j] += f[i][j];
                }
            }
        }
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int i = 0; i < f.length; i++) {
            double d = 0;
            for (int j = 0; j < mu.length; j++) {
                d += (f[i][j] - mu[j] / count) * (f[i][j] - mu[j] / count);
            }
            if (labels[i] == c && d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    @Test
    void mainSelectsFromADataSetFolderAndPrintsOneLinePerMethod() throws Exception {
        String data = SyntheticData.folder(tmp);
        String out = SyntheticData.stdout(() -> SelectFromFeatures.main(new String[]{data, "20"}));
        String[] lines = out.strip().split("\\R");
        assertEquals(3, lines.length, out);
        String perClass = " 20 of 60 rows, per class [2, 2, 2, 2, 2, 2, 2, 2, 2, 2], first [";
        assertTrue(lines[0].startsWith("kcenter:" + perClass), out);
        assertTrue(lines[1].startsWith("herding:" + perClass), out);
        assertTrue(lines[2].startsWith("facility-location:" + perClass), out);
    }
}
