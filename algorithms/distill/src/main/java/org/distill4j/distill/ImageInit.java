package org.distill4j.distill;

import java.util.Locale;

/** Where learned synthetic images start: random real images of their class, or Gaussian noise N(0, 1). */
public enum ImageInit {
    REAL,
    NOISE;

    /** "real" or "noise". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageInit of(String id) {
        for (ImageInit i : values()) {
            if (i.id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("image init must be real or noise, got '" + id + "'");
    }
}
