package org.distill4j.data;

import org.distill4j.kernels.DType;
import org.distill4j.tensor.Generator;
import org.distill4j.tensor.Shape;
import org.distill4j.tensor.Tensor;

/** Data augmentation on batches of images {@code [N, C, H, W]}. */
public final class Augment {
    private Augment() {
    }

    /**
     * The standard CIFAR augmentation (as torchvision's {@code RandomCrop(H, padding)} followed by
     * {@code RandomHorizontalFlip()}): each image is zero-padded by {@code padding} on every side,
     * cropped back to {@code H x W} at a random offset, then mirrored left-right with probability
     * 1/2 when {@code flip}. Draws, per image in order: row offset, column offset, flip; so the same
     * generator state gives the same batch.
     */
    public static Tensor randomCropFlip(Tensor images, int padding, boolean flip, Generator gen) {
        if (images.rank() != 4 || images.dtype() != DType.F32) {
            throw new IllegalArgumentException("randomCropFlip: expected F32 images [N, C, H, W], got "
                    + images.dtype() + " " + Shape.str(images.shape()));
        }
        if (padding < 0) {
            throw new IllegalArgumentException("randomCropFlip: padding must be >= 0, got " + padding);
        }
        int n = images.dim(0);
        int c = images.dim(1);
        int h = images.dim(2);
        int w = images.dim(3);
        float[] in = images.toFloatArray();
        float[] out = new float[in.length];
        for (int i = 0; i < n; i++) {
            int dy = padding == 0 ? 0 : gen.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : gen.nextInt(2 * padding + 1) - padding;
            boolean mirror = flip && gen.nextInt(2) == 1;
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    if (sy < 0 || sy >= h) {
                        continue; // a row of padding: stays zero
                    }
                    for (int x = 0; x < w; x++) {
                        // Output column x shows cropped column (w-1-x) when mirrored.
                        int sx = (mirror ? w - 1 - x : x) + dx;
                        if (sx >= 0 && sx < w) {
                            out[plane + y * w + x] = in[plane + sy * w + sx];
                        }
                    }
                }
            }
        }
        return Tensor.of(images.backend().upload(out), n, c, h, w);
    }
}
