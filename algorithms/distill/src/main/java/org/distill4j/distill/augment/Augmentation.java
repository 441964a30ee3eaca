package org.distill4j.distill.augment;

import org.distill4j.autodiff.Var;

/**
 * A differentiable augmentation of a batch of images {@code [N, C, H, W]}. The transformation is
 * drawn from {@code seed}: the same seed gives the same transformation for every batch, whatever
 * its size, so a real and a synthetic batch can be augmented alike (Siamese augmentation, Zhao and
 * Bilen 2021), and gradients flow through it to the images.
 */
public interface Augmentation {
    /** No augmentation: returns its input. */
    Augmentation NONE = (images, seed) -> images;

    Var apply(Var images, long seed);
}
