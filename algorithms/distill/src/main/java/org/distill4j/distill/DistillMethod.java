package org.distill4j.distill;

import java.util.Locale;

/**
 * The dataset distillation methods, by the names {@code distill --method} takes. Each names its
 * paper.
 */
public enum DistillMethod {
    /** Dataset Distillation, Wang, Zhu, Torralba, Efros 2018: unrolled training ({@link UnrolledDistiller}). */
    WANG2018("Dataset Distillation (Wang et al. 2018)"),
    /** Distribution matching, Zhao and Bilen WACV 2023 ({@link DistributionMatching}). */
    DM("distribution matching (Zhao and Bilen 2023)"),
    /** Gradient matching, Zhao, Mopuri, Bilen ICLR 2021 ({@link GradientMatching}). */
    DC("gradient matching (Zhao et al. 2021)"),
    /** Gradient matching with differentiable Siamese augmentation, Zhao and Bilen ICML 2021. */
    DSA("gradient matching with differentiable Siamese augmentation (Zhao and Bilen 2021)"),
    /** Trajectory matching, Cazenavette et al. CVPR 2022 ({@link TrajectoryMatching}). */
    MTT("trajectory matching (Cazenavette et al. 2022)");

    private final String paper;

    DistillMethod(String paper) {
        this.paper = paper;
    }

    /** The name on the command line and in meta.json: "wang2018", "dm", "dc", "dsa", "mtt". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String paper() {
        return paper;
    }

    /** The method named {@code id}; refuses unknown names in one line. */
    public static DistillMethod of(String id) {
        for (DistillMethod m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; known: wang2018, dm, dc, dsa, mtt");
    }

    /**
     * Whether the papers' protocol trains evaluation networks with DSA augmentation for 1000 epochs
     * (DSA, DM, MTT sets; the reference's {@code args.dsa}), rather than without augmentation for
     * 300 (DC's choice on Fashion-MNIST with ConvNet-3, {@code get_daparam}).
     */
    public boolean evaluatedWithDsa() {
        return this == DSA || this == DM || this == MTT;
    }
}
