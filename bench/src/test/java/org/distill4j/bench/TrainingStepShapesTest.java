package org.distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

class TrainingStepShapesTest {
    @Test
    void benchmarkParametersListEveryShapeInOrder() throws NoSuchFieldException {
        Param param = TrainingStepGemmBenchmark.class.getField("shape").getAnnotation(Param.class);
        assertEquals(List.copyOf(TrainingStepShapes.ALL.keySet()), List.of(param.value()));
    }

    @Test
    void convolutionsAreLoweredWithIm2colOverTheBatch() {
        // LeNet conv2: 16 filters over 6x5x5 patches at 256 x 10 x 10 positions.
        assertEquals(new TrainingStepShapes.Shape(false, false, 16, 25600, 150),
                TrainingStepShapes.ALL.get("lenet.conv2.forward"));
        assertEquals(new TrainingStepShapes.Shape(true, false, 1152, 65536, 128),
                TrainingStepShapes.ALL.get("convnet.conv2.data"));
        assertEquals(new TrainingStepShapes.Shape(false, true, 128, 1152, 16384),
                TrainingStepShapes.ALL.get("convnet.conv3.weight"));
        // fc1 forward: x[256, 400] W^T with W stored [120, 400].
        assertEquals(new TrainingStepShapes.Shape(false, true, 256, 120, 400),
                TrainingStepShapes.ALL.get("lenet.fc1.forward"));
        assertEquals(new TrainingStepShapes.Shape(true, false, 10, 2048, 256),
                TrainingStepShapes.ALL.get("convnet.fc.weight"));
    }
}
