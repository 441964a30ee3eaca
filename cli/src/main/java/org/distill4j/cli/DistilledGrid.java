package org.distill4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.distill4j.data.Normalization;
import org.distill4j.tensor.Tensor;

/** {@code grid.png}: one row per step, one column per image slot (class), de-normalised and scaled up. */
final class DistilledGrid {
    private static final int SCALE = 4;
    private static final int GAP = 2;

    private DistilledGrid() {
    }

    static void write(Path file, Tensor images, Normalization norm) throws IOException {
        ImageIO.write(image(images, norm), "png", file.toFile());
    }

    /** The grid as a picture; {@code images} is {@code [steps, n, channels, h, w]}, normalised by {@code norm}. */
    static BufferedImage image(Tensor images, Normalization norm) {
        System.setProperty("java.awt.headless", "true");
        int[] s = images.shape();
        int steps = s[0];
        int n = s[1];
        int channels = s[2];
        int h = s[3];
        int w = s[4];
        Tensor flat = norm.invert(images.contiguous().reshape(steps * n, channels, h, w).to(org.distill4j.kernels.DType.F32));
        float[] px = flat.toFloatArray();
        int cw = w * SCALE + GAP;
        int ch = h * SCALE + GAP;
        BufferedImage img = new BufferedImage(n * cw + GAP, steps * ch + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0xffffff);
            }
        }
        int plane = h * w;
        for (int i = 0; i < steps * n; i++) {
            int row = i / n;
            int col = i % n;
            for (int y = 0; y < h * SCALE; y++) {
                for (int x = 0; x < w * SCALE; x++) {
                    int p = (y / SCALE) * w + x / SCALE;
                    int base = i * channels * plane;
                    int r = level(px[base + p]);
                    int g = channels == 3 ? level(px[base + plane + p]) : r;
                    int b = channels == 3 ? level(px[base + 2 * plane + p]) : r;
                    img.setRGB(GAP + col * cw + x, GAP + row * ch + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    /** Pixel value in [0, 1] (clipped: distilled images leave the data range) to 0..255. */
    private static int level(float v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
