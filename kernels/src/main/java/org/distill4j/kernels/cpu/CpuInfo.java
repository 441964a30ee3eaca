package org.distill4j.kernels.cpu;

import java.util.List;

/** What {@code /proc/cpuinfo} says about the vector units, read without the Vector API (so any JVM can test it). */
final class CpuInfo {
    private CpuInfo() {
    }

    /**
     * Whether the first processor described in {@code cpuinfo} (the lines of {@code /proc/cpuinfo})
     * runs 512-bit FMAs at twice the 256-bit rate:
     * <ul>
     *   <li>AMD from Zen 5 (family 26); Zen 4 splits them into two 256-bit halves;</li>
     *   <li>Intel parts with AMX ({@code amx_tile}: Sapphire Rapids and later Xeons), which have two
     *       512-bit FMA units (measured on one: 204 against 100 GFLOPS a core). Older Intel parts
     *       differ by model in the number of units, so they keep 256 bits unless told otherwise.</li>
     * </ul>
     */
    static boolean fullRate512(List<String> cpuinfo) {
        String vendor = null;
        int family = -1;
        String flags = null;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (vendor == null && key.equals("vendor_id")) {
                vendor = value;
            } else if (family < 0 && key.equals("cpu family")) {
                try {
                    family = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (flags == null && key.equals("flags")) {
                flags = " " + value + " ";
            }
            if (vendor != null && family >= 0 && flags != null) {
                break;
            }
        }
        if ("AuthenticAMD".equals(vendor)) {
            return family >= 26;
        }
        return "GenuineIntel".equals(vendor) && flags != null && flags.contains(" amx_tile ") && flags.contains(" avx512f ");
    }
}
