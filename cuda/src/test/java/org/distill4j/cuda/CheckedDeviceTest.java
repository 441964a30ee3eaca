package org.distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The debug checks of launches: a fault named at its kernel, launches counted, the first fault kept. */
class CheckedDeviceTest {
    private final List<String> calls = new ArrayList<>();

    /** A device whose stream fails once kernel "bad" has run, as a GPU reports an illegal address. */
    private Device fake() {
        boolean[] broken = {false};
        return (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class}, (proxy, m, args) -> {
            calls.add(m.getName() + (m.getName().equals("launch") ? " " + args[0] : ""));
            switch (m.getName()) {
                case "launch" -> broken[0] |= args[0].equals("bad");
                case "synchronize" -> {
                    if (broken[0]) {
                        throw new IllegalStateException("CUDA error CUDA_ERROR_ILLEGAL_ADDRESS in cuStreamSynchronize (an earlier kernel failed)");
                    }
                }
                case "description" -> {
                    return "fake";
                }
                default -> {
                }
            }
            return null;
        });
    }

    @AfterEach
    void forgetTheFault() {
        CheckedDevice.resetForTests();
    }

    @Test
    void withoutDebugOptionsTheDeviceIsUsedAsItIs() {
        Device d = fake();
        assertSame(d, CheckedDevice.wrap(d, DebugOptions.NONE));
        assertSame(d, CheckedDevice.wrap(d, new DebugOptions(false, false, true)));
        assertSame(d, CheckedDevice.unwrap(d));
    }

    @Test
    void syncingAfterEachLaunchNamesTheKernelThatFaulted() {
        Device d = CheckedDevice.wrap(fake(), new DebugOptions(true, true, false));
        LaunchConfig c = LaunchConfig.perElement(1000);
        d.launch("good", c, new KernelArgs().i32(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.launch("bad", c, new KernelArgs().pointer(8).i32(3)));
        assertEquals("CUDA error CUDA_ERROR_ILLEGAL_ADDRESS in cuStreamSynchronize (an earlier kernel failed) (kernel bad, "
                + "grid 4x1x1, block 256x1x1, arguments pi)", e.getMessage());
        assertEquals(List.of("launch good", "synchronize", "launch bad", "synchronize"), calls);
        assertEquals(e.getMessage(), CheckedDevice.firstFault());
        assertThrows(IllegalStateException.class, d::synchronize);  // sticky: later calls fail too, the first fault stays
        assertEquals(e.getMessage(), CheckedDevice.firstFault());
        assertEquals(1L, CheckedDevice.launches().get("good"));
        assertEquals(1L, CheckedDevice.launches().get("bad"));
    }

    @Test
    void recordingAloneDoesNotSynchronise() {
        Device d = CheckedDevice.wrap(fake(), new DebugOptions(false, true, false));
        d.launch("bad", LaunchConfig.perElement(1), new KernelArgs());
        d.launch("bad", LaunchConfig.perElement(1), new KernelArgs());
        assertEquals(List.of("launch bad", "launch bad"), calls);
        assertEquals(2L, CheckedDevice.launches().get("bad"));
        assertNull(CheckedDevice.firstFault());
        assertThrows(IllegalStateException.class, d::synchronize);  // found at the next synchronising call
        assertTrue(CheckedDevice.firstFault().startsWith("CUDA error CUDA_ERROR_ILLEGAL_ADDRESS"));
    }
}
