package org.distill4j.distill;

import java.util.Locale;

/**
 * The distillation methods of {@code distill --method}: Dataset Distillation (Wang et al. 2018),
 * Distribution Matching (Zhao and Bilen 2023), gradient matching (DC, Zhao et al. 2021), DC with
 * differentiable Siamese augmentation (DSA, Zhao and Bilen 2021) and trajectory matching (MTT,
 * Cazenavette et al. 2022).
 */
public enum DistillMethod {
    WANG2018(true),
    DM(false),
    DC(true),
    DSA(false),
    MTT(true);

    private final boolean built;

    DistillMethod(boolean built) {
        this.built = built;
    }

    /** The name on the command line and in meta.json: "wang2018", "dm", "dc", "dsa", "mtt". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this build has the method. */
    public boolean built() {
        return built;
    }

    /** The method named {@code id}; one line naming the choices otherwise. */
    public static DistillMethod of(String id) {
        for (DistillMethod m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--method must be one of wang2018, dm, dc, dsa, mtt, got '" + id + "'");
    }

    /** This method, or an IllegalArgumentException when this build lacks it. */
    public DistillMethod requireBuilt() {
        if (!built) {
            throw new IllegalArgumentException("method " + id() + " is not built in this branch");
        }
        return this;
    }
}
