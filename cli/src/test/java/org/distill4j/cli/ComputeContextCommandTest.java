package org.distill4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.distill4j.kernels.ComputeContext;
import org.distill4j.options.CommonOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The context a command opens (CommonOptions.apply) is closed when it ends, also when it fails. */
class ComputeContextCommandTest extends CommandTest {
    @Test
    void aCommandThatFailsAfterOpeningItsContextLeavesNoneOpen(@TempDir Path empty) {
        ComputeContext before = ComputeContext.current();
        int code = run("train", "--device", "cpu", "--threads", "1", "--dataset", "fashion-mnist", "--model", "mlp",
                "--data", empty.toString());
        assertEquals(Main.ERROR_EXIT, code, err.toString());
        assertSame(before, ComputeContext.current(), "the command's context is closed");
    }

    @Test
    void aBadThreadCountIsOneLine() {
        int code = run("train", "--device", "cpu", "--threads", "0", "--dataset", "fashion-mnist", "--model", "mlp");
        assertEquals(Main.ERROR_EXIT, code);
        assertEquals("distill4j: error: thread count must be >= 1, got 0", errLines()[0]);
        assertEquals(1, errLines().length, err.toString());
        assertSame(ComputeContext.jvmDefault(), ComputeContext.current());
    }

    @Test
    void openedContextsAreClosedInnermostFirst() throws Exception {
        ComputeContext before = ComputeContext.current();
        int code = CommonOptions.closingContexts(parseResult -> {
            ComputeContext.builder().threads(1).open();
            ComputeContext.builder().threads(2).open();
            assertEquals(2, ComputeContext.current().threads());
            return 0;
        }).execute(null);
        assertEquals(0, code);
        assertSame(before, ComputeContext.current());
        assertTrue(before.isOpen());
    }
}
