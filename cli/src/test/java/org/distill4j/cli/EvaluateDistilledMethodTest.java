package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distill4j.distill.DistillMethod;
import org.distill4j.distill.DistilledSet;
import org.distill4j.kernels.DType;
import org.distill4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Which method made a set decides the papers' protocol (DSA for DSA, DM and MTT sets): DC, DSA and
 * MTT sets name it in "distill_method" (their "method" is a description), DM sets in "method".
 */
class EvaluateDistilledMethodTest {
    private static DistilledSet set(Map<String, Object> meta) {
        return new DistilledSet(Tensor.zeros(DType.F32, 1, 2, 1, 2, 2), Tensor.fromInts(new int[]{0, 1}, 1, 2), new double[]{0.01},
                meta);
    }

    @Test
    void readsDistillMethodThenMethod() {
        Map<String, Object> dsa = new LinkedHashMap<>();
        dsa.put("method", "gradient matching (DC, Zhao et al. 2021) with differentiable Siamese augmentation (DSA, Zhao and Bilen 2021)");
        dsa.put("distill_method", "dsa");
        assertEquals(DistillMethod.DSA, set(dsa).method());
        dsa.put("distill_method", "mtt");
        assertEquals(DistillMethod.MTT, set(dsa).method());
        assertEquals(DistillMethod.DM, set(Map.of("method", "dm")).method());
        assertEquals(DistillMethod.WANG2018, set(Map.of("method", "herding")).method());
        assertEquals(DistillMethod.WANG2018, set(Map.of()).method());
    }
}
