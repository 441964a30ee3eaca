package org.distill4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which CPUs get 512-bit kernels by default: those whose 512-bit FMAs run at twice the 256-bit rate. */
class CpuInfoTest {
    private static List<String> cpu(String vendor, int family, String flags) {
        return List.of("processor\t: 0", "vendor_id\t: " + vendor, "cpu family\t: " + family, "model\t\t: 1",
                "flags\t\t: " + flags, "", "processor\t: 1", "vendor_id\t: " + vendor);
    }

    @Test
    void zen5AndIntelWithAmxRunFullRate512() {
        assertTrue(CpuInfo.fullRate512(cpu("AuthenticAMD", 26, "fpu avx2 fma avx512f avx512vl")), "Zen 5");
        assertFalse(CpuInfo.fullRate512(cpu("AuthenticAMD", 25, "fpu avx2 fma avx512f avx512vl")), "Zen 4: 256-bit halves");
        assertTrue(CpuInfo.fullRate512(cpu("GenuineIntel", 6, "fpu avx2 fma avx512f avx512_fp16 amx_bf16 amx_tile amx_int8")),
                "Sapphire Rapids and later");
        assertFalse(CpuInfo.fullRate512(cpu("GenuineIntel", 6, "fpu avx2 fma avx512f avx512vl")), "older AVX-512 parts: unknown unit count");
        assertFalse(CpuInfo.fullRate512(cpu("GenuineIntel", 6, "fpu avx2 fma amx_tilex")), "a flag is a whole word");
        assertFalse(CpuInfo.fullRate512(List.of()), "nothing known");
        assertFalse(CpuInfo.fullRate512(List.of("cpu family\t: many")), "unreadable");
    }
}
